//! Partner apps' Open311 API keys (administrators with an unscoped grant:
//! a key is not tied to a locality). A key is shown once, when issued;
//! only its hash is stored (`components/appeals/open311/store.rs`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::appeals::FlashArgs;
use super::csrf;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, Scope, ADMIN_ROLES};
use crate::components::appeals::open311::store as keys;
use crate::http::blocking;
use crate::state::AppState;

const BACK: &str = "/console/admin/partners";

pub struct KeyLine {
    pub id: String,
    pub label: String,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "console/partners.html")]
pub struct PartnersPage {
    pub page: Chrome,
    pub keys: Vec<KeyLine>,
    /// The key just issued, shown this once.
    pub new_key: Option<String>,
}

/// Only an administrator granted everywhere manages partner keys (404
/// for anyone else, as every console page outside one's scope).
async fn global_admin(st: &AppState, staff: &Staff) -> Result<(), Response> {
    let actor = staff.actor.clone();
    let scope = blocking(st, move |_, c| store::scope(c, &actor, ADMIN_ROLES)).await;
    pages::found(staff.tr, scope.map(|s| (s == Scope::All).then_some(())))
}

/// A key form's checks: CSRF first, then the unscoped admin grant.
async fn checked(st: &AppState, staff: &Staff, token: &str) -> Result<(), Response> {
    if let Some(r) = csrf::refused(staff, token) {
        return Err(r);
    }
    global_admin(st, staff).await
}

async fn render(
    st: &AppState,
    staff: &Staff,
    flash: Option<&str>,
    new_key: Option<String>,
) -> Response {
    let tr = staff.tr;
    let list = match blocking(st, |_, c| keys::keys(c)).await {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let p = PartnersPage {
        page: Chrome::signed_in(tr, "console-partners-title", BACK, staff).with_flash(flash),
        keys: list
            .into_iter()
            .map(|k| KeyLine {
                issued: dauys_proto::workdays::format_date(crate::clock::date_of(k.created_at)),
                id: k.id,
                label: k.label,
            })
            .collect(),
        new_key,
    };
    let mut r = pages::render(StatusCode::OK, &p);
    // The page may hold a key: never cached anywhere.
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

/// `GET /console/admin/partners`.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Err(r) = global_admin(&st, &staff).await {
        return r;
    }
    let flash = args.ok().and_then(|Query(a)| a.flash);
    render(&st, &staff, flash.as_deref(), None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    id: String,
}

/// `POST /console/admin/partners`: issues a key and shows it once.
pub async fn issue(
    State(st): State<AppState>,
    staff: Staff,
    form: Result<Form<KeyForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(r) = checked(&st, &staff, &f.csrf).await {
        return r;
    }
    let label: String = f.label.trim().chars().take(120).collect();
    if label.is_empty() {
        return Redirect::to(&format!("{BACK}?flash=console-partner-label-required"))
            .into_response();
    }
    let key = keys::new_key();
    let (k2, admin) = (key.clone(), staff.actor.user_id.clone());
    let stored = blocking(&st, move |st, c| {
        keys::add_key(c, &k2, &label, &admin, st.clock.now_ms())
    })
    .await;
    if let Err(e) = stored {
        return pages::error(staff.tr, &e);
    }
    tracing::info!(admin = %staff.actor.user_id, "open311 partner key issued");
    render(&st, &staff, Some("console-flash-partner-issued"), Some(key)).await
}

/// `POST /console/admin/partners/revoke`.
pub async fn revoke(
    State(st): State<AppState>,
    staff: Staff,
    form: Result<Form<KeyForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(r) = checked(&st, &staff, &f.csrf).await {
        return r;
    }
    let id = f.id.trim().to_string();
    match blocking(&st, move |st, c| {
        keys::revoke_key(c, &id, st.clock.now_ms())
    })
    .await
    {
        Ok(_) => {
            Redirect::to(&format!("{BACK}?flash=console-flash-partner-revoked")).into_response()
        }
        Err(e) => pages::error(staff.tr, &e),
    }
}
