//! Routing help: per locality, which body deals with each appeal topic.
//! Residents see it as a suggestion when they write an appeal (the rule
//! is `dauys_proto::suggested_body`); administrators keep the table here,
//! one `locality.route` op per row (audited, idempotent by the form's op
//! id). A locality outside the administrator's scope is a 404.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dauys_proto::{Locality, OpKind};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::admin::{admin_scope, locality_choices, Choice};
use super::appeals::localized;
use super::csrf::Checked;
use super::pages::{self, Chrome};
use super::session::Staff;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

pub struct RouteRow {
    pub topic: String,
    pub label: String,
    /// The body chosen now ('' for none).
    pub body: String,
    pub op: String,
}

#[derive(Template)]
#[template(path = "console/routing.html")]
pub struct RoutingPage {
    pub page: Chrome,
    pub code: String,
    pub localities: Vec<Choice>,
    /// The bodies that serve the place: its own and those above it.
    pub bodies: Vec<Choice>,
    pub rows: Vec<RouteRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ChooseArgs {
    #[serde(default)]
    locality: Option<String>,
    #[serde(default)]
    flash: Option<String>,
}

/// `GET /console/admin/routes[?locality=…]`: to the chosen place's table
/// (the first place in scope by default).
pub async fn choose(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<ChooseArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let scope = match admin_scope(&st, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let asked = args.ok().and_then(|Query(a)| a.locality);
    let all = match blocking(&st, |_, c| read::localities(c)).await {
        Ok(v) => v,
        Err(e) => return pages::error(staff.tr, &e),
    };
    let code = asked.filter(|c| scope.contains(c)).or_else(|| {
        all.iter()
            .find(|l| scope.contains(&l.code))
            .map(|l| l.code.clone())
    });
    match code {
        Some(code) => Redirect::to(&format!("/console/admin/routes/{code}")).into_response(),
        None => pages::not_found(staff.tr),
    }
}

/// The place and the places above it, nearest first.
fn chain<'a>(all: &'a [Locality], code: &str) -> Vec<&'a Locality> {
    let mut out = Vec::new();
    let mut next = Some(code.to_string());
    while let Some(c) = next {
        let Some(l) = all.iter().find(|l| l.code == c) else {
            break;
        };
        if out.iter().any(|x: &&Locality| x.code == l.code) {
            break;
        }
        out.push(l);
        next = l.parent.clone();
    }
    out
}

/// `GET /console/admin/routes/{code}`: the place's table.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    args: Result<Query<ChooseArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let scope = match admin_scope(&st, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !scope.contains(&code) {
        return pages::not_found(tr);
    }
    let all = match blocking(&st, |_, c| read::localities(c)).await {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let places = chain(&all, &code);
    let Some(place) = places.first() else {
        return pages::not_found(tr);
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let bodies = places
        .iter()
        .flat_map(|l| &l.bodies)
        .map(|b| Choice {
            value: b.id.clone(),
            label: localized(&b.name, tr.lang),
        })
        .collect();
    let rows = dauys_proto::APPEAL_TOPICS
        .iter()
        .map(|topic| RouteRow {
            topic: topic.to_string(),
            label: tr.t(&format!("appeal-topic-{topic}")),
            body: place.routes.get(*topic).cloned().unwrap_or_default(),
            op: action::new_op_id(),
        })
        .collect();
    let p = RoutingPage {
        page: Chrome::signed_in(tr, "console-routes-title", "/console/admin/routes", &staff)
            .with_flash(flash.as_deref()),
        localities: locality_choices(&all, &scope, tr)
            .into_iter()
            .filter(|c| !c.value.is_empty())
            .collect(),
        code,
        bodies,
        rows,
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    body: String,
}

/// `POST /console/admin/routes/{code}`: one row (the op checks the scope,
/// the topic and that the body serves the place).
pub async fn save(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Checked { staff, form: f }: Checked<RouteForm>,
) -> Response {
    if let Err(r) = admin_scope(&st, &staff).await {
        return r;
    }
    let body = Some(f.body.trim().to_string()).filter(|b| !b.is_empty());
    let payload = json!({"locality": code, "topic": f.topic, "body": body});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::LocalityRoute, payload).await;
    action::after(
        &staff,
        &format!("/console/admin/routes/{code}"),
        "console-flash-route-saved",
        outcome,
    )
}
super::csrf::csrf_forms!(RouteForm);
