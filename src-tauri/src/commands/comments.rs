//! Comments on proposals.

use dauys_core::{proto, CommentInput, DraftContent};
use tauri::{AppHandle, State};

use super::{profile, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn add_comment(
    app: AppHandle,
    st: State<'_, AppState>,
    proposal_id: String,
    body: String,
) -> R<CommentItem> {
    let p = profile(&st)?;
    if body.chars().count() > proto::limits::MAX_COMMENT_CHARS {
        return Err(CmdError::new("error-payload-too-large", "comment too long"));
    }
    let id = p.add_comment(&CommentInput {
        proposal_id: proposal_id.clone(),
        body: body.clone(),
    })?;
    // Sent: the unfinished text kept for it is done with.
    if let Some(d) = comment_draft_of(&p, &proposal_id)? {
        p.delete_draft(&d.id)?;
    }
    st.refresh_pending(&app);
    st.kick.notify_one();
    let target = proto::CommentTarget::proposal(&proposal_id);
    Ok(CommentItem {
        comment: proto::Comment {
            id: id.to_string(),
            proposal_id: target.proposal_id(),
            target,
            locality: String::new(),
            body,
            visible: true,
            moderation_note: String::new(),
            mine: true,
            created_at: 0,
        },
        delivery: Delivery::Queued,
    })
}

/// The comment draft on a proposal: (draft id, its content), if any.
fn comment_draft_of(p: &dauys_core::Profile, proposal_id: &str) -> R<Option<dauys_core::Draft>> {
    Ok(p.drafts()?
        .into_iter()
        .find(|d| matches!(&d.content, DraftContent::Comment(c) if c.proposal_id == proposal_id)))
}

/// An unfinished (or refused) comment on a proposal.
#[tauri::command(rename_all = "snake_case")]
pub async fn comment_draft(
    st: State<'_, AppState>,
    proposal_id: String,
) -> R<Option<CommentDraft>> {
    let p = profile(&st)?;
    Ok(
        comment_draft_of(&p, &proposal_id)?.and_then(|d| match d.content {
            DraftContent::Comment(c) => Some(CommentDraft {
                body: c.body,
                rejected: d.rejection.map(|r| CmdError::new(r.message_key, r.detail)),
            }),
            _ => None,
        }),
    )
}

/// Keeps the comment being written (an empty one drops the draft).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_comment_draft(
    st: State<'_, AppState>,
    proposal_id: String,
    body: String,
) -> R<()> {
    let p = profile(&st)?;
    let existing = comment_draft_of(&p, &proposal_id)?.map(|d| d.id);
    if body.trim().is_empty() {
        if let Some(id) = existing {
            p.delete_draft(&id)?;
        }
        return Ok(());
    }
    let content = DraftContent::Comment(CommentInput { proposal_id, body });
    p.save_draft(existing.as_deref(), &content)?;
    Ok(())
}

/// Reports a comment to the moderators (queued like every action).
#[tauri::command(rename_all = "snake_case")]
pub async fn report_comment(
    app: AppHandle,
    st: State<'_, AppState>,
    comment_id: String,
    reason: String,
) -> R<()> {
    let p = profile(&st)?;
    p.report_comment(&comment_id, &reason)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(())
}
