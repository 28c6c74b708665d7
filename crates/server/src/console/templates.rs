//! Answer templates: administrators keep them per appeal type (and
//! locality); an official answering an appeal picks one to start from —
//! a link that reloads the appeal page with the answer pre-filled, so it
//! works without JavaScript. Saving and deleting are `template.save` /
//! `template.delete` ops (audited, idempotent by the form's op id).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dauys_proto::{AppealType, OpKind};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::admin::{locality_choices, locality_name, Choice};
use super::csrf;
use super::i18n::Tr;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, Scope, ADMIN_ROLES};
use crate::auth;
use crate::db::{Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

/// One stored template.
#[derive(Debug, Clone)]
pub struct TemplateRow {
    pub id: String,
    pub appeal_type: String,
    pub locality: String,
    pub title: String,
    pub body: String,
}

impl FromRow for TemplateRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(TemplateRow {
            id: r.get("id")?,
            appeal_type: r.get("appeal_type")?,
            locality: r.get("locality")?,
            title: r.get("title")?,
            body: r.get("body")?,
        })
    }
}

fn all_templates(c: &mut dyn Conn) -> AppResult<Vec<TemplateRow>> {
    let mut out = Vec::new();
    for r in c.query(
        "SELECT id, appeal_type, locality, title, body FROM answer_templates ORDER BY appeal_type, title, id",
        crate::params![],
    )? {
        out.push(TemplateRow::from_row(&r)?);
    }
    Ok(out)
}

/// Templates an administrator with `scope` keeps (a few dozen at most).
pub fn in_scope(c: &mut dyn Conn, scope: &Scope) -> AppResult<Vec<TemplateRow>> {
    Ok(all_templates(c)?
        .into_iter()
        .filter(|t| match scope {
            Scope::All => true,
            Scope::Within(_) => !t.locality.is_empty() && scope.contains(&t.locality),
        })
        .collect())
}

/// Templates offered for an appeal: of its type, for its locality or one
/// above it, or for everywhere.
pub fn for_appeal(
    c: &mut dyn Conn,
    appeal_type: AppealType,
    locality: &str,
) -> AppResult<Vec<TemplateRow>> {
    let tree = auth::locality_tree(c)?;
    Ok(all_templates(c)?
        .into_iter()
        .filter(|t| t.appeal_type == appeal_type.as_str())
        .filter(|t| t.locality.is_empty() || tree.is_within(locality, &t.locality))
        .collect())
}

pub struct Line {
    pub id: String,
    pub kind: String,
    pub locality: String,
    pub title: String,
    pub body: String,
    pub delete_op: String,
}

#[derive(Template)]
#[template(path = "console/templates.html")]
pub struct TemplatesPage {
    pub page: Chrome,
    pub lines: Vec<Line>,
    pub types: Vec<Choice>,
    pub localities: Vec<Choice>,
    pub save_op: String,
    /// The template being edited (its id, type, locality, title, text).
    pub editing: Option<TemplateRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageArgs {
    #[serde(default)]
    flash: Option<String>,
    #[serde(default)]
    edit: Option<String>,
}

fn type_label(tr: Tr, t: &str) -> String {
    tr.t(&format!("appeal-type-{t}"))
}

/// `GET /console/admin/templates`.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<PageArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let args = args.map(|Query(a)| a).unwrap_or_default();
    let actor = staff.actor.clone();
    let loaded = blocking(&st, move |_, c| {
        let Some(scope) = store::granted_scope(c, &actor, ADMIN_ROLES)? else {
            return Ok(None);
        };
        Ok(Some((in_scope(c, &scope)?, read::localities(c)?, scope)))
    })
    .await;
    let (rows, all, scope) = match pages::found(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let name_of = |code: &str| locality_name(&all, code, tr);
    let localities = locality_choices(&all, &scope, tr);
    let editing = args
        .edit
        .and_then(|id| rows.iter().find(|t| t.id == id).cloned());
    let p = TemplatesPage {
        page: Chrome::signed_in(
            tr,
            "console-templates-title",
            "/console/admin/templates",
            &staff,
        )
        .with_flash(args.flash.as_deref()),
        lines: rows
            .into_iter()
            .map(|t| Line {
                kind: type_label(tr, &t.appeal_type),
                locality: name_of(&t.locality),
                delete_op: action::new_op_id(),
                id: t.id,
                title: t.title,
                body: t.body,
            })
            .collect(),
        types: AppealType::ALL
            .iter()
            .map(|t| Choice {
                value: t.as_str().to_string(),
                label: type_label(tr, t.as_str()),
            })
            .collect(),
        localities,
        save_op: action::new_op_id(),
        editing,
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    id: String,
    #[serde(default, rename = "type")]
    appeal_type: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

const BACK: &str = "/console/admin/templates";

/// `POST /console/admin/templates` (create or, with `id`, replace).
pub async fn save(
    State(st): State<AppState>,
    staff: Staff,
    form: Result<Form<TemplateForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(r) = csrf::refused(&staff, &f.csrf) {
        return r;
    }
    let id = Some(f.id.trim()).filter(|s| !s.is_empty());
    let locality = Some(f.locality.trim()).filter(|s| !s.is_empty());
    let payload = json!({"id": id, "type": f.appeal_type, "locality": locality,
                         "title": f.title, "body": f.body});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::TemplateSave, payload).await;
    action::after(&staff, BACK, "console-flash-template-saved", outcome)
}

/// `POST /console/admin/templates/delete`.
pub async fn delete(
    State(st): State<AppState>,
    staff: Staff,
    form: Result<Form<TemplateForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(r) = csrf::refused(&staff, &f.csrf) {
        return r;
    }
    let payload = json!({"id": f.id});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::TemplateDelete, payload).await;
    action::after(&staff, BACK, "console-flash-template-deleted", outcome)
}
