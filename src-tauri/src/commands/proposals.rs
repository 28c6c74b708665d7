//! Proposing a project: the autosaved form (photos sealed by the core, as
//! for appeals), submitting it, the user's own proposals with their status
//! and the moderator's reason, and revising one sent back for changes.

use dauys_core::proto::{self, Phase, ProposalRevisePayload, ProposalSubmitPayload};
use dauys_core::{DraftContent, Profile, ProposalInput};
use tauri::{AppHandle, State};

use super::{add_draft_photo, delivery, profile, R};
use crate::dto::*;
use crate::state::AppState;

fn to_dto(d: dauys_core::Draft) -> Option<ProposalDraft> {
    let DraftContent::Proposal(ProposalInput { proposal: p, .. }) = d.content else {
        return None;
    };
    Some(ProposalDraft {
        id: d.id,
        cycle_id: p.cycle_id,
        title: p.title,
        description: p.description,
        category: p.category,
        // 0 is what an untouched draft holds: shown as an empty field.
        cost: (p.cost > 0).then_some(p.cost),
        location: p.location,
        photos: d
            .photos
            .into_iter()
            .map(|ph| PhotoRef {
                id: ph.id,
                name: ph.name,
                bytes: ph.bytes,
            })
            .collect(),
        rejected: d.rejection.map(|r| CmdError::new(r.message_key, r.detail)),
    })
}

fn draft(p: &Profile, id: &str) -> R<ProposalDraft> {
    to_dto(p.draft(id)?).ok_or_else(|| CmdError::new("error-not-found", "not a proposal draft"))
}

/// The categories residents used in a cycle, sorted (the form's list).
fn categories(p: &Profile, cycle_id: &str) -> R<Vec<String>> {
    let mut cats: Vec<String> = p
        .proposals(&dauys_core::ProposalQuery {
            cycle_id: Some(cycle_id.to_string()),
            search: None,
            limit: Some(10_000),
        })?
        .into_iter()
        .map(|x| x.category)
        .filter(|c| !c.is_empty())
        .collect();
    cats.sort();
    cats.dedup();
    Ok(cats)
}

fn form(p: &Profile, d: ProposalDraft) -> R<ProposalForm> {
    let cycle = p
        .cycle(&d.cycle_id)?
        .ok_or_else(|| CmdError::new("error-not-found", format!("cycle {}", d.cycle_id)))?;
    Ok(ProposalForm {
        categories: categories(p, &cycle.id)?,
        cycle,
        draft: d,
    })
}

/// Opens a proposal draft; without an id, starts one for `cycle_id` (saved
/// at once, so it survives a crash before the first keystroke is saved).
#[tauri::command(rename_all = "snake_case")]
pub async fn proposal_form(
    st: State<'_, AppState>,
    id: Option<String>,
    cycle_id: Option<String>,
) -> R<ProposalForm> {
    let p = profile(&st)?;
    if let Some(id) = id {
        return form(&p, draft(&p, &id)?);
    }
    let cycle_id = cycle_id.unwrap_or_default();
    let cycle = p
        .cycle(&cycle_id)?
        .ok_or_else(|| CmdError::new("error-not-found", format!("cycle {cycle_id}")))?;
    if cycle.phase != Phase::Collecting {
        return Err(CmdError::from_code(
            proto::ErrorCode::PhaseClosed,
            "the cycle is not collecting proposals",
        ));
    }
    let content = DraftContent::Proposal(ProposalInput {
        proposal: ProposalSubmitPayload {
            cycle_id,
            title: String::new(),
            description: String::new(),
            category: String::new(),
            cost: 0,
            location: None,
            media: Vec::new(),
        },
        photos: Vec::new(),
    });
    let id = p.save_draft(None, &content)?;
    form(&p, draft(&p, &id)?)
}

/// Proposal drafts (the user's unfinished proposals, refused ones too).
#[tauri::command(rename_all = "snake_case")]
pub async fn proposal_drafts(st: State<'_, AppState>) -> R<Vec<ProposalDraft>> {
    let p = profile(&st)?;
    Ok(p.drafts()?.into_iter().filter_map(to_dto).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_proposal_draft(
    st: State<'_, AppState>,
    draft: ProposalDraft,
) -> R<ProposalDraft> {
    let p = profile(&st)?;
    // Photos stay with the draft in the core; queued media ids are kept.
    let media = match p.draft(&draft.id)?.content {
        DraftContent::Proposal(x) => x.proposal.media,
        _ => return Err(CmdError::new("error-not-found", "not a proposal draft")),
    };
    let content = DraftContent::Proposal(ProposalInput {
        proposal: ProposalSubmitPayload {
            cycle_id: draft.cycle_id.clone(),
            title: draft.title.clone(),
            description: draft.description.clone(),
            category: draft.category.clone(),
            cost: draft.cost.unwrap_or(0),
            location: draft.location,
            media,
        },
        photos: Vec::new(),
    });
    p.save_draft(Some(&draft.id), &content)?;
    self::draft(&p, &draft.id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_proposal_photo(st: State<'_, AppState>, photo: AddPhoto) -> R<ProposalDraft> {
    let p = profile(&st)?;
    add_draft_photo(&p, &photo)?;
    draft(&p, &photo.draft_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_proposal_photo(
    st: State<'_, AppState>,
    draft_id: String,
    photo_id: String,
) -> R<ProposalDraft> {
    let p = profile(&st)?;
    p.remove_draft_photo(&draft_id, &photo_id)?;
    draft(&p, &draft_id)
}

/// Queues the proposal (offline too); its photos upload first.
#[tauri::command(rename_all = "snake_case")]
pub async fn submit_proposal(app: AppHandle, st: State<'_, AppState>, draft_id: String) -> R<()> {
    let p = profile(&st)?;
    p.submit_draft(&draft_id)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(())
}

fn my_proposal(v: dauys_core::ProposalView) -> MyProposal {
    let (d, e) = delivery(v.delivery.as_ref());
    MyProposal {
        proposal: v.proposal,
        delivery: d,
        error: e,
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn my_proposals(st: State<'_, AppState>) -> R<Vec<MyProposal>> {
    Ok(profile(&st)?
        .my_proposals()?
        .into_iter()
        .map(my_proposal)
        .collect())
}

/// Queues taking back one's proposal while it is being moderated.
#[tauri::command(rename_all = "snake_case")]
pub async fn withdraw_proposal(
    app: AppHandle,
    st: State<'_, AppState>,
    proposal_id: String,
) -> R<Vec<MyProposal>> {
    let p = profile(&st)?;
    p.withdraw_proposal(&proposal_id)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(p.my_proposals()?.into_iter().map(my_proposal).collect())
}

/// Queues the revision of a proposal sent back for changes.
#[tauri::command(rename_all = "snake_case")]
pub async fn revise_proposal(
    app: AppHandle,
    st: State<'_, AppState>,
    revision: ProposalRevisePayload,
) -> R<Vec<MyProposal>> {
    let p = profile(&st)?;
    p.revise_proposal(&revision)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(p.my_proposals()?.into_iter().map(my_proposal).collect())
}
