//! `dauys` — command-line client over `dauys-core`.
//!
//! For kiosk administrators, scripted set-up, support staff and tests.
//! Every action works with the server down: it is queued, and `dauys sync`
//! delivers it later.
//!
//! Exit codes: `0` done (everything delivered or nothing to deliver),
//! `3` queued but not delivered (the server was unreachable; run
//! `dauys sync` later), `1` error (bad input, not signed in, local failure),
//! `2` usage error (from the argument parser).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use dauys_core::proto::AppealType;
use dauys_core::*;
use serde::Serialize;

const EXIT_QUEUED: u8 = 3;

#[derive(Parser, Debug)]
#[command(name = "dauys", version, about = "Dauys offline-first client (CLI)")]
struct Cli {
    /// Server base URL (https, or http on loopback / with --allow-insecure-http).
    #[arg(long, env = "DAUYS_SERVER", global = true)]
    server: Option<String>,
    /// Directory holding the profiles (default: $XDG_DATA_HOME/dauys).
    #[arg(long, env = "DAUYS_HOME", global = true)]
    home: Option<PathBuf>,
    /// Machine-readable output (stable JSON, see README).
    #[arg(long, global = true)]
    json: bool,
    /// Do not try to deliver right after queueing an action.
    #[arg(long, global = true)]
    offline: bool,
    /// Allow plain HTTP to a non-loopback server (developer setting).
    #[arg(long, env = "DAUYS_ALLOW_INSECURE_HTTP", global = true)]
    allow_insecure_http: bool,
    /// Keep profile keys in 0600 files instead of the OS keyring (weaker).
    #[arg(long, global = true)]
    key_files: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
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
    /// Cast (or replace) your ballot in a cycle.
    Vote {
        cycle: String,
        #[arg(required = true)]
        proposals: Vec<String>,
    },
    /// Your ballots with their honest status.
    Ballots,
    /// Appeals: `appeal new …`.
    Appeal {
        #[command(subcommand)]
        cmd: AppealCmd,
    },
    /// Your appeals with their timelines.
    Appeals,
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
enum AppealCmd {
    New {
        /// complaint, statement, proposal, request, response
        #[arg(long = "type")]
        appeal_type: String,
        /// Addressee body id (an akimat or department).
        #[arg(long)]
        to: String,
        #[arg(long)]
        subject: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        photo: Vec<PathBuf>,
        #[arg(long)]
        public: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ProfileCmd {
    List,
    Switch { id: String },
    SignOut,
    Wipe { id: String },
}

#[derive(Subcommand, Debug)]
enum KioskCmd {
    Tick {
        /// Idle time before sign-out, seconds.
        #[arg(long, default_value_t = 120)]
        idle: u64,
    },
}

enum Outcome {
    Done,
    Queued,
}

fn default_home() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("dauys");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h).join(".local/share/dauys");
    }
    PathBuf::from(".dauys")
}

fn print<T: Serialize>(json: bool, v: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, v)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", human(v))?;
    }
    Ok(())
}

fn mask(iin: &str) -> String {
    let tail: String = iin
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("••••••••{tail}")
}

fn parse_op(s: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|_| CoreError::Invalid(format!("{s} is not an op id")))
}

fn state_text(s: &OpState) -> String {
    match s {
        OpState::Queued => "queued".into(),
        OpState::Sending => "sending".into(),
        OpState::Accepted {
            receipt, entity_id, ..
        } => match receipt {
            Some(r) => format!("accepted (receipt {r})"),
            None => format!("accepted ({entity_id})"),
        },
        OpState::Rejected {
            code,
            detail,
            draft_id,
            ..
        } => format!(
            "REJECTED {code}: {detail}{}",
            draft_id
                .as_ref()
                .map(|d| format!(" — content kept in draft {d}"))
                .unwrap_or_default()
        ),
    }
}

async fn sync_quietly(p: &Profile, attempts: u32) -> Result<Outcome> {
    let opts = SyncOptions {
        max_attempts: attempts,
        ..SyncOptions::default()
    };
    let r = p.sync(&opts).await?;
    Ok(if r.delivered() {
        Outcome::Done
    } else {
        Outcome::Queued
    })
}

async fn after_queue(cli: &Cli, p: &Profile, id: uuid::Uuid) -> Result<Outcome> {
    let out = if cli.offline {
        Outcome::Queued
    } else {
        match sync_quietly(p, 1).await {
            Ok(o) => o,
            Err(CoreError::NotSignedIn) => Outcome::Queued,
            Err(e) => return Err(e),
        }
    };
    let state = p
        .outbox()?
        .into_iter()
        .find(|e| e.id == id)
        .map(|e| e.state)
        .unwrap_or(OpState::Queued);
    let mut v = serde_json::to_value(&state)?;
    if let Some(m) = v.as_object_mut() {
        m.insert("op_id".into(), serde_json::Value::String(id.to_string()));
    }
    print(cli.json, &v, |_| format!("{id}: {}\n", state_text(&state)))?;
    Ok(match (&out, &state) {
        (_, s) if s.is_pending() => Outcome::Queued,
        _ => Outcome::Done,
    })
}

async fn run(cli: Cli) -> Result<Outcome> {
    let mut cfg = HomeConfig::default();
    cfg.net.allow_insecure_http |= cli.allow_insecure_http;
    if cli.key_files {
        cfg.keys = KeyStorePolicy::FileOnly;
    }
    if let Cmd::Kiosk {
        cmd: KioskCmd::Tick { idle },
    } = &cli.cmd
    {
        cfg.kiosk_idle = Duration::from_secs(*idle);
    }
    let home = Home::open(cli.home.clone().unwrap_or_else(default_home), cfg)?;
    let json = cli.json;
    match &cli.cmd {
        Cmd::Login {
            iin,
            code,
            kiosk,
            label,
        } => {
            let info = match home.find_by_iin(iin)? {
                Some(i)
                    if cli
                        .server
                        .as_deref()
                        .is_none_or(|s| s.trim_end_matches('/') == i.server) =>
                {
                    i
                }
                _ => {
                    let server = cli.server.as_deref().ok_or_else(|| {
                        CoreError::Invalid("--server is required for a new profile".into())
                    })?;
                    let label = label.clone().unwrap_or_else(|| mask(iin));
                    home.create_profile(&label, server, *kiosk, Some(iin))?
                }
            };
            home.switch(&info.id)?;
            let p = home.open_profile(&info.id)?;
            let code = match code {
                Some(c) => c.clone(),
                None => {
                    let r = p.request_code(iin).await?;
                    let hint = r.phone_hint.unwrap_or_else(|| "the phone on file".into());
                    if !std::io::stdin().is_terminal() {
                        print(
                            json,
                            &serde_json::json!({"profile": info.id, "code_sent_to": hint}),
                            |_| format!("code sent to {hint}; run again with --code CODE\n"),
                        )?;
                        return Ok(Outcome::Done);
                    }
                    eprint!("code sent to {hint}; enter it: ");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim().to_string()
                }
            };
            let me = p
                .verify(
                    iin,
                    &code,
                    &format!("dauys-cli on {}", std::env::consts::OS),
                )
                .await?;
            home.mark_signed_in(&info.id)?;
            print(
                json,
                &serde_json::json!({"profile": info.id, "me": me}),
                |_| {
                    format!(
                        "signed in as {} ({}), profile {}\n",
                        mask(iin),
                        me.locality,
                        info.id
                    )
                },
            )?;
            Ok(Outcome::Done)
        }
        Cmd::Profile { cmd } => match cmd {
            ProfileCmd::List => {
                let active = home.active_id()?;
                let list = home.profiles()?;
                print(
                    json,
                    &serde_json::json!({"active": active, "profiles": list}),
                    |_| {
                        list.iter()
                            .map(|p| {
                                format!(
                                    "{} {} {} {}{}{}\n",
                                    if active.as_deref() == Some(&p.id) {
                                        "*"
                                    } else {
                                        " "
                                    },
                                    p.id,
                                    p.label,
                                    if p.signed_in {
                                        "signed-in"
                                    } else {
                                        "signed-out"
                                    },
                                    if p.kiosk { " kiosk" } else { "" },
                                    if p.wipe_when_synced {
                                        " (wiped once synced)"
                                    } else {
                                        ""
                                    }
                                )
                            })
                            .collect()
                    },
                )?;
                Ok(Outcome::Done)
            }
            ProfileCmd::Switch { id } => {
                home.switch(id)?;
                Ok(Outcome::Done)
            }
            ProfileCmd::SignOut => {
                let id = home.active_id()?.ok_or(CoreError::NoActiveProfile)?;
                let o = home.sign_out(&id).await?;
                print(
                    json,
                    &serde_json::json!({"profile": id, "outcome": o}),
                    |_| format!("{o:?}\n"),
                )?;
                Ok(if o == SignOutOutcome::WipeWhenSynced {
                    Outcome::Queued
                } else {
                    Outcome::Done
                })
            }
            ProfileCmd::Wipe { id } => {
                home.wipe(id)?;
                Ok(Outcome::Done)
            }
        },
        Cmd::Kiosk {
            cmd: KioskCmd::Tick { .. },
        } => {
            let wiped = home.maintain(&SyncOptions::default()).await?;
            let waiting = home
                .profiles()?
                .iter()
                .filter(|p| p.wipe_when_synced)
                .count();
            print(
                json,
                &serde_json::json!({"wiped": wiped, "waiting": waiting}),
                |_| {
                    format!(
                        "wiped {} profile(s); {waiting} waiting to deliver\n",
                        wiped.len()
                    )
                },
            )?;
            Ok(if waiting > 0 {
                Outcome::Queued
            } else {
                Outcome::Done
            })
        }
        _ => {
            let p = home.open_active()?;
            command(&cli, &p).await
        }
    }
}

async fn command(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let json = cli.json;
    match &cli.cmd {
        Cmd::Sync {
            attempts,
            chunk_kib,
            batch,
            no_pull,
        } => {
            let cancel = CancellationToken::new();
            let c2 = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    c2.cancel();
                }
            });
            let verbose = !json;
            let opts = SyncOptions {
                max_attempts: *attempts,
                chunk_size: chunk_kib.max(&1) * 1024,
                batch_size: *batch,
                pull: !no_pull,
                cancel,
                progress: verbose.then(|| {
                    std::sync::Arc::new(|e: &SyncEvent| match e {
                        SyncEvent::Pushed { accepted, rejected, remaining } => {
                            eprintln!("pushed: {accepted} accepted, {rejected} rejected, {remaining} left")
                        }
                        SyncEvent::Retrying { attempt, delay_ms, error } => {
                            eprintln!("try {attempt} failed ({error}); retrying in {delay_ms} ms")
                        }
                        _ => {}
                    }) as std::sync::Arc<dyn Fn(&SyncEvent) + Send + Sync>
                }),
                ..SyncOptions::default()
            };
            let r = p.sync(&opts).await?;
            print(json, &r, |r| {
                format!(
                    "accepted {}, rejected {}, pulled {}, photos {}, {} B up / {} B down{}\n",
                    r.accepted,
                    r.rejected,
                    r.pulled,
                    r.media_uploaded,
                    r.bytes_up,
                    r.bytes_down,
                    if r.remaining > 0 {
                        format!(
                            "; {} still queued ({})",
                            r.remaining,
                            r.last_error.clone().unwrap_or_default()
                        )
                    } else {
                        String::new()
                    }
                )
            })?;
            Ok(if r.delivered() {
                Outcome::Done
            } else {
                Outcome::Queued
            })
        }
        Cmd::Status => {
            let s = p.status()?;
            print(json, &s, |s| {
                format!(
                    "profile {} on {}\nsigned in: {}\nfollows: {}\noutbox: {} queued, {} sending, {} accepted, {} rejected; {} drafts; {} photos to upload\nkey storage: {:?}\n",
                    s.profile,
                    s.server,
                    s.signed_in,
                    s.follows.join(", "),
                    s.queued,
                    s.sending,
                    s.accepted,
                    s.rejected,
                    s.drafts,
                    s.media_pending,
                    s.key_storage
                )
            })?;
            Ok(if s.queued + s.sending > 0 {
                Outcome::Queued
            } else {
                Outcome::Done
            })
        }
        Cmd::Outbox => {
            let o = p.outbox()?;
            print(json, &o, |o| {
                o.iter()
                    .map(|e| {
                        format!(
                            "{} {:<16} {:<40} {}\n",
                            e.id,
                            e.kind,
                            e.summary,
                            state_text(&e.state)
                        )
                    })
                    .collect()
            })?;
            Ok(if o.iter().any(|e| e.state.is_pending()) {
                Outcome::Queued
            } else {
                Outcome::Done
            })
        }
        Cmd::Localities => {
            let l = p.localities()?;
            print(json, &l, |l| {
                l.iter()
                    .map(|x| {
                        let bodies: Vec<&str> = x.bodies.iter().map(|b| b.id.as_str()).collect();
                        format!("{} {} [{}]\n", x.code, x.name.en, bodies.join(", "))
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Follow { locality } => {
            p.follow(locality)?;
            Ok(Outcome::Done)
        }
        Cmd::Cycles { locality } => {
            let c = p.cycles(locality.as_deref())?;
            print(json, &c, |c| {
                c.iter()
                    .map(|x| {
                        format!(
                            "{} {} {} budget {} ₸\n",
                            x.id,
                            x.phase.as_str(),
                            x.title.en,
                            x.budget
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Proposals {
            cycle,
            search,
            limit,
        } => {
            let v = p.proposals(&ProposalQuery {
                cycle_id: cycle.clone(),
                search: search.clone(),
                limit: *limit,
            })?;
            print(json, &v, |v| {
                v.iter()
                    .map(|x| {
                        format!(
                            "{} {:<12} {} ₸ {}\n",
                            x.id,
                            x.status.as_str(),
                            x.cost,
                            x.title
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Comments { proposal } => {
            let v = p.comments(proposal)?;
            print(json, &v, |v| {
                v.iter()
                    .map(|x| {
                        format!(
                            "{} {}{}\n",
                            x.comment.id,
                            x.comment.body,
                            x.delivery
                                .as_ref()
                                .map(|d| format!(" [{}]", d.name()))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Comment { proposal, text } => {
            let id = p.add_comment(&CommentInput {
                proposal_id: proposal.clone(),
                body: text.clone(),
            })?;
            after_queue(cli, p, id).await
        }
        Cmd::Vote { cycle, proposals } => {
            let id = p.cast_ballot(&BallotInput {
                cycle_id: cycle.clone(),
                proposal_ids: proposals.clone(),
            })?;
            after_queue(cli, p, id).await
        }
        Cmd::Ballots => {
            let v = p.ballots()?;
            print(json, &v, |v| {
                v.iter()
                    .map(|b| {
                        let s = match &b.status {
                            BallotStatus::QueuedNotCounted => {
                                "queued on this device — not counted yet".to_string()
                            }
                            BallotStatus::SendingNotCounted => {
                                "sent, awaiting answer — not counted yet".to_string()
                            }
                            BallotStatus::Counted { receipt } => {
                                format!("counted — receipt {receipt}")
                            }
                            BallotStatus::Rejected { code, .. } => format!("REJECTED {code}"),
                        };
                        format!(
                            "{} [{}] {}{}\n",
                            b.cycle_id,
                            b.proposal_ids.join(", "),
                            s,
                            b.voting_ends
                                .as_ref()
                                .map(|d| format!(" (voting ends {d})"))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Appeal {
            cmd:
                AppealCmd::New {
                    appeal_type,
                    to,
                    subject,
                    body,
                    photo,
                    public,
                },
        } => {
            let t: AppealType = serde_json::from_value(serde_json::Value::String(
                appeal_type.clone(),
            ))
            .map_err(|_| CoreError::Invalid(format!("unknown appeal type {appeal_type}")))?;
            let id = p.submit_appeal(&AppealInput {
                appeal_type: t,
                addressee: to.clone(),
                subject: subject.clone(),
                body: body.clone(),
                public: *public,
                location: None,
                photos: photo.clone(),
                media: vec![],
            })?;
            after_queue(cli, p, id).await
        }
        Cmd::Appeals => {
            let v = p.appeals()?;
            print(json, &v, |v| {
                v.iter()
                    .map(|a| {
                        let mut s = format!(
                            "{} {} → {}: {} [{}{}]\n",
                            a.appeal.id,
                            a.appeal.appeal_type.as_str(),
                            a.appeal.addressee,
                            a.appeal.subject,
                            a.appeal.status.as_str(),
                            a.delivery
                                .as_ref()
                                .map(|d| format!(", {}", d.name()))
                                .unwrap_or_default()
                        );
                        for h in &a.appeal.history {
                            s.push_str(&format!("    {} {} {}\n", h.at, h.status, h.note));
                        }
                        s
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::Drafts => {
            let v = p.drafts()?;
            print(json, &v, |v| {
                v.iter()
                    .map(|d| {
                        format!(
                            "{} {}{}\n",
                            d.id,
                            d.content.kind(),
                            d.rejection
                                .as_ref()
                                .map(|r| format!(" — refused: {} ({})", r.code, r.detail))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })?;
            Ok(Outcome::Done)
        }
        Cmd::SubmitDraft { id } => {
            let op = p.submit_draft(id)?;
            after_queue(cli, p, op).await
        }
        Cmd::Retry { op } => {
            let id = p.retry(parse_op(op)?)?;
            after_queue(cli, p, id).await
        }
        Cmd::Discard { op } => {
            p.discard(parse_op(op)?)?;
            Ok(Outcome::Done)
        }
        Cmd::Login { .. } | Cmd::Profile { .. } | Cmd::Kiosk { .. } => Ok(Outcome::Done),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DAUYS_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match rt.block_on(run(cli)) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Queued) => ExitCode::from(EXIT_QUEUED),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
