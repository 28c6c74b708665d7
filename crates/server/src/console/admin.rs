//! Administration: staff grants (grant and revoke, as `role.grant` /
//! `role.revoke` ops) and the census import (a CSV file, with a report of
//! every row left out). Administrators only, within their scope; anyone
//! else gets the same 404 as for a page that does not exist.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::{OpKind, Role};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::appeals::{localized, FlashArgs};
use super::csrf::{self, Checked};
use super::i18n::Tr;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, Scope, ADMIN_ROLES};
use crate::census;
use crate::db;
use crate::error::{AppError, AppResult, Reject};
use crate::http::blocking;
use crate::kernel::audit;
use crate::read;
use crate::state::AppState;

/// The staff roles an administrator grants, in the form's order.
const GRANTABLE: &[Role] = &[Role::Official, Role::Moderator, Role::Expert, Role::Admin];

/// The largest census file accepted from the console (about 300,000 rows);
/// bigger ones go through `dauys-server census import`.
pub const CENSUS_MAX_BYTES: usize = 16 * 1024 * 1024;

pub struct Choice {
    pub value: String,
    pub label: String,
}

pub struct GrantLine {
    pub user_id: String,
    pub label: String,
    pub phone: String,
    pub role: String,
    pub role_value: String,
    pub locality: String,
    pub locality_value: String,
    /// A department's name ('' for a grant over the whole locality).
    pub body: String,
    pub body_value: String,
    pub revoke_op: String,
}

#[derive(Template)]
#[template(path = "console/admin.html")]
pub struct AdminPage {
    pub page: Chrome,
    pub grant_op: String,
    pub roles: Vec<Choice>,
    pub localities: Vec<Choice>,
    /// The departments in scope, "the whole locality" ('') first.
    pub bodies: Vec<Choice>,
    pub grants: Vec<GrantLine>,
}

/// A locality's name ('' and unknown codes: "everywhere").
pub fn locality_name(all: &[dauys_proto::Locality], code: &str, tr: Tr) -> String {
    all.iter()
        .find(|l| l.code == code)
        .map(|l| localized(&l.name, tr.lang))
        .unwrap_or_else(|| tr.t("console-everywhere"))
}

/// The localities of `scope` for a select, "everywhere" ('') first when the
/// scope is unscoped.
pub fn locality_choices(all: &[dauys_proto::Locality], scope: &Scope, tr: Tr) -> Vec<Choice> {
    let everywhere = (*scope == Scope::All).then(|| Choice {
        value: String::new(),
        label: tr.t("console-everywhere"),
    });
    everywhere
        .into_iter()
        .chain(
            all.iter()
                .filter(|l| scope.contains(&l.code))
                .map(|l| Choice {
                    value: l.code.clone(),
                    label: localized(&l.name, tr.lang),
                }),
        )
        .collect()
}

pub fn role_label(tr: Tr, r: Role) -> String {
    tr.t(&format!("console-role-{}", r.as_str()))
}

/// The caller's admin scope, or the 404 every non-administrator gets.
pub(super) async fn admin_scope(st: &AppState, staff: &Staff) -> Result<Scope, Response> {
    let actor = staff.actor.clone();
    let scope = blocking(st, move |_, c| store::scope(c, &actor, ADMIN_ROLES)).await;
    pages::found(staff.tr, scope.map(|s| Some(s).filter(|s| !s.is_empty())))
}

/// `GET /console/admin`: the grant form and the staff in scope.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let scope = match admin_scope(&st, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let s2 = scope.clone();
    let loaded = blocking(&st, move |_, c| {
        Ok((store::grants(c, &s2)?, read::localities(c)?))
    })
    .await;
    let (grants, all) = match loaded {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let name_of = |code: &str| locality_name(&all, code, tr);
    let localities = locality_choices(&all, &scope, tr);
    let in_scope = || all.iter().filter(|l| scope.contains(&l.code));
    let body_name = |id: &str| {
        all.iter()
            .flat_map(|l| &l.bodies)
            .find(|b| b.id == id)
            .map_or_else(|| id.to_string(), |b| localized(&b.name, tr.lang))
    };
    let bodies = std::iter::once(Choice {
        value: String::new(),
        label: tr.t("console-department-all"),
    })
    .chain(in_scope().flat_map(|l| &l.bodies).map(|b| Choice {
        value: b.id.clone(),
        label: localized(&b.name, tr.lang),
    }))
    .collect();
    let p = AdminPage {
        page: Chrome::signed_in(tr, "console-admin-title", "/console/admin", &staff)
            .with_flash(flash.as_deref()),
        grant_op: action::new_op_id(),
        roles: GRANTABLE
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_string(),
                label: role_label(tr, *r),
            })
            .collect(),
        grants: grants
            .into_iter()
            .map(|g| GrantLine {
                role: Role::parse(&g.role).map_or(g.role.clone(), |r| role_label(tr, r)),
                locality: name_of(&g.locality),
                revoke_op: action::new_op_id(),
                user_id: g.user_id,
                label: g.label,
                phone: crate::auth::mask_phone(&g.phone),
                role_value: g.role,
                locality_value: g.locality,
                body: if g.body.is_empty() {
                    String::new()
                } else {
                    body_name(&g.body)
                },
                body_value: g.body,
            })
            .collect(),
        localities,
        bodies,
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    user_id: String,
}

fn locality_field(l: &str) -> Option<String> {
    Some(l.trim().to_string()).filter(|l| !l.is_empty())
}

/// `POST /console/admin/grant`.
pub async fn grant(
    State(st): State<AppState>,
    Checked { staff, form: f }: Checked<GrantForm>,
) -> Response {
    if let Err(r) = admin_scope(&st, &staff).await {
        return r;
    }
    // A department's grant lies in its body's locality: the locality
    // chosen beside it is not sent (the server places the grant).
    let body = locality_field(&f.body);
    let locality = if body.is_some() {
        None
    } else {
        locality_field(&f.locality)
    };
    let payload = json!({"iin": f.iin.trim(), "role": f.role, "locality": locality,
                         "body": body, "label": f.label});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::RoleGrant, payload).await;
    action::after(&staff, "/console/admin", "console-flash-granted", outcome)
}

/// `POST /console/admin/revoke`.
pub async fn revoke(
    State(st): State<AppState>,
    Checked { staff, form: f }: Checked<GrantForm>,
) -> Response {
    if let Err(r) = admin_scope(&st, &staff).await {
        return r;
    }
    let payload = json!({"user_id": f.user_id, "role": f.role,
                         "locality": locality_field(&f.locality), "body": locality_field(&f.body)});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::RoleRevoke, payload).await;
    action::after(&staff, "/console/admin", "console-flash-revoked", outcome)
}

/// One row the import left out: its line, the IIN masked, why.
pub struct SkippedLine {
    pub line: usize,
    pub iin: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "console/census.html")]
pub struct CensusPage {
    pub page: Chrome,
    pub op: String,
    /// After an import: its summary and the rows left out.
    pub report: Option<(String, Vec<SkippedLine>)>,
    pub repeated: bool,
}

fn census_page(tr: Tr, staff: &Staff) -> CensusPage {
    CensusPage {
        page: Chrome::signed_in(tr, "console-census-title", "/console/admin/census", staff),
        op: action::new_op_id(),
        report: None,
        repeated: false,
    }
}

/// `GET /console/admin/census`.
pub async fn census_form(State(st): State<AppState>, staff: Staff) -> Response {
    if let Err(r) = admin_scope(&st, &staff).await {
        return r;
    }
    pages::render(StatusCode::OK, &census_page(staff.tr, &staff))
}

/// The multipart form's fields: CSRF token, op id and the file.
async fn census_fields(mut m: Multipart) -> AppResult<(String, String, Vec<u8>)> {
    let (mut csrf, mut op, mut file) = (String::new(), String::new(), Vec::new());
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| Reject::field("file", e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| Reject::field("file", e.to_string()))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "op_id" => op = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if bytes.len() <= CENSUS_MAX_BYTES => file = bytes.to_vec(),
            "file" => return Err(Reject::field("file", "file too large").into()),
            _ => {}
        }
    }
    Ok((csrf, op, file))
}

/// `POST /console/admin/census`: imports the file in one transaction (bad
/// rows are reported and left out) and records it in the audit log under
/// the form's op id, so a form sent twice imports once.
pub async fn census_import(State(st): State<AppState>, staff: Staff, m: Multipart) -> Response {
    let tr = staff.tr;
    let (token, op_id, file) = match census_fields(m).await {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    if let Some(r) = csrf::refused(&staff, &token) {
        return r;
    }
    if let Err(r) = admin_scope(&st, &staff).await {
        return r;
    }
    let Ok(op) = uuid::Uuid::parse_str(op_id.trim()) else {
        return pages::not_found(tr);
    };
    let actor = staff.actor.clone();
    let done = blocking(&st, move |st, c| {
        db::write_tx(c, |c| {
            if audit::seen(c, &op.to_string())? {
                return Ok(None);
            }
            let r = census::import_csv_in(st, c, file.as_slice())?;
            let summary = format!("+{} ~{} -{}", r.added, r.updated, r.skipped.len());
            audit::record_import(c, &actor, &op.to_string(), &summary, st.clock.now_ms())?;
            Ok::<_, AppError>(Some(r))
        })
    })
    .await;
    let mut p = census_page(tr, &staff);
    match done {
        Ok(Some(r)) => {
            let summary = [
                tr.n("console-census-added", "count", r.added as i64),
                tr.n("console-census-updated", "count", r.updated as i64),
                tr.n("console-census-skipped", "count", r.skipped.len() as i64),
            ]
            .join(" · ");
            p.report = Some((
                summary,
                r.skipped
                    .into_iter()
                    .map(|s| SkippedLine {
                        reason: tr.t(match s.field.as_str() {
                            "iin" => "console-census-bad-iin",
                            "phone" => "console-census-bad-phone",
                            "locality" => "console-census-bad-locality",
                            _ => "console-census-bad-row",
                        }),
                        line: s.line,
                        iin: s.iin,
                    })
                    .collect(),
            ))
        }
        Ok(None) => p.repeated = true,
        Err(e) => return pages::error(tr, &e),
    }
    pages::render(StatusCode::OK, &p)
}

super::csrf::csrf_forms!(GrantForm);
