//! Signing in and out, profiles, followed localities. The sign-in flow is
//! the core's (`Home::begin_sign_in`, shared with the CLI).

use std::sync::Arc;

use dauys_core::proto::Locality;
use dauys_core::SignInRequest;
use tauri::{AppHandle, State};

use super::{profile, profile_info, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn request_code(st: State<'_, AppState>, server: String, iin: String) -> R<OtpSent> {
    let server = if server.trim().is_empty() {
        st.settings().server
    } else {
        server.trim().to_string()
    };
    let kiosk = st.settings().kiosk_idle_minutes > 0;
    // The profile this resident used before on this device, or a new one.
    let s = st.home().begin_sign_in(&SignInRequest {
        iin: &iin,
        server: Some(&server),
        kiosk,
        label: None,
    })?;
    let r = s.request_code().await?;
    st.set_signing_in(Some(Arc::new(s)));
    Ok(OtpSent {
        phone_hint: r.phone_hint,
        expires_in_s: r.expires_in_s,
    })
}

/// Verifies the code for the IIN the code was requested for (`iin` is
/// the UI's copy of it and not needed again).
#[tauri::command(rename_all = "snake_case")]
pub async fn verify_code(
    app: AppHandle,
    st: State<'_, AppState>,
    iin: String,
    code: String,
) -> R<ProfileInfo> {
    let _ = iin;
    let s = st
        .signing_in()
        .ok_or_else(|| CmdError::new("error-code-expired", "no code requested"))?;
    s.verify(&st.home(), &code, "Dauys app").await?;
    let p = s.profile().clone();
    st.set_signing_in(None);
    st.set_active(Some(p.clone()));
    // First pull: localities, cycles and proposals of the user's locality.
    crate::state::sync_once(&app, &st).await;
    Ok(profile_info(&p, true))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn localities(st: State<'_, AppState>) -> R<Vec<Locality>> {
    Ok(profile(&st)?.localities()?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn follow(app: AppHandle, st: State<'_, AppState>, locality: String) -> R<ProfileInfo> {
    let p = profile(&st)?;
    // The chosen locality goes first: home shows the first followed one.
    let old = p.follows()?;
    for f in old.iter().filter(|f| **f != locality) {
        p.unfollow(f)?;
    }
    p.follow(&locality)?;
    crate::state::sync_once(&app, &st).await;
    Ok(profile_info(&p, true))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn profiles(st: State<'_, AppState>) -> R<Vec<ProfileInfo>> {
    let active = st.active().map(|p| p.id().to_string());
    Ok(st
        .home()
        .profiles()?
        .into_iter()
        .filter(|i| i.signed_in && !i.kiosk)
        .map(|i| ProfileInfo {
            active: Some(&i.id) == active.as_ref(),
            id: i.id,
            label: i.label,
            locality: None,
        })
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn switch_profile(app: AppHandle, st: State<'_, AppState>, id: String) -> R<ProfileInfo> {
    let home = st.home();
    home.switch(&id)?;
    let p = Arc::new(home.open_active()?);
    st.set_active(Some(p.clone()));
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(profile_info(&p, true))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(app: AppHandle, st: State<'_, AppState>) -> R<()> {
    if let Some(p) = st.active() {
        let id = p.id().to_string();
        st.set_active(None);
        drop(p);
        st.home().sign_out(&id).await?;
    }
    st.update_status(&app, |s| {
        s.pending = 0;
        s.sent = 0;
    });
    Ok(())
}
