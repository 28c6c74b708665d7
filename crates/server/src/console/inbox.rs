//! `GET /v1/staff/appeals`: the officials' inbox as JSON, with the
//! console's scoping and filters (the same `store::appeals_queue`).

use axum::extract::State;
use axum::Json;
use dauys_proto::{ApiError, Appeal, ErrorCode};
use serde::{Deserialize, Serialize};

use super::appeals::QueueArgs;
use super::store::{self, APPEAL_ROLES};
use crate::auth::Actor;
use crate::error::{AppResult, Reject};
use crate::http::{blocking, QueryArgs};
use crate::read;
use crate::state::AppState;

/// One page of the inbox.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffAppealsPage {
    /// Appeals by due date (unregistered ones last, by arrival).
    pub items: Vec<Appeal>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffAppealsArgs {
    /// An appeal status, e.g. `submitted`.
    #[serde(default)]
    status: Option<String>,
    /// An appeal type, e.g. `complaint`.
    #[serde(default, rename = "type")]
    appeal_type: Option<String>,
    /// `1` or `true`: open appeals past their due date only.
    #[serde(default)]
    overdue: Option<String>,
    /// Words in the subject or text.
    #[serde(default)]
    q: Option<String>,
    /// Opaque cursor from the previous page.
    #[serde(default)]
    cursor: Option<String>,
    /// Page size (1–200, default 50).
    #[serde(default)]
    limit: Option<i64>,
}

/// Appeals addressed to bodies in the caller's scope (private ones
/// included), filtered, by due date, with a cursor. Staff with no appeal
/// role get `403`.
#[utoipa::path(get, tag = "staff", path = "/v1/staff/appeals", params(StaffAppealsArgs), security(("bearer" = [])),
    responses((status = 200, body = StaffAppealsPage), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn staff_appeals(
    State(st): State<AppState>,
    actor: Actor,
    QueryArgs(args): QueryArgs<StaffAppealsArgs>,
) -> AppResult<Json<StaffAppealsPage>> {
    // The cursor is the position in the ordered result (opaque to clients:
    // it may become a keyset position without a change of the API).
    let offset = match args.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .ok_or_else(|| Reject::field("cursor", "not a cursor"))?,
    };
    let limit = args.limit.unwrap_or(50).clamp(1, 200);
    let filter = QueueArgs {
        status: args.status.unwrap_or_default(),
        appeal_type: args.appeal_type.unwrap_or_default(),
        overdue: match args.overdue.as_deref() {
            Some("1") | Some("true") => "1".into(),
            _ => String::new(),
        },
        q: args.q.unwrap_or_default(),
        page: None,
        flash: None,
    }
    .filter();
    blocking(&st, move |st, c| {
        let scope = store::scope(c, &actor, APPEAL_ROLES)?;
        if scope.is_empty() {
            return Err(Reject::new(ErrorCode::Forbidden, "requires an appeals role").into());
        }
        let today = st.clock.today();
        let mut rows = store::appeals_queue(c, &scope, &filter, today, offset, limit + 1)?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
        let mut found = read::appeals(c, &ids, Some(&actor.user_id), true, today)?;
        found.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
        Ok(Json(StaffAppealsPage {
            items: found,
            next_cursor: more.then(|| (offset + limit).to_string()),
        }))
    })
    .await
}
