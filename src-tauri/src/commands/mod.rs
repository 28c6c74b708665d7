//! Tauri commands: a thin adapter from the UI's DTOs (`ui/src/dto.rs`) to
//! `dauys-core`, one module per component. Rules, locality walks and
//! status lookups live in the core; here are only the UI's shapes. No
//! network access except through the core; every error reaches the UI as
//! a Fluent message id (`CmdError`).
//!
//! The commands' names, arguments and JSON shapes are the UI's contract
//! (`ui/src`, and the WebDriver tests in `tests/e2e`).

pub mod appeals;
pub mod budgets;
pub mod comments;
pub mod map;
pub mod notices;
pub mod outbox;
pub mod proposals;
pub mod session;
pub mod settings;

use std::sync::Arc;

use dauys_core::{AppealView, CoreError, OpState, Profile};

use crate::dto::*;
use crate::state::AppState;

pub type R<T> = Result<T, CmdError>;

impl From<CoreError> for CmdError {
    fn from(e: CoreError) -> CmdError {
        let detail = e.to_string();
        match e {
            CoreError::Api { code, .. } | CoreError::Rejected { code, .. } => {
                CmdError::from_code(code, detail)
            }
            CoreError::InvalidIin(e) => {
                CmdError::new(format!("error-{}", e.code().replace('_', "-")), detail)
            }
            CoreError::Net(_) => CmdError::new("error-network", detail),
            CoreError::NotSignedIn | CoreError::NoActiveProfile | CoreError::NoProfile(_) => {
                CmdError::new("error-not-signed-in", detail)
            }
            CoreError::NotFound(_) => CmdError::new("error-not-found", detail),
            CoreError::Invalid(_) => CmdError::new("error-invalid-field", detail),
            CoreError::InsecureUrl(_) => CmdError::new("error-insecure-server", detail),
            CoreError::Image(_) => CmdError::new("error-photo", detail),
            _ => CmdError::new("error-internal", detail),
        }
    }
}

fn io(e: std::io::Error) -> CmdError {
    CmdError::new("error-internal", e.to_string())
}

/// The signed-in profile, or "please sign in".
fn profile(st: &AppState) -> R<Arc<Profile>> {
    let p = st
        .active()
        .ok_or_else(|| CmdError::new("error-not-signed-in", "no active profile"))?;
    let _ = st.home().touch(p.id());
    Ok(p)
}

fn profile_info(p: &Profile, active: bool) -> ProfileInfo {
    ProfileInfo {
        id: p.id().to_string(),
        label: p.info().label.clone(),
        locality: p.follows().ok().and_then(|f| f.into_iter().next()),
        active,
    }
}

fn delivery(s: Option<&OpState>) -> (Delivery, Option<CmdError>) {
    match s {
        None | Some(OpState::Accepted { .. }) => (Delivery::Delivered, None),
        Some(OpState::Queued) => (Delivery::Queued, None),
        Some(OpState::Sending) => (Delivery::Sending, None),
        Some(OpState::Rejected {
            message_key,
            detail,
            ..
        }) => (
            Delivery::Rejected,
            Some(CmdError::new(message_key.clone(), detail.clone())),
        ),
    }
}

fn appeal_item(v: AppealView) -> AppealItem {
    let (d, e) = delivery(v.delivery.as_ref());
    AppealItem {
        id: v.appeal.id.clone(),
        appeal: v.appeal,
        delivery: d,
        error: e,
    }
}

/// Adds a photo to a draft (appeal or proposal): downscaled, stripped of
/// EXIF and sealed with the profile's key at once, so neither the original
/// nor the JPEG lands on disk in clear. Oversized files are refused first.
fn add_draft_photo(p: &Profile, photo: &AddPhoto) -> R<()> {
    if photo.data.len() as u64 > dauys_core::proto::limits::MAX_MEDIA_BYTES * 3 {
        return Err(CmdError::new("error-payload-too-large", "photo too large"));
    }
    p.add_draft_photo(&photo.draft_id, &photo.name, &photo.data)?;
    Ok(())
}
