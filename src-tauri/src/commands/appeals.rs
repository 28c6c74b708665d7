//! Appeals and their drafts (autosaved; photos sealed by the core).

use std::path::PathBuf;

use dauys_core::proto::{self, AppealSubmitPayload, AppealType, Body};
use dauys_core::{AppealInput, DraftContent, Profile};
use tauri::{AppHandle, State};

use super::{add_draft_photo, appeal_item, profile, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn appeals(st: State<'_, AppState>) -> R<Vec<AppealItem>> {
    Ok(profile(&st)?
        .appeals()?
        .into_iter()
        .map(appeal_item)
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn appeal(st: State<'_, AppState>, id: String) -> R<AppealItem> {
    Ok(appeal_item(profile(&st)?.appeal(&id)?))
}

/// Bodies an appeal can be addressed to (the followed localities' and
/// those above them).
#[tauri::command(rename_all = "snake_case")]
pub async fn addressees(st: State<'_, AppState>) -> R<Vec<Body>> {
    Ok(profile(&st)?.addressees()?)
}

/// The body the places' routing help suggests for an appeal topic.
#[tauri::command(rename_all = "snake_case")]
pub async fn suggest_addressee(st: State<'_, AppState>, topic: String) -> R<Option<Body>> {
    Ok(profile(&st)?.suggested_addressee(&topic)?)
}

/// The centre of the user's place ("here, in my village", offline).
#[tauri::command(rename_all = "snake_case")]
pub async fn home_centre(st: State<'_, AppState>) -> R<Option<PlaceCentre>> {
    Ok(profile(&st)?.home_centre()?.map(|p| PlaceCentre {
        name: p.name,
        centre: p.centre,
    }))
}

/// Draft photos an older version kept as plain files under
/// `<app dir>/photos/` are sealed into the core (see
/// `Profile::seal_plain_draft_photos`) whenever drafts are listed or opened.
fn seal_plain_photos(st: &AppState, p: &Profile) {
    p.seal_plain_draft_photos(&st.dir.join("photos"));
}

fn to_dto(d: dauys_core::Draft) -> Option<AppealDraft> {
    let DraftContent::Appeal(AppealInput { appeal: a, .. }) = d.content else {
        return None;
    };
    let photos = d
        .photos
        .into_iter()
        .map(|ph| PhotoRef {
            id: ph.id,
            name: ph.name,
            bytes: ph.bytes,
        })
        .collect();
    Some(AppealDraft {
        id: d.id,
        appeal_type: Some(a.appeal_type),
        addressee: a.addressee,
        subject: a.subject,
        body: a.body,
        public: a.public,
        location: a.location,
        photos,
        rejected: d.rejection.map(|r| CmdError::new(r.message_key, r.detail)),
        sms_on_answer: a.sms_on_answer,
    })
}

/// The draft's content as the core stores it. New photos are not part of
/// it: the core keeps them sealed with the draft (`add_draft_photo`). Plain
/// files an older version listed and the migration could not seal yet are
/// kept, so they are never dropped unsealed.
fn to_input(
    d: &AppealDraft,
    (keep_media, keep_photos): (Vec<String>, Vec<PathBuf>),
) -> AppealInput {
    AppealInput {
        appeal: AppealSubmitPayload {
            appeal_type: d.appeal_type.unwrap_or(AppealType::Statement),
            addressee: d.addressee.clone(),
            subject: d.subject.clone(),
            body: d.body.clone(),
            public: d.public,
            location: d.location,
            media: keep_media,
            sms_on_answer: d.sms_on_answer.clone(),
        },
        photos: keep_photos,
    }
}

/// What a saved draft holds besides its form fields: queued media ids and
/// plain photo paths from an older version.
fn media_of(p: &Profile, id: &str) -> (Vec<String>, Vec<PathBuf>) {
    match p.draft(id).map(|d| d.content) {
        Ok(DraftContent::Appeal(a)) => (a.appeal.media, a.photos),
        _ => (Vec::new(), Vec::new()),
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn appeal_drafts(st: State<'_, AppState>) -> R<Vec<AppealDraft>> {
    let p = profile(&st)?;
    seal_plain_photos(&st, &p);
    Ok(p.drafts()?.into_iter().filter_map(to_dto).collect())
}

/// Opens a draft; without an id, starts a new one (saved at once, so it
/// survives a crash even before the first keystroke is autosaved).
#[tauri::command(rename_all = "snake_case")]
pub async fn appeal_draft(st: State<'_, AppState>, id: Option<String>) -> R<AppealDraft> {
    let p = profile(&st)?;
    seal_plain_photos(&st, &p);
    if let Some(id) = id {
        let d = p.draft(&id)?;
        return to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "not an appeal draft"));
    }
    let addressee = p
        .addressees()?
        .first()
        .map(|b| b.id.clone())
        .unwrap_or_default();
    let content = DraftContent::Appeal(AppealInput::new(AppealType::Statement, &addressee, "", ""));
    let id = p.save_draft(None, &content)?;
    let d = p.draft(&id)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-internal", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(st: State<'_, AppState>, draft: AppealDraft) -> R<AppealDraft> {
    let p = profile(&st)?;
    let media = media_of(&p, &draft.id);
    let input = to_input(&draft, media);
    p.save_draft(Some(&draft.id), &DraftContent::Appeal(input))?;
    let d = p.draft(&draft.id)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-internal", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_photo(st: State<'_, AppState>, photo: AddPhoto) -> R<AppealDraft> {
    let p = profile(&st)?;
    add_draft_photo(&p, &photo)?;
    let d = p.draft(&photo.draft_id)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_photo(
    st: State<'_, AppState>,
    draft_id: String,
    photo_id: String,
) -> R<AppealDraft> {
    let p = profile(&st)?;
    p.remove_draft_photo(&draft_id, &photo_id)?;
    let d = p.draft(&draft_id)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn submit_appeal(
    app: AppHandle,
    st: State<'_, AppState>,
    draft_id: String,
) -> R<AppealItem> {
    let p = profile(&st)?;
    seal_plain_photos(&st, &p);
    let op = p.submit_draft(&draft_id)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(appeal_item(p.appeal(&op.to_string())?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn discard_draft(st: State<'_, AppState>, draft_id: String) -> R<()> {
    let p = profile(&st)?;
    p.delete_draft(&draft_id)?;
    Ok(())
}

/// Other residents' public appeals of the followed places, with their
/// answers, found offline ("has someone asked about this already?").
#[tauri::command(rename_all = "snake_case")]
pub async fn public_appeals(
    st: State<'_, AppState>,
    query: PublicAppealQuery,
) -> R<Vec<proto::Appeal>> {
    let q = dauys_core::PublicAppealQuery {
        search: Some(query.search).filter(|s| !s.trim().is_empty()),
        answered: query.answered,
        limit: Some(200),
    };
    Ok(profile(&st)?.public_appeals(&q)?)
}
