//! `POST requests`: a partner app files an appeal for a signed-in resident
//! (see the module above for the rules).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use dauys_proto::{Op, OpKind, OpOutcome};

use super::wire::{self, Format};
use super::{oops, store};
use crate::auth;
use crate::error::AppError;
use crate::http::blocking;
use crate::kernel::push::{self, Channel};
use crate::public::page::tr_of;
use crate::state::AppState;

/// The fields of a POST, from the query string and the form body together
/// (clients put `api_key` in either).
fn fields(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    m.extend(form_urlencoded::parse(body).into_owned());
    m
}

fn yes(v: Option<&String>) -> bool {
    matches!(
        v.map(|s| s.trim().to_ascii_lowercase()).as_deref(),
        Some("true" | "yes" | "1")
    )
}

/// `POST requests`: a partner app files an appeal for a signed-in resident.
pub async fn create(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some(("requests", f)) = wire::split_format(&file) else {
        return wire::error(Format::Json, StatusCode::NOT_FOUND, "not found");
    };
    let m = fields(query.as_deref(), &body);
    let tr = tr_of(m.get("lang").map(String::as_str), &headers);
    let session = crate::http::bearer_token(&headers)
        .or_else(|| m.get("attribute[session]").cloned())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let key = m.get("api_key").cloned().unwrap_or_default();
    let Some((body_id, t)) = m
        .get("service_code")
        .and_then(|c| wire::parse_service_code(c))
        .map(|(b, t)| (b.to_string(), t))
    else {
        return wire::error(
            f,
            StatusCode::BAD_REQUEST,
            "service_code is missing or unknown",
        );
    };
    let description = m.get("description").cloned().unwrap_or_default();
    let subject = m
        .get("attribute[subject]")
        .or_else(|| m.get("address_string"))
        .cloned()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| description.chars().take(80).collect());
    let location = match (m.get("lat"), m.get("long")) {
        (Some(lat), Some(lon)) => match (lat.trim().parse::<f64>(), lon.trim().parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some(serde_json::json!({"lat": lat, "lon": lon})),
            _ => {
                return wire::error(
                    f,
                    StatusCode::BAD_REQUEST,
                    "lat and long are decimal degrees",
                )
            }
        },
        _ => None,
    };
    let op_id = match m.get("attribute[request_uuid]") {
        Some(u) => match uuid::Uuid::parse_str(u.trim()) {
            Ok(u) => u,
            Err(_) => {
                return wire::error(
                    f,
                    StatusCode::BAD_REQUEST,
                    "attribute[request_uuid] is a UUIDv7",
                )
            }
        },
        None => uuid::Uuid::now_v7(),
    };
    let payload = serde_json::json!({
        "type": t.as_str(), "addressee": body_id, "subject": subject, "body": description,
        "location": location, "public": yes(m.get("attribute[public]")), "media": [],
    });
    let outcome = blocking(&st, move |st, c| {
        let Some(partner) = store::partner_of(c, &key)? else {
            return Ok(Err(Refusal::Key));
        };
        let Some(session) = session else {
            return Ok(Err(Refusal::Anonymous));
        };
        let actor = match auth::authenticate(st, c, &session) {
            Ok(a) => a,
            Err(AppError::Reject(_)) => return Ok(Err(Refusal::Session)),
            Err(e) => return Err(e),
        };
        let op = Op {
            id: op_id,
            kind: OpKind::AppealSubmit.as_str().to_string(),
            payload,
            client_ts: st.clock.now_ms(),
            signature: None,
        };
        let mut r = push::push_via(st, c, &actor, std::slice::from_ref(&op), Channel::Partner)?;
        tracing::info!(partner = %partner, op = %op_id, "open311 request filed by a partner app");
        Ok(Ok((r.pop().map(|r| r.outcome), actor.user_id)))
    })
    .await;
    match outcome {
        Ok(Ok((Some(OpOutcome::Accepted { entity_id, .. }), user))) => {
            let id = entity_id;
            wire::list(
                f,
                "service_requests",
                "request",
                &[wire::Created {
                    token: id.clone(),
                    service_request_id: id,
                    service_notice: tr.t("open311-created"),
                    account_id: user,
                }],
            )
        }
        Ok(Ok((Some(OpOutcome::Rejected { code, detail, .. }), _))) => {
            let msg = format!("{} ({detail})", tr.t(&code.message_key()));
            wire::error(f, StatusCode::BAD_REQUEST, &msg)
        }
        Ok(Ok((None, _))) => oops(f, &AppError::Internal("empty push result".into())),
        Ok(Err(refusal)) => wire::error(f, StatusCode::FORBIDDEN, &tr.t(refusal.message_id())),
        Err(e) => oops(f, &e),
    }
}

/// Why a POST is refused before it is read.
enum Refusal {
    /// No or a revoked `api_key`.
    Key,
    /// No resident: the law requires an identified applicant.
    Anonymous,
    /// A session token that is not (or no longer) valid.
    Session,
}

impl Refusal {
    fn message_id(&self) -> &'static str {
        match self {
            Refusal::Key => "open311-refused-key",
            Refusal::Anonymous => "open311-refused-anonymous",
            Refusal::Session => "open311-refused-session",
        }
    }
}
