//! Comments on proposals.

use dauys_core::{proto, CommentInput};
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
