//! Output: `--json` prints exactly the serde JSON of the core's types;
//! otherwise one human line per item. Every human format is here.

use std::io::Write;

use dauys_core::proto::{Cycle, Locality, Proposal};
use dauys_core::*;
use serde::Serialize;

/// Prints `v` as pretty JSON, or as `human(v)`.
pub fn print<T: Serialize>(json: bool, v: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, v)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", human(v))?;
    }
    Ok(())
}

pub fn state_text(s: &OpState) -> String {
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

pub fn profiles(active: Option<&str>, list: &[ProfileInfo]) -> String {
    list.iter()
        .map(|p| {
            format!(
                "{} {} {} {}{}{}\n",
                if active == Some(p.id.as_str()) {
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
}

pub fn sync_report(r: &SyncReport) -> String {
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
}

pub fn status(s: &Status) -> String {
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
}

pub fn outbox(o: &[OutboxEntry]) -> String {
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
}

pub fn localities(l: &[Locality]) -> String {
    l.iter()
        .map(|x| {
            let bodies: Vec<&str> = x.bodies.iter().map(|b| b.id.as_str()).collect();
            format!("{} {} [{}]\n", x.code, x.name.en, bodies.join(", "))
        })
        .collect()
}

pub fn cycles(c: &[Cycle]) -> String {
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
}

pub fn proposals(v: &[Proposal]) -> String {
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
}

pub fn comments(v: &[CommentView]) -> String {
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
}

pub fn ballots(v: &[BallotView]) -> String {
    v.iter()
        .map(|b| {
            let s = match &b.status {
                BallotStatus::QueuedNotCounted => {
                    "queued on this device — not counted yet".to_string()
                }
                BallotStatus::SendingNotCounted => {
                    "sent, awaiting answer — not counted yet".to_string()
                }
                BallotStatus::Counted { receipt } => format!("counted — receipt {receipt}"),
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
}

pub fn appeals(v: &[AppealView]) -> String {
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
}

pub fn drafts(v: &[Draft]) -> String {
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
}

pub fn my_proposals(v: &[ProposalView]) -> String {
    v.iter()
        .map(|x| {
            let mut s = format!(
                "{} {:<13} {} ₸ {}{}\n",
                x.proposal.id,
                x.proposal.status.as_str(),
                x.proposal.cost,
                x.proposal.title,
                x.delivery
                    .as_ref()
                    .map(|d| format!(" [{}]", d.name()))
                    .unwrap_or_default()
            );
            if let Some(h) = x.proposal.history.last().filter(|h| !h.note.is_empty()) {
                s.push_str(&format!("    {}\n", h.note));
            }
            s
        })
        .collect()
}

pub fn public_appeals(v: &[dauys_core::proto::Appeal]) -> String {
    v.iter()
        .map(|a| {
            let mut s = format!(
                "{} {} → {}: {} [{}]\n",
                a.id,
                a.appeal_type.as_str(),
                a.addressee,
                a.subject,
                a.status.as_str()
            );
            if let Some(answer) = &a.answer {
                s.push_str(&format!("    {answer}\n"));
            }
            s
        })
        .collect()
}

/// One line per notification: unread mark, its message id and what it is
/// about (the app words them; the CLI stays language-neutral).
pub fn notices(v: &[Notice]) -> String {
    v.iter()
        .map(|n| {
            let about = match &n.event {
                NoticeEvent::Appeal { subject, .. } => subject.clone(),
                NoticeEvent::Proposal { title, note, .. } if note.is_empty() => title.clone(),
                NoticeEvent::Proposal { title, note, .. } => format!("{title}: {note}"),
                NoticeEvent::CommentHidden { reason, .. } => reason.clone(),
                NoticeEvent::Results { cycle_id, .. } => cycle_id.clone(),
                NoticeEvent::BallotCounted { receipt, .. } => receipt.clone(),
                NoticeEvent::Refused { summary, .. } => summary.clone(),
            };
            format!(
                "{} {} {}\n",
                if n.read { " " } else { "*" },
                n.event.message_key(),
                about
            )
        })
        .collect()
}
