//! The outbox as the user sees it: each action with its delivery state,
//! named by titles instead of ids; retry and discard.

use dauys_core::proto::{self, Body, OpKind};
use dauys_core::OpState;
use tauri::{AppHandle, State};

use super::{delivery, profile, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox(st: State<'_, AppState>) -> R<Vec<OutboxItem>> {
    let p = profile(&st)?;
    let known = Known {
        cycles: p.cycles(None)?,
        bodies: p.localities()?.into_iter().flat_map(|l| l.bodies).collect(),
        proposals: p.proposals(&dauys_core::ProposalQuery {
            limit: Some(10_000),
            ..Default::default()
        })?,
    };
    let mut items: Vec<OutboxItem> = p
        .outbox()?
        .into_iter()
        .map(|o| {
            let (d, e) = delivery(Some(&o.state));
            let (receipt, draft_id) = match &o.state {
                OpState::Accepted { receipt, .. } => (receipt.clone(), None),
                OpState::Rejected { draft_id, .. } => (None, draft_id.clone()),
                _ => (None, None),
            };
            let reopen = match OpKind::parse(&o.kind) {
                Some(OpKind::AppealSubmit) => {
                    draft_id.map(|draft_id| Reopen::AppealDraft { draft_id })
                }
                Some(OpKind::BallotCast) => {
                    o.target.clone().map(|cycle_id| Reopen::Ballot { cycle_id })
                }
                _ => None,
            };
            let (about, summary) = known.describe(&o);
            OutboxItem {
                id: o.id.to_string(),
                reopen,
                kind: o.kind,
                summary,
                about,
                delivery: d,
                error: e,
                receipt,
                created_at: o.created_at,
                attempts: o.attempts.max(0) as u32,
            }
        })
        .collect();
    items.reverse();
    items.truncate(200);
    Ok(items)
}

/// What the outbox can name instead of ids.
struct Known {
    cycles: Vec<proto::Cycle>,
    bodies: Vec<Body>,
    proposals: Vec<proto::Proposal>,
}

impl Known {
    /// An outbox item in words: what it is about and its summary. The core's
    /// summary names a ballot's cycle and projects, and an appeal's
    /// addressee, by id.
    fn describe(&self, o: &dauys_core::OutboxEntry) -> (Option<proto::Localized>, String) {
        let target = o.target.as_deref().unwrap_or_default();
        match OpKind::parse(&o.kind) {
            Some(OpKind::BallotCast) => {
                let titles: Vec<&str> = self
                    .proposals
                    .iter()
                    .filter(|x| x.cycle_id == target && o.summary.contains(x.id.as_str()))
                    .map(|x| x.title.as_str())
                    .collect();
                let cycle = self.cycles.iter().find(|c| c.id == target);
                (cycle.map(|c| c.title.clone()), titles.join("; "))
            }
            Some(OpKind::AppealSubmit) => {
                let body = self.bodies.iter().find(|b| b.id == target);
                let subject = o.summary.strip_suffix(&format!(" → {target}"));
                (
                    body.map(|b| b.name.clone()),
                    subject.unwrap_or(&o.summary).to_string(),
                )
            }
            Some(OpKind::CommentAdd) => {
                let title = self.proposals.iter().find(|x| x.id == target);
                let about = title.map(|x| proto::Localized::new(&x.title, &x.title, &x.title));
                (about, o.summary.clone())
            }
            _ => (None, o.summary.clone()),
        }
    }
}

fn op_id(id: &str) -> R<uuid::Uuid> {
    id.parse()
        .map_err(|_| CmdError::new("error-not-found", format!("op {id}")))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_retry(app: AppHandle, st: State<'_, AppState>, id: String) -> R<()> {
    let p = profile(&st)?;
    p.retry(op_id(&id)?)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_discard(app: AppHandle, st: State<'_, AppState>, id: String) -> R<()> {
    let p = profile(&st)?;
    p.discard(op_id(&id)?)?;
    st.refresh_pending(&app);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(st: State<'_, AppState>) -> R<()> {
    st.kick.notify_one();
    Ok(())
}
