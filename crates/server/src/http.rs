//! The `/v1` HTTP API (axum) and its OpenAPI document.

use crate::kernel::throttle::ClientKey;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dauys_proto::{
    limits, ApiError, Appeal, Comment, Cycle, ErrorCode, Locality, Me, Op, OpKind, OpResult,
    OtpRequest, OtpResponse, Proposal, PullRequest, PullResponse, PushRequest, PushResponse,
    SessionResponse, VerifyRequest,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Actor};
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::state::AppState;
use crate::{pull, push, read, uploads};

/// JSON body whose rejections are JSON errors with stable codes.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(e) => {
                let code = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ErrorCode::PayloadTooLarge
                } else {
                    ErrorCode::InvalidJson
                };
                Err(Reject::new(code, e.body_text()).into())
            }
        }
    }
}

/// Query string whose rejections are JSON errors.
pub struct QueryArgs<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryArgs<T>
where
    Query<T>: FromRequestParts<S, Rejection = QueryRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| QueryArgs(v))
            .map_err(|e| Reject::field("query", e.body_text()).into())
    }
}

/// Items per list answer unless asked otherwise, and at most.
pub const PAGE_DEFAULT: u32 = 200;
pub const PAGE_MAX: u32 = 500;

/// The window of a list route (`?limit=&offset=`). Every list answers one
/// page; `Link: <…>; rel="next"` names the next one while more follow.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageArgs {
    /// Items per answer (1–500, default 200).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Items to skip: take it from the previous answer's `Link` header.
    #[serde(default)]
    pub offset: Option<u32>,
}

impl PageArgs {
    pub fn page(&self) -> AppResult<crate::db::Page> {
        let limit = self.limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(Reject::field("limit", format!("between 1 and {PAGE_MAX}")).into());
        }
        Ok(crate::db::Page {
            limit,
            offset: self.offset.unwrap_or(0),
        })
    }
}

/// A page of a list as JSON, with the next page's `Link` when more follow.
/// `path` is the route's path and its other query pairs.
pub fn paged<T: serde::Serialize>(
    path: &str,
    query: &[(&str, &str)],
    page: crate::db::Page,
    more: bool,
    items: Vec<T>,
) -> Response {
    let mut r = Json(items).into_response();
    if more {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            q.append_pair(k, v);
        }
        q.append_pair("limit", &page.limit.to_string());
        q.append_pair(
            "offset",
            &(page.offset.saturating_add(page.limit)).to_string(),
        );
        let link = format!("<{path}?{}>; rel=\"next\"", q.finish());
        if let Ok(v) = axum::http::HeaderValue::from_str(&link) {
            r.headers_mut().insert(axum::http::header::LINK, v);
        }
    }
    r
}

/// The `Authorization: Bearer` token of a request, if any (a malformed
/// header counts as none), parsed by the `headers` crate.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    use axum_extra::headers::authorization::{Authorization, Bearer};
    use axum_extra::headers::HeaderMapExt;
    headers
        .typed_get::<Authorization<Bearer>>()
        .map(|Authorization(b)| b.token().trim().to_string())
        .filter(|t| !t.is_empty())
}

fn bearer(parts: &Parts) -> Option<String> {
    bearer_token(&parts.headers)
}

/// The signed-in user: handlers taking an [`Actor`] answer 401 (JSON
/// `unauthorized`) without a valid session, before running.
impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let token =
            bearer(parts).ok_or_else(|| Reject::new(ErrorCode::Unauthorized, "sign in first"))?;
        blocking(st, move |st, c| auth::authenticate(st, c, &token)).await
    }
}

/// The signed-in user if a token is sent (an invalid token is still a
/// 401: a client that thinks it is signed in must learn it is not).
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        match bearer(parts) {
            None => Ok(MaybeActor(None)),
            Some(token) => blocking(st, move |st, c| auth::authenticate(st, c, &token))
                .await
                .map(|a| MaybeActor(Some(a))),
        }
    }
}

/// The raw bearer token of a signed-in request (for sign-out).
pub struct SessionToken(pub String);

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        bearer(parts)
            .map(SessionToken)
            .ok_or_else(|| Reject::new(ErrorCode::Unauthorized, "sign in first").into())
    }
}

pub fn found<T>(v: Option<T>, what: &str) -> AppResult<Json<T>> {
    v.map(Json)
        .ok_or_else(|| Reject::new(ErrorCode::NotFound, format!("{what} not found")).into())
}

/// Runs blocking database work on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&AppState, &mut dyn Conn) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let st = st.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = st.pool.get()?;
        f(&st, &mut *c)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Dauys participation API", version = "1", description = "Appeals to akimats, participatory budgeting and offline-first sync. Errors are JSON `ApiError` bodies with stable codes."),
    // No `paths` here: each route is listed once, with its handler, in an
    // `OpenApiRouter` (`routes!`), which adds its path to this document.
    components(schemas(ApiError, Op, OpKind, OpResult, PushRequest, PushResponse, PullRequest, PullResponse, OtpRequest,
        OtpResponse, VerifyRequest, SessionResponse, Me, Locality, Cycle, Proposal, Comment, Appeal,
        dauys_proto::AppealSubmitPayload, dauys_proto::ProposalSubmitPayload, dauys_proto::CommentAddPayload,
        dauys_proto::BallotCastPayload, dauys_proto::MediaAttachPayload, dauys_proto::AppealRegisterPayload,
        dauys_proto::AppealRedirectPayload, dauys_proto::AppealExtendPayload, dauys_proto::AppealAnswerPayload,
        dauys_proto::AppealDismissPayload, dauys_proto::ProposalModeratePayload, dauys_proto::ProposalReviewPayload,
        dauys_proto::ProposalProgressPayload, dauys_proto::ProposalRevisePayload, dauys_proto::ProposalWithdrawPayload, dauys_proto::LocalityRoutePayload, dauys_proto::CommentModeratePayload, dauys_proto::CommentReportPayload, dauys_proto::CycleCreatePayload,
        dauys_proto::RoleGrantPayload, dauys_proto::RoleRevokePayload, dauys_proto::TemplateSavePayload,
        dauys_proto::TemplateDeletePayload, dauys_proto::PartnerIssuePayload, dauys_proto::PartnerRevokePayload,
        dauys_proto::CyclePhasePayload, dauys_proto::UploadInfo, crate::console::inbox::StaffAppealsPage,
        crate::console::store::StaffProposal, crate::console::store::StaffComment,
        crate::console::inbox::StaffCycle, crate::components::budgets::receipts::ReceiptCheck)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The kernel's JSON routes; each `routes!` entry is the route and its
/// OpenAPI path at once.
fn kernel_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(localities))
        .routes(routes!(request_otp))
        .routes(routes!(verify_otp))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(push_ops))
        .routes(routes!(pull_changes))
        .routes(routes!(action))
        .routes(routes!(uploads::create))
        .routes(routes!(uploads::fetch, uploads::head, uploads::patch))
}

/// Every documented route (kernel, components, staff inbox) and the
/// OpenAPI document they make together.
pub fn api(st: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let mut app = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(kernel_routes());
    for comp in st.components.iter() {
        app = app.merge(comp.routes());
    }
    app.merge(crate::console::inbox::routes()).split_for_parts()
}

pub fn router(st: AppState) -> Router {
    use tower_http::compression::CompressionLayer;
    use tower_http::decompression::RequestDecompressionLayer;
    let (api, doc) = api(&st);
    // Serialized once: the document does not change while the server runs.
    let doc: Arc<str> = serde_json::to_string(&doc)
        .unwrap_or_else(|_| "{}".into())
        .into();
    api.merge(crate::console::router(&st))
        .merge(crate::public::router())
        .route(
            "/v1/openapi.json",
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    doc.to_string(),
                )
            }),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn(refuse_nul_in_address))
        .layer(axum::extract::DefaultBodyLimit::max(limits::MAX_PUSH_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new().gzip(true))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(st)
}

/// `%00` anywhere in the path or query is refused at the door: no name,
/// code or search of ours holds one, and PostgreSQL cannot take one as a
/// parameter (the request would fail deep inside, as a 500).
async fn refuse_nul_in_address(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let nul = |s: &str| {
        s.as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"%00"))
    };
    if nul(req.uri().path()) || req.uri().query().is_some_and(nul) {
        return AppError::from(Reject::new(
            ErrorCode::InvalidField,
            "the address contains a NUL character",
        ))
        .into_response();
    }
    next.run(req).await
}

async fn not_found() -> AppError {
    Reject::new(ErrorCode::NotFound, "no such endpoint").into()
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok")))]
async fn healthz(State(st): State<AppState>) -> AppResult<&'static str> {
    blocking(&st, |_, c| {
        crate::db::ping(c)?;
        Ok("ok")
    })
    .await
}

/// All localities with their akimats and departments.
#[utoipa::path(get, path = "/v1/localities", responses((status = 200, body = Vec<Locality>)))]
async fn localities(State(st): State<AppState>) -> AppResult<Json<Vec<Locality>>> {
    blocking(&st, |_, c| read::localities(c)).await.map(Json)
}

/// Sends a one-time code to the phone on file for an IIN.
#[utoipa::path(post, path = "/v1/auth/otp", request_body = OtpRequest,
    responses((status = 200, body = OtpResponse), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn request_otp(
    State(st): State<AppState>,
    client: ClientKey,
    JsonBody(req): JsonBody<OtpRequest>,
) -> AppResult<Json<OtpResponse>> {
    blocking(&st, move |st, c| {
        auth::request_otp(st, c, &req.iin, &client)
    })
    .await
    .map(Json)
}

/// Exchanges IIN + code + device key for a session.
#[utoipa::path(post, path = "/v1/auth/verify", request_body = VerifyRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn verify_otp(
    State(st): State<AppState>,
    client: ClientKey,
    JsonBody(req): JsonBody<VerifyRequest>,
) -> AppResult<Json<SessionResponse>> {
    blocking(&st, move |st, c| auth::verify_otp(st, c, &req, &client))
        .await
        .map(Json)
}

/// Revokes the current session token.
#[utoipa::path(post, path = "/v1/auth/logout", security(("bearer" = [])), responses((status = 204)))]
async fn logout(
    State(st): State<AppState>,
    _signed_in: Actor,
    SessionToken(t): SessionToken,
) -> AppResult<StatusCode> {
    blocking(&st, move |_, c| {
        auth::revoke_session(c, &t)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// The signed-in user.
#[utoipa::path(get, path = "/v1/me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ApiError)))]
async fn me(State(st): State<AppState>, actor: Actor) -> AppResult<Json<Me>> {
    Ok(Json(auth::me_of(&st, &actor)))
}

/// Applies a batch of ops, each at most once (idempotent by op id). With
/// `pull`, the response also carries the changes since that cursor, read
/// after the batch is applied: delivery and refresh in one round trip.
#[utoipa::path(post, path = "/v1/push", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse), (status = 401, body = ApiError), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
async fn push_ops(
    State(st): State<AppState>,
    SessionToken(token): SessionToken,
    JsonBody(req): JsonBody<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    if req.ops.len() > limits::MAX_BATCH_OPS {
        return Err(Reject::new(
            ErrorCode::BatchTooLarge,
            format!("at most {} ops per push", limits::MAX_BATCH_OPS),
        )
        .into());
    }
    // A pull riding on the push: checked before anything is applied.
    let pull = req
        .pull
        .as_ref()
        .map(|p| -> AppResult<_> {
            Ok((
                parse_since(Some(&p.since), "pull.since")?,
                follow_list(p.follow.iter().map(String::as_str)),
                p.limit.unwrap_or(200),
                p.v.unwrap_or(1),
            ))
        })
        .transpose()?;
    // A batch of ballots (a voting evening's push) joins the group commit:
    // checked here, applied with the other pushes waiting.
    let ballots = !req.ops.is_empty()
        && req
            .ops
            .iter()
            .all(|o| o.kind == dauys_proto::OpKind::BallotCast.as_str());
    if ballots {
        let ops = req.ops;
        let (actor, keys) = st.push_auth.sign_in(&st, token).await?;
        // Signatures: CPU work, beside the event loop.
        let st2 = st.clone();
        let (actor, ops, prepared) = tokio::task::spawn_blocking(move || {
            let prepared =
                push::prepare_with_keys(&st2, &actor, &keys, &ops, push::Channel::Device, None);
            (actor, ops, prepared)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let user = actor.user_id.clone();
        let results = st.group_commit.push(&st, actor, ops, prepared).await?;
        let changes = match pull {
            None => None,
            // Committed: no failure here may hide the results.
            Some(p) => blocking(&st, move |st, c| Ok(pull_after_push(st, c, &user, p)))
                .await
                .unwrap_or(None),
        };
        return Ok(Json(PushResponse { results, changes }));
    }
    // Signed in within the same blocking call as the batch (not through the
    // `Actor` extractor): one trip to the connection pool per push.
    blocking(&st, move |st, c| {
        let actor = auth::authenticate(st, c, &token)?;
        let results = push::push(st, c, &actor, &req.ops)?;
        let changes = pull.and_then(|p| pull_after_push(st, c, &actor.user_id, p));
        Ok(PushResponse { results, changes })
    })
    .await
    .map(Json)
}

/// The pull riding on a push, read after the batch's transaction (the
/// page includes its effects). The batch is committed: a failed read must
/// not hide its results (the client would re-send it forever), so it is
/// left out and the client pulls separately.
fn pull_after_push(
    st: &AppState,
    c: &mut dyn Conn,
    user: &str,
    (since, follow, limit, version): (i64, Vec<String>, u32, u32),
) -> Option<dauys_proto::PullResponse> {
    pull::pull(
        c,
        Some(user),
        since,
        &follow,
        limit,
        st.clock.today(),
        version,
    )
    .map_err(|e| tracing::warn!(error = %e, "pull after push failed"))
    .ok()
}

fn parse_since(since: Option<&str>, field: &str) -> AppResult<i64> {
    Ok(match since.unwrap_or("0") {
        "" => 0,
        s => s
            .parse()
            .ok()
            .filter(|v: &i64| *v >= 0)
            .ok_or_else(|| Reject::field(field, "not a cursor"))?,
    })
}

/// Followed locality codes: trimmed, non-empty, at most 50.
fn follow_list<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<String> {
    codes
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(50)
        .map(String::from)
        .collect()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullArgs {
    /// Cursor from the previous pull (`0` or absent: from the start).
    #[serde(default)]
    since: Option<String>,
    /// Comma-separated locality codes to follow (their sub-localities too).
    #[serde(default)]
    follow: Option<String>,
    /// Page size (1–1000, default 200).
    #[serde(default)]
    limit: Option<u32>,
    /// The entity version the client reads (`dauys_proto::ENTITY_VERSION`;
    /// absent: 1). Entities that need more are left out for it.
    #[serde(default)]
    v: Option<u32>,
}

/// Changes since a cursor for the followed localities and the user's own items.
#[utoipa::path(get, path = "/v1/changes", params(PullArgs), security((), ("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 422, body = ApiError)))]
async fn pull_changes(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    QueryArgs(args): QueryArgs<PullArgs>,
) -> AppResult<Json<PullResponse>> {
    let since = parse_since(args.since.as_deref(), "since")?;
    let follow = follow_list(args.follow.as_deref().unwrap_or_default().split(','));
    let limit = args.limit.unwrap_or(200);
    let version = args.v.unwrap_or(1);
    blocking(&st, move |st, c| {
        pull::pull(
            c,
            actor.as_ref().map(|a| a.user_id.as_str()),
            since,
            &follow,
            limit,
            st.clock.today(),
            version,
        )
    })
    .await
    .map(Json)
}

/// A single op through REST, for officials' tools and third-party clients.
/// The `Idempotency-Key` header (a UUIDv7) makes retries safe; the op goes
/// through exactly the same path as a pushed one.
#[utoipa::path(post, path = "/v1/actions/{kind}", params(("kind" = String, Path, description = "op kind, e.g. appeal.register"),
    ("Idempotency-Key" = Option<String>, Header)), request_body = Object, security(("bearer" = [])),
    responses((status = 200, body = OpResult), (status = 401, body = ApiError)))]
async fn action(
    State(st): State<AppState>,
    actor: Actor,
    Path(kind): Path<String>,
    headers: HeaderMap,
    JsonBody(payload): JsonBody<serde_json::Value>,
) -> AppResult<Json<OpResult>> {
    let id = match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        Some(k) => uuid::Uuid::parse_str(k.trim())
            .map_err(|_| Reject::field("Idempotency-Key", "expected a UUID"))?,
        None => uuid::Uuid::now_v7(),
    };
    let op = Op {
        id,
        kind,
        payload,
        client_ts: st.clock.now_ms(),
        signature: None,
    };
    blocking(&st, move |st, c| {
        let mut r = push::push(st, c, &actor, std::slice::from_ref(&op))?;
        r.pop()
            .ok_or_else(|| AppError::Internal("empty push result".into()))
    })
    .await
    .map(Json)
}
