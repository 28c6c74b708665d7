//! Partner apps' Open311 API keys (administrators with an unscoped grant:
//! a key is not tied to a locality). A key is shown once, when issued;
//! only its hash is stored (`components/appeals/open311/store.rs`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dauys_proto::{OpKind, OpOutcome};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::appeals::FlashArgs;
use super::csrf::Checked;
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
    /// The op id of this line's revoke form.
    pub revoke_op: String,
}

#[derive(Template)]
#[template(path = "console/partners.html")]
pub struct PartnersPage {
    pub page: Chrome,
    pub keys: Vec<KeyLine>,
    /// The key just issued, shown this once.
    pub new_key: Option<String>,
    /// The op id of the issue form.
    pub issue_op: String,
}

/// Only an administrator granted everywhere manages partner keys (404
/// for anyone else, as every console page outside one's scope).
async fn global_admin(st: &AppState, staff: &Staff) -> Result<(), Response> {
    let actor = staff.actor.clone();
    let scope = blocking(st, move |_, c| store::scope(c, &actor, ADMIN_ROLES)).await;
    pages::found(staff.tr, scope.map(|s| (s == Scope::All).then_some(())))
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
                revoke_op: action::new_op_id(),
            })
            .collect(),
        new_key,
        issue_op: action::new_op_id(),
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
    op_id: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    id: String,
}

super::csrf::csrf_forms!(KeyForm);

/// `POST /console/admin/partners`: a `partner.issue` op through the op
/// path (audited, once per form); the key, derived from the op id, is
/// shown this once.
pub async fn issue(
    State(st): State<AppState>,
    Checked { staff, form: f }: Checked<KeyForm>,
) -> Response {
    if let Err(r) = global_admin(&st, &staff).await {
        return r;
    }
    let label: String = f.label.trim().chars().take(120).collect();
    if label.is_empty() {
        return Redirect::to(&format!("{BACK}?flash=console-partner-label-required"))
            .into_response();
    }
    let outcome = action::run(
        &st,
        &staff,
        &f.op_id,
        OpKind::PartnerIssue,
        json!({"label": label}),
    )
    .await;
    match outcome {
        // Accepted for this administrator (an op id of someone else's is
        // refused by the op path): the key of this op.
        Ok(OpOutcome::Accepted { .. }) => {
            let key = crate::crypto::partner_key(&st.secret, f.op_id.trim());
            render(&st, &staff, Some("console-flash-partner-issued"), Some(key)).await
        }
        other => action::after(&staff, BACK, "console-flash-partner-issued", other),
    }
}

/// `POST /console/admin/partners/revoke`: a `partner.revoke` op.
pub async fn revoke(
    State(st): State<AppState>,
    Checked { staff, form: f }: Checked<KeyForm>,
) -> Response {
    if let Err(r) = global_admin(&st, &staff).await {
        return r;
    }
    let outcome = action::run(
        &st,
        &staff,
        &f.op_id,
        OpKind::PartnerRevoke,
        json!({"id": f.id.trim()}),
    )
    .await;
    action::after(&staff, BACK, "console-flash-partner-revoked", outcome)
}
