//! Open311 GeoReport v2 under `/open311/v2/` — the field's convention for
//! reports to a city, so existing clients and aggregators read Dauys's
//! public appeals, and partner apps file appeals for residents.
//!
//! - A **service** is one form of appeal to one body: `{body}.{type}`
//!   (`pvl-akimat.complaint`); its definition lists the extra attributes a
//!   POST may carry (`subject`, `public`).
//! - A **service request** is a *public* appeal. Private appeals never
//!   appear in any answer, whatever the id or filter asked.
//! - `expected_datetime` is the legal due date (the end of that working
//!   day), `agency_responsible` the body now responsible, `status_notes`
//!   the answer or the latest public note.
//! - POST needs a partner app's `api_key` (issued by an administrator in
//!   the console) **and** a signed-in resident: the law on appeals requires
//!   an identified applicant, so an anonymous POST is refused with a clear
//!   message. The resident's session token comes as `Authorization:
//!   Bearer …` or, for clients that cannot set headers, the
//!   `attribute[session]` field. `attribute[request_uuid]` (a UUIDv7)
//!   makes a POST idempotent.
//! - `jurisdiction_id` is optional: a locality code narrows every list to
//!   that locality and everything under it.

mod discovery;
mod post;
pub mod store;
pub mod wire;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use dauys_proto::{Appeal, AppealType, Localized};

use crate::console::i18n::Tr;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::public::page::tr_of;
use crate::read;
use crate::state::AppState;
use store::RequestFilter;
use wire::{Format, Service};

/// Requests per answer (the spec leaves the limit to the server; `page`
/// walks further).
pub const PAGE: i64 = 200;
/// The spec's default and longest window of a request list.
const WINDOW_MS: i64 = 90 * 24 * 3600 * 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top).post(post::create))
        .route("/open311/v2/services/{file}", get(definition))
        // The `open311` client on PyPI asks for `service/{code}`.
        .route("/open311/v2/service/{file}", get(definition))
        .route("/open311/v2/requests/{file}", get(request_one))
        .route("/open311/v2/tokens/{file}", get(token))
}

#[derive(Debug, Default, Deserialize)]
pub struct Args {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    jurisdiction_id: Option<String>,
    #[serde(default)]
    service_request_id: Option<String>,
    #[serde(default)]
    service_code: Option<String>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

/// A body's name and locality, by id.
type Bodies = HashMap<String, (Localized, String)>;

fn bodies(c: &mut dyn crate::db::Conn) -> AppResult<Bodies> {
    Ok(read::localities(c)?
        .into_iter()
        .flat_map(|l| l.bodies)
        .map(|b| (b.id, (b.name, b.locality)))
        .collect())
}

fn name(tr: Tr, l: &Localized) -> String {
    crate::console::appeals::localized(l, tr.lang)
}

fn type_name(tr: Tr, t: AppealType) -> String {
    tr.t(&format!("appeal-type-{}", t.as_str()))
}

/// The localities of `jurisdiction_id` (empty: everywhere); `None` when
/// the code names no locality.
fn jurisdiction(c: &mut dyn crate::db::Conn, j: Option<&str>) -> AppResult<Option<Vec<String>>> {
    match j.map(str::trim).filter(|j| !j.is_empty()) {
        None => Ok(Some(Vec::new())),
        Some(code) => match read::locality(c, code)? {
            None => Ok(None),
            Some(_) => Ok(Some(crate::public::store::subtree(c, code)?)),
        },
    }
}

fn oops(f: Format, e: &AppError) -> Response {
    tracing::error!(error = %e, "open311 request failed");
    wire::error(
        f,
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily unavailable; retry",
    )
}

fn no_jurisdiction(f: Format) -> Response {
    wire::error(f, StatusCode::NOT_FOUND, "jurisdiction_id not found")
}

/// `discovery`, `services` and `requests` (GET).
pub async fn top(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(a): Query<Args>,
) -> Response {
    let Some((what, f)) = wire::split_format(&file) else {
        return wire::error(Format::Json, StatusCode::NOT_FOUND, "not found");
    };
    let tr = tr_of(a.lang.as_deref(), &headers);
    match what {
        "discovery" => discovery::discovery(f),
        "services" => services(&st, tr, f, a).await,
        "requests" => requests(&st, tr, f, a).await,
        _ => wire::error(f, StatusCode::NOT_FOUND, "not found"),
    }
}

fn service_of(tr: Tr, body: &str, body_name: &Localized, t: AppealType) -> Service {
    let group = name(tr, body_name);
    Service {
        service_code: wire::service_code(body, t),
        service_name: format!("{} — {group}", type_name(tr, t)),
        description: tr.t(&format!("appeal-type-{}-help", t.as_str())),
        metadata: true,
        kind: "realtime",
        keywords: t.as_str().to_string(),
        group,
    }
}

async fn services(st: &AppState, tr: Tr, f: Format, a: Args) -> Response {
    let loaded = blocking(st, move |_, c| {
        let Some(within) = jurisdiction(c, a.jurisdiction_id.as_deref())? else {
            return Ok(None);
        };
        Ok(Some(
            read::localities(c)?
                .into_iter()
                .filter(|l| within.is_empty() || within.contains(&l.code))
                .flat_map(|l| l.bodies)
                .collect::<Vec<_>>(),
        ))
    })
    .await;
    match loaded {
        Ok(Some(bodies)) => {
            let list: Vec<Service> = bodies
                .iter()
                .flat_map(|b| {
                    AppealType::ALL
                        .iter()
                        .map(|&t| service_of(tr, &b.id, &b.name, t))
                })
                .collect();
            wire::list(f, "services", "service", &list)
        }
        Ok(None) => no_jurisdiction(f),
        Err(e) => oops(f, &e),
    }
}

/// `services/{code}`: the attributes a POST may carry.
pub async fn definition(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(a): Query<Args>,
) -> Response {
    let Some((code, f)) = wire::split_format(&file) else {
        return wire::error(Format::Json, StatusCode::NOT_FOUND, "not found");
    };
    let tr = tr_of(a.lang.as_deref(), &headers);
    let Some((body, _)) = wire::parse_service_code(code) else {
        return wire::error(f, StatusCode::NOT_FOUND, "service_code not found");
    };
    let body = body.to_string();
    match blocking(&st, move |_, c| Ok(bodies(c)?.contains_key(&body))).await {
        Ok(true) => {}
        Ok(false) => return wire::error(f, StatusCode::NOT_FOUND, "service_code not found"),
        Err(e) => return oops(f, &e),
    }
    let yes_no = vec![
        wire::AttributeValue {
            key: "false".into(),
            name: tr.t("open311-public-no"),
        },
        wire::AttributeValue {
            key: "true".into(),
            name: tr.t("open311-public-yes"),
        },
    ];
    let d = wire::ServiceDefinition {
        service_code: code.to_string(),
        attributes: vec![
            wire::Attribute {
                variable: true,
                code: "subject".into(),
                datatype: "string",
                required: false,
                datatype_description: tr.t("open311-subject-format"),
                order: 1,
                description: tr.t("open311-subject"),
                values: Vec::new(),
            },
            wire::Attribute {
                variable: true,
                code: "public".into(),
                datatype: "singlevaluelist",
                required: false,
                datatype_description: String::new(),
                order: 2,
                description: tr.t("open311-public"),
                values: yes_no,
            },
        ],
    };
    match f {
        Format::Json => wire::one(f, "service_definition", &d),
        Format::Xml => wire::one(f, "service_definition", &d.xml()),
    }
}

/// The window a request list covers: the spec's 90 days by default, and
/// never more.
fn window(a: &Args, now: i64) -> Result<(i64, i64), &'static str> {
    let parse = |s: &Option<String>| -> Result<Option<i64>, &'static str> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => wire::parse_datetime(s)
                .map(Some)
                .ok_or("dates are W3C datetimes, e.g. 2026-01-01T00:00:00Z"),
        }
    };
    let (from, to) = match (parse(&a.start_date)?, parse(&a.end_date)?) {
        (None, None) => (now - WINDOW_MS, now + 1),
        (Some(s), None) => (s, s + WINDOW_MS),
        (None, Some(e)) => (e - WINDOW_MS, e),
        (Some(s), Some(e)) => (s, e),
    };
    if to <= from {
        return Err("end_date must be after start_date");
    }
    if to - from > WINDOW_MS + 1 {
        return Err("start_date and end_date may not span more than 90 days");
    }
    Ok((from, to))
}

fn list_of(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks a request list's arguments.
fn filter_of(a: &Args, now: i64) -> Result<RequestFilter, &'static str> {
    let mut f = RequestFilter {
        ids: list_of(&a.service_request_id),
        ..Default::default()
    };
    if f.ids.len() > PAGE as usize {
        return Err("at most 200 service_request_id at once");
    }
    if !f.ids.is_empty() {
        return Ok(f);
    }
    (f.from, f.to) = window(a, now)?;
    for code in list_of(&a.service_code) {
        let (body, t) = wire::parse_service_code(&code).ok_or("unknown service_code")?;
        f.services.push((body.to_string(), t.as_str().to_string()));
    }
    let statuses = list_of(&a.status);
    let open = statuses.iter().any(|s| s == "open");
    let closed = statuses.iter().any(|s| s == "closed");
    if statuses.iter().any(|s| s != "open" && s != "closed") {
        return Err("status is open or closed");
    }
    f.open = match (open, closed) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    Ok(f)
}

/// The public notes of an appeal: its answer, else the latest public note.
fn notes(a: &Appeal) -> String {
    a.answer
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            a.history
                .iter()
                .rev()
                .map(|h| h.note.clone())
                .find(|n| !n.is_empty())
        })
        .unwrap_or_default()
}

/// Loads the public appeals `f` selects as service requests.
async fn load(
    st: &AppState,
    tr: Tr,
    f: RequestFilter,
    jurisdiction_id: Option<String>,
    offset: i64,
) -> AppResult<Option<Vec<wire::ServiceRequest>>> {
    blocking(st, move |st, c| {
        let Some(within) = jurisdiction(c, jurisdiction_id.as_deref())? else {
            return Ok(None);
        };
        let f = RequestFilter {
            localities: within,
            ..f
        };
        let ids = store::request_ids(c, &f, offset, PAGE)?;
        let names = bodies(c)?;
        // Newest first, as listed.
        let appeals = crate::public::places::ordered(
            read::appeals(c, &ids, None, false, st.clock.today())?,
            &ids,
        );
        Ok(Some(
            appeals
                .into_iter()
                .filter(|a| a.public)
                .map(|a| {
                    let body = names
                        .get(&a.addressee)
                        .map(|(n, _)| name(tr, n))
                        .unwrap_or_else(|| a.addressee.clone());
                    let (t, n) = (type_name(tr, a.appeal_type), notes(&a));
                    wire::request_of(a, body, t, n)
                })
                .collect(),
        ))
    })
    .await
}

async fn requests(st: &AppState, tr: Tr, f: Format, a: Args) -> Response {
    let filter = match filter_of(&a, st.clock.now_ms()) {
        Ok(v) => v,
        Err(msg) => return wire::error(f, StatusCode::BAD_REQUEST, msg),
    };
    let offset = (a.page.unwrap_or(1).clamp(1, 10_000) - 1) * PAGE;
    match load(st, tr, filter, a.jurisdiction_id, offset).await {
        Ok(Some(list)) => wire::list(f, "service_requests", "request", &list),
        Ok(None) => no_jurisdiction(f),
        Err(e) => oops(f, &e),
    }
}

/// `requests/{id}`: one public appeal (a list of one, as the spec says);
/// a private or unknown id is the same 404.
pub async fn request_one(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(a): Query<Args>,
) -> Response {
    let Some((id, f)) = wire::split_format(&file) else {
        return wire::error(Format::Json, StatusCode::NOT_FOUND, "not found");
    };
    let tr = tr_of(a.lang.as_deref(), &headers);
    let filter = RequestFilter {
        ids: vec![id.to_string()],
        ..Default::default()
    };
    match load(&st, tr, filter, None, 0).await {
        Ok(Some(list)) if !list.is_empty() => wire::list(f, "service_requests", "request", &list),
        Ok(_) => wire::error(f, StatusCode::NOT_FOUND, "service_request_id not found"),
        Err(e) => oops(f, &e),
    }
}

/// `tokens/{token}`: Dauys registers a POSTed request at once, so a token
/// is the request's id; answered for public requests only.
pub async fn token(State(st): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, f)) = wire::split_format(&file) else {
        return wire::error(Format::Json, StatusCode::NOT_FOUND, "not found");
    };
    let filter = RequestFilter {
        ids: vec![token.to_string()],
        ..Default::default()
    };
    let t = token.to_string();
    match blocking(&st, move |_, c| store::request_ids(c, &filter, 0, 1)).await {
        Ok(ids) if !ids.is_empty() => wire::list(
            f,
            "service_requests",
            "request",
            &[wire::TokenAnswer {
                service_request_id: ids[0].clone(),
                token: t,
            }],
        ),
        Ok(_) => wire::error(f, StatusCode::NOT_FOUND, "token not found"),
        Err(e) => oops(f, &e),
    }
}
