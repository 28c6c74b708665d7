//! The command line: every command and flag (clap). Documented in
//! `crates/core/README.md`; the tests in `crates/cli/tests` rely on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "dauys", version, about = "Dauys offline-first client (CLI)")]
pub struct Cli {
    /// Server base URL (https, or http on loopback / with --allow-insecure-http).
    #[arg(long, env = "DAUYS_SERVER", global = true)]
    pub server: Option<String>,
    /// Directory holding the profiles (default: $XDG_DATA_HOME/dauys).
    #[arg(long, env = "DAUYS_HOME", global = true)]
    pub home: Option<PathBuf>,
    /// Machine-readable output (stable JSON, see README).
    #[arg(long, global = true)]
    pub json: bool,
    /// Do not try to deliver right after queueing an action.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Allow plain HTTP to a non-loopback server (developer setting).
    #[arg(long, env = "DAUYS_ALLOW_INSECURE_HTTP", global = true)]
    pub allow_insecure_http: bool,
    /// Keep profile keys in 0600 files instead of the OS keyring (weaker).
    #[arg(long, global = true)]
    pub key_files: bool,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Sign in: without --code sends a code by SMS; with --code verifies it.
    Login {
        #[arg(long)]
        iin: String,
        #[arg(long)]
        code: Option<String>,
        /// Make this a kiosk profile (idle sign-out, wiped once synced).
        #[arg(long)]
        kiosk: bool,
        /// Display name of the profile (default: masked IIN).
        #[arg(long)]
        label: Option<String>,
    },
    /// Deliver queued actions and pull changes.
    Sync {
        /// Give up after this many tries (with backoff).
        #[arg(long, default_value_t = 6)]
        attempts: u32,
        /// Upload chunk size in KiB.
        #[arg(long, default_value_t = 64)]
        chunk_kib: usize,
        /// Ops per push request.
        #[arg(long, default_value_t = 200)]
        batch: usize,
        /// Push only.
        #[arg(long)]
        no_pull: bool,
    },
    /// Profile, session and outbox summary.
    Status,
    /// Queued, sent, accepted and rejected actions.
    Outbox,
    /// Localities (mirrored).
    Localities,
    /// Follow a locality (and all under it).
    Follow { locality: String },
    /// PB cycles (mirrored).
    Cycles {
        #[arg(long)]
        locality: Option<String>,
    },
    /// Proposals (mirrored), optionally full-text searched.
    Proposals {
        #[arg(long)]
        cycle: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Comments of a proposal.
    Comments { proposal: String },
    /// Comment on a proposal.
    Comment { proposal: String, text: String },
    /// Report a comment to the moderators (queued like every action).
    ReportComment {
        comment: String,
        /// Why (optional).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Your proposals: `proposal new …`, `proposal revise …`, `proposal mine`.
    Proposal {
        #[command(subcommand)]
        cmd: ProposalCmd,
    },
    /// Same as `proposal new` (kept for scripts).
    #[command(hide = true)]
    Propose {
        cycle: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: String,
        #[arg(long)]
        category: String,
        /// Estimated cost in tenge.
        #[arg(long)]
        cost: i64,
    },
    /// Same as `proposal revise` (kept for scripts).
    #[command(hide = true)]
    Revise {
        proposal: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: String,
        #[arg(long)]
        category: String,
        /// Estimated cost in tenge.
        #[arg(long)]
        cost: i64,
    },
    /// Cast (or replace) your ballot in a cycle.
    Vote {
        cycle: String,
        #[arg(required = true)]
        proposals: Vec<String>,
    },
    /// Your ballots with their honest status.
    Ballots,
    /// Check that your ballot was counted (once voting is over), against the
    /// cycle's published receipts; or check a receipt you typed.
    Receipt {
        cycle: String,
        receipt: Option<String>,
    },
    /// Appeals: `appeal new …`.
    Appeal {
        #[command(subcommand)]
        cmd: AppealCmd,
    },
    /// Your appeals with their timelines; with --public, other residents'
    /// public appeals of the followed places and their answers.
    Appeals {
        #[arg(long)]
        public: bool,
        /// Words that must all match (subject, text or answer).
        #[arg(long, requires = "public")]
        search: Option<String>,
        /// Only answered ones.
        #[arg(long, requires = "public")]
        answered: bool,
    },
    /// What changed for you (newest first), from the last sync.
    Notifications {
        /// Mark them read.
        #[arg(long)]
        mark_read: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Drafts (including content the server refused).
    Drafts,
    /// Queue a draft (e.g. after editing a refused one).
    SubmitDraft { id: String },
    /// Retry an op (a rejected one is re-sent from its draft as a new op).
    Retry { op: String },
    /// Discard a queued or rejected op.
    Discard { op: String },
    /// Profiles on this device.
    Profile {
        #[command(subcommand)]
        cmd: ProfileCmd,
    },
    /// Kiosk housekeeping: idle sign-out, wipe signed-out profiles once synced.
    Kiosk {
        #[command(subcommand)]
        cmd: KioskCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum AppealCmd {
    New {
        /// complaint, statement, proposal, request, response
        #[arg(long = "type")]
        appeal_type: String,
        /// Addressee body id (an akimat or department).
        #[arg(long, required_unless_present = "topic")]
        to: Option<String>,
        /// What it is about (roads, lighting, water, heating, waste,
        /// transport, housing, land, education, health, social, other):
        /// without --to, sent to the body your place suggests for it.
        #[arg(long)]
        topic: Option<String>,
        #[arg(long)]
        subject: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        photo: Vec<PathBuf>,
        #[arg(long)]
        public: bool,
        /// At the centre of your place (works offline).
        #[arg(long)]
        here: bool,
        /// Send me an SMS in this language (kk, ru, en) when it is answered.
        #[arg(long, value_parser = ["kk", "ru", "en"])]
        sms: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProposalCmd {
    /// Propose a project in a cycle that is collecting proposals.
    New {
        cycle: String,
        #[command(flatten)]
        text: ProposalText,
        /// Up to 10 photos.
        #[arg(long)]
        photo: Vec<PathBuf>,
        /// Where (latitude, longitude), e.g. --at 52.287,76.967.
        #[arg(long, value_parser = parse_point, conflicts_with = "here")]
        at: Option<dauys_core::proto::GeoPoint>,
        /// At the centre of your place (works offline).
        #[arg(long)]
        here: bool,
    },
    /// Revise your proposal after a moderator asked for changes.
    Revise {
        proposal: String,
        #[command(flatten)]
        text: ProposalText,
    },
    /// Take back your proposal while it is being moderated.
    Withdraw { proposal: String },
    /// Your proposals with their status and the moderator's reason.
    Mine,
}

/// What a proposal says (new or revised).
#[derive(clap::Args, Debug, Clone)]
pub struct ProposalText {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub description: String,
    #[arg(long)]
    pub category: String,
    /// Estimated cost in tenge (spaces allowed: "2 500 000").
    #[arg(long, value_parser = parse_tenge)]
    pub cost: i64,
}

/// Tenge as residents write them: digits with spaces (or thin spaces,
/// commas) between the thousands, an optional "₸" or "тг".
fn parse_tenge(s: &str) -> Result<i64, String> {
    let digits: String = s
        .trim()
        .trim_end_matches('₸')
        .trim_end_matches("тг")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '_'))
        .collect();
    digits
        .parse()
        .map_err(|_| format!("{s} is not an amount of tenge"))
}

/// `lat,lon` in degrees.
fn parse_point(s: &str) -> Result<dauys_core::proto::GeoPoint, String> {
    let (lat, lon) = s
        .split_once(',')
        .ok_or_else(|| format!("{s}: write latitude,longitude"))?;
    let g = dauys_core::proto::GeoPoint {
        lat: lat
            .trim()
            .parse()
            .map_err(|_| format!("{lat} is not a latitude"))?,
        lon: lon
            .trim()
            .parse()
            .map_err(|_| format!("{lon} is not a longitude"))?,
    };
    if g.is_valid() {
        Ok(g)
    } else {
        Err(format!("{s} is not a place on Earth"))
    }
}

#[derive(Subcommand, Debug)]
pub enum ProfileCmd {
    List,
    Switch { id: String },
    SignOut,
    Wipe { id: String },
}

#[derive(Subcommand, Debug)]
pub enum KioskCmd {
    Tick {
        /// Idle time before sign-out, seconds.
        #[arg(long, default_value_t = 120)]
        idle: u64,
    },
}
