//! Answer templates: administrators keep them per appeal type (and
//! locality); an official answering an appeal picks one to start from —
//! a link that reloads the appeal page with the answer pre-filled, so it
//! works without JavaScript. Saving and deleting are `template.save` /
//! `template.delete` ops (audited, idempotent by the form's op id).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::{AppealType, OpKind};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::admin::{locality_choices, locality_name, Choice};
use super::csrf::Checked;
use super::i18n::Tr;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::templates::{in_scope, TemplateRow};
use super::store::{self, ADMIN_ROLES};
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

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
    Checked { staff, form: f }: Checked<TemplateForm>,
) -> Response {
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
    Checked { staff, form: f }: Checked<TemplateForm>,
) -> Response {
    let payload = json!({"id": f.id});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::TemplateDelete, payload).await;
    action::after(&staff, BACK, "console-flash-template-deleted", outcome)
}

super::csrf::csrf_forms!(TemplateForm);
