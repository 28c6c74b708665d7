//! Notifications: the list (worded by the UI), the unread badge, and the
//! desktop notification raised when something new arrives while the
//! window is in the background.

use dauys_core::{Notice, NoticeEvent, Profile};
use tauri::{AppHandle, State};

use super::{profile, R};
use crate::dto::*;
use crate::state::AppState;

/// A notice as the UI shows it. `lang`: the language titles are read in.
pub fn item(p: &Profile, n: Notice, lang: &str) -> NoticeItem {
    let key = n.event.message_key().to_string();
    let (subject, status, note, open) = match n.event {
        NoticeEvent::Appeal {
            id,
            subject,
            status,
            overdue,
            registration_number,
            ..
        } => (
            subject,
            (!overdue).then(|| format!("appeal-status-{}", status.as_str())),
            registration_number.unwrap_or_default(),
            Some(NoticeOpen::Appeal(id)),
        ),
        NoticeEvent::Proposal {
            id,
            title,
            status,
            note,
        } => (
            title,
            Some(format!(
                "proposal-status-{}",
                status.as_str().replace('_', "-")
            )),
            note,
            Some(
                if status == dauys_core::proto::ProposalStatus::NeedsChanges {
                    NoticeOpen::MyProposals
                } else {
                    NoticeOpen::Proposal(id)
                },
            ),
        ),
        NoticeEvent::CommentHidden { target, reason, .. } => (
            String::new(),
            None,
            reason,
            (target.kind == "proposal").then_some(NoticeOpen::Proposal(target.id)),
        ),
        NoticeEvent::Results { cycle_id, title } => (
            title.get(lang).to_string(),
            None,
            String::new(),
            Some(NoticeOpen::Results(cycle_id)),
        ),
        NoticeEvent::BallotCounted { cycle_id, receipt } => (
            p.cycle(&cycle_id)
                .ok()
                .flatten()
                .map(|c| c.title.get(lang).to_string())
                .unwrap_or_default(),
            None,
            receipt,
            Some(NoticeOpen::Ballot(cycle_id)),
        ),
        NoticeEvent::Refused {
            summary,
            message_key,
            ..
        } => (
            summary,
            Some(message_key),
            String::new(),
            Some(NoticeOpen::Outbox),
        ),
    };
    NoticeItem {
        seq: n.seq,
        at: n.at,
        read: n.read,
        message_key: key,
        subject,
        status,
        note,
        open,
    }
}

fn lang(st: &AppState) -> String {
    st.settings().lang.unwrap_or_else(|| "kk".into())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notices(st: State<'_, AppState>) -> R<Vec<NoticeItem>> {
    let p = profile(&st)?;
    let lang = lang(&st);
    Ok(p.notices(200)?
        .into_iter()
        .map(|n| item(&p, n, &lang))
        .collect())
}

/// Marks notifications up to `up_to` read (those the user saw) and
/// updates the badge.
#[tauri::command(rename_all = "snake_case")]
pub async fn read_notices(app: AppHandle, st: State<'_, AppState>, up_to: i64) -> R<()> {
    let p = profile(&st)?;
    p.mark_notices_read(Some(up_to))?;
    st.refresh_pending(&app);
    Ok(())
}
