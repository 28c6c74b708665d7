//! `dauys` — command-line client over `dauys-core`.
//!
//! For kiosk administrators, scripted set-up, support staff and tests.
//! Every action works with the server down: it is queued, and `dauys sync`
//! delivers it later.
//!
//! Exit codes: `0` done (everything delivered or nothing to deliver),
//! `3` queued but not delivered (the server was unreachable; run
//! `dauys sync` later), `1` error (bad input, not signed in, local failure,
//! or an action refused by a shared rule — its code is printed), `2` usage
//! error (from the argument parser).
//!
//! Map: [`args`] (commands and flags), [`cmd`] (one module per command
//! group), [`render`] (human and JSON output).

mod args;
mod cmd;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use dauys_core::*;

use args::{AppealCmd, Cli, Cmd, KioskCmd, ProposalCmd, ProposalText};
use cmd::{appeals, budgets, comments, outbox, session, Outcome};

const EXIT_QUEUED: u8 = 3;

fn default_home() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("dauys");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h).join(".local/share/dauys");
    }
    PathBuf::from(".dauys")
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
    match &cli.cmd {
        Cmd::Login {
            iin,
            code,
            kiosk,
            label,
        } => session::login(&cli, &home, iin, code.as_deref(), *kiosk, label.as_deref()).await,
        Cmd::Profile { cmd } => session::profile(&cli, &home, cmd).await,
        Cmd::Kiosk {
            cmd: KioskCmd::Tick { .. },
        } => session::kiosk_tick(&cli, &home).await,
        _ => {
            let p = home.open_active()?;
            command(&cli, &p).await
        }
    }
}

/// Commands on the active profile.
async fn command(cli: &Cli, p: &Profile) -> Result<Outcome> {
    match &cli.cmd {
        Cmd::Sync {
            attempts,
            chunk_kib,
            batch,
            no_pull,
        } => {
            let a = outbox::SyncArgs {
                attempts: *attempts,
                chunk_kib: *chunk_kib,
                batch: *batch,
                no_pull: *no_pull,
            };
            outbox::sync(cli, p, &a).await
        }
        Cmd::Status => outbox::status(cli, p),
        Cmd::Outbox => outbox::outbox(cli, p),
        Cmd::Drafts => outbox::drafts(cli, p),
        Cmd::SubmitDraft { id } => outbox::submit_draft(cli, p, id).await,
        Cmd::Retry { op } => outbox::retry(cli, p, op).await,
        Cmd::Discard { op } => outbox::discard(p, op),
        Cmd::Localities => session::localities(cli, p),
        Cmd::Follow { locality } => session::follow(p, locality),
        Cmd::Cycles { locality } => budgets::cycles(cli, p, locality.as_deref()),
        Cmd::Proposals {
            cycle,
            search,
            limit,
        } => {
            let q = ProposalQuery {
                cycle_id: cycle.clone(),
                search: search.clone(),
                limit: *limit,
            };
            budgets::proposals(cli, p, &q)
        }
        Cmd::Propose {
            cycle,
            title,
            description,
            category,
            cost,
        } => {
            let proposal = dauys_proto::ProposalSubmitPayload {
                cycle_id: cycle.clone(),
                title: title.clone(),
                description: description.clone(),
                category: category.clone(),
                cost: *cost,
                location: None,
                media: Vec::new(),
            };
            budgets::propose(cli, p, proposal, &[]).await
        }
        Cmd::Revise {
            proposal,
            title,
            description,
            category,
            cost,
        } => {
            let revision = dauys_proto::ProposalRevisePayload {
                proposal_id: proposal.clone(),
                title: title.clone(),
                description: description.clone(),
                category: category.clone(),
                cost: *cost,
            };
            budgets::revise(cli, p, revision).await
        }
        Cmd::Vote { cycle, proposals } => budgets::vote(cli, p, cycle, proposals).await,
        Cmd::Ballots => budgets::ballots(cli, p),
        Cmd::Receipt { cycle, receipt } => {
            budgets::receipt(cli, p, cycle, receipt.as_deref()).await
        }
        Cmd::Comments { proposal } => comments::list(cli, p, proposal),
        Cmd::Comment { proposal, text } => comments::add(cli, p, proposal, text).await,
        Cmd::ReportComment { comment, reason } => comments::report(cli, p, comment, reason).await,
        Cmd::Appeal {
            cmd:
                AppealCmd::New {
                    appeal_type,
                    to,
                    topic,
                    subject,
                    body,
                    photo,
                    public,
                    here,
                    sms,
                },
        } => {
            let a = appeals::NewAppeal {
                appeal_type,
                to: to.as_deref(),
                topic: topic.as_deref(),
                subject,
                body,
                photos: photo,
                public: *public,
                here: *here,
                sms: sms.as_deref(),
            };
            appeals::new(cli, p, &a).await
        }
        Cmd::Appeals { public: false, .. } => appeals::list(cli, p),
        Cmd::Appeals {
            public: true,
            search,
            answered,
        } => {
            let q = PublicAppealQuery {
                search: search.clone(),
                answered: *answered,
                limit: None,
            };
            appeals::public(cli, p, &q)
        }
        Cmd::Notifications { mark_read, limit } => {
            outbox::notifications(cli, p, *mark_read, *limit)
        }
        Cmd::Proposal { cmd } => match cmd {
            ProposalCmd::New {
                cycle,
                text,
                photo,
                at,
                here,
            } => {
                let location = if *here { Some(appeals::here(p)?) } else { *at };
                let proposal = dauys_proto::ProposalSubmitPayload {
                    cycle_id: cycle.clone(),
                    title: text.title.clone(),
                    description: text.description.clone(),
                    category: text.category.clone(),
                    cost: text.cost,
                    location,
                    media: Vec::new(),
                };
                budgets::propose(cli, p, proposal, photo).await
            }
            ProposalCmd::Revise { proposal, text } => {
                budgets::revise(cli, p, revision(proposal, text)).await
            }
            ProposalCmd::Withdraw { proposal } => budgets::withdraw(cli, p, proposal).await,
            ProposalCmd::Mine => budgets::mine(cli, p),
        },
        // Handled in `run` (they work on the home, not on one profile).
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
        // Colour codes only on a terminal: logs redirected to a file stay greppable.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
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

/// A revision of `proposal` saying `t`.
fn revision(proposal: &str, t: &ProposalText) -> dauys_proto::ProposalRevisePayload {
    dauys_proto::ProposalRevisePayload {
        proposal_id: proposal.to_string(),
        title: t.title.clone(),
        description: t.description.clone(),
        category: t.category.clone(),
        cost: t.cost,
    }
}
