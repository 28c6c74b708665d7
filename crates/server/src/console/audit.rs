//! The audit log page: every staff action in the administrator's scope —
//! who, when, what, on which item, with what outcome, from which op id —
//! newest first, in pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::i18n::Tr;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, ADMIN_ROLES};
use crate::clock::{date_of, time_of};
use crate::http::blocking;
use crate::state::AppState;

/// Lines per page.
const PAGE: i64 = 50;

pub struct Line {
    pub when: String,
    pub who: String,
    pub what: String,
    pub item: String,
    /// The item's console page, where there is one.
    pub item_href: Option<String>,
    pub outcome: String,
    pub refused: bool,
    pub op_id: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
pub struct AuditPage {
    pub page: Chrome,
    pub lines: Vec<Line>,
    pub older_href: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditArgs {
    /// Cursor: `<ms>_<op id>` of the last line of the previous page.
    #[serde(default)]
    before: Option<String>,
}

fn cursor(s: &str) -> Option<(i64, String)> {
    let (at, op) = s.split_once('_')?;
    let op = uuid::Uuid::parse_str(op).ok()?;
    Some((at.parse().ok()?, op.to_string()))
}

/// "Registered an appeal", … (the kind itself if it has no label).
fn what(tr: Tr, kind: &str) -> String {
    let id = format!("console-audit-{}", kind.replace('.', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        kind.to_string()
    }
}

fn outcome(tr: Tr, o: &str) -> String {
    if o == "accepted" {
        return tr.t("console-audit-done");
    }
    let id = format!("error-{}", o.replace('_', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        o.to_string()
    }
}

/// `GET /console/audit`.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<AuditArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let before = args
        .ok()
        .and_then(|Query(a)| a.before)
        .and_then(|b| cursor(&b));
    let actor = staff.actor.clone();
    let loaded = blocking(&st, move |_, c| {
        let Some(scope) = store::granted_scope(c, &actor, ADMIN_ROLES)? else {
            return Ok(None);
        };
        store::audit(c, &scope, before, PAGE + 1).map(Some)
    })
    .await;
    let mut rows = match pages::found(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let older_href = more
        .then(|| rows.last())
        .flatten()
        .map(|r| format!("/console/audit?before={}_{}", r.at, r.op_id));
    let lines = rows
        .into_iter()
        .map(|r| Line {
            when: format!(
                "{} {}",
                dauys_proto::workdays::format_date(date_of(r.at)),
                time_of(r.at)
            ),
            who: if r.label.is_empty() {
                short(&r.user_id)
            } else {
                format!("{} ({})", r.label, short(&r.user_id))
            },
            what: what(tr, &r.kind),
            item_href: (r.kind.starts_with("appeal.") && !r.entity_id.is_empty())
                .then(|| format!("/console/appeals/{}", r.entity_id)),
            item: r.entity_id,
            refused: r.outcome != "accepted",
            outcome: outcome(tr, &r.outcome),
            op_id: r.op_id,
        })
        .collect();
    let p = AuditPage {
        page: Chrome::signed_in(tr, "console-audit-title", "/console/audit", &staff),
        lines,
        older_href,
    };
    pages::render(StatusCode::OK, &p)
}

/// The last 8 characters of an id: enough to tell people apart on a page.
fn short(id: &str) -> String {
    id.chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}
