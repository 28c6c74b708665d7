//! The sync protocol's push side: operations, their payloads and results.
//!
//! Every user action becomes an [`Op`] with a client-generated UUIDv7. The
//! server applies an op at most once: pushing the same op id again returns
//! the stored [`OpResult`] unchanged.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One queued user action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Op {
    /// Client-generated UUIDv7; the idempotency key of the op.
    pub id: Uuid,
    /// One of [`OpKind`]'s wire names; unknown kinds are rejected per op.
    pub kind: String,
    /// Kind-specific payload (see the `*Payload` schemas).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    /// When the user acted, ms since the Unix epoch (device clock).
    pub client_ts: i64,
    /// Ed25519 signature (hex) of [`signing_bytes`] by the device key;
    /// required for ballots and appeals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// Kinds of operations understood by this protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub enum OpKind {
    #[serde(rename = "appeal.submit")]
    AppealSubmit,
    #[serde(rename = "proposal.submit")]
    ProposalSubmit,
    #[serde(rename = "comment.add")]
    CommentAdd,
    #[serde(rename = "ballot.cast")]
    BallotCast,
    #[serde(rename = "media.attach")]
    MediaAttach,
    // Official actions: same path, roles checked by the server.
    #[serde(rename = "appeal.register")]
    AppealRegister,
    #[serde(rename = "appeal.redirect")]
    AppealRedirect,
    #[serde(rename = "appeal.extend")]
    AppealExtend,
    #[serde(rename = "appeal.answer")]
    AppealAnswer,
    #[serde(rename = "appeal.dismiss")]
    AppealDismiss,
    #[serde(rename = "proposal.moderate")]
    ProposalModerate,
    #[serde(rename = "proposal.review")]
    ProposalReview,
    #[serde(rename = "proposal.progress")]
    ProposalProgress,
    #[serde(rename = "comment.moderate")]
    CommentModerate,
    #[serde(rename = "cycle.create")]
    CycleCreate,
    #[serde(rename = "cycle.phase")]
    CyclePhase,
}

impl OpKind {
    pub const ALL: [OpKind; 16] = [
        OpKind::AppealSubmit,
        OpKind::ProposalSubmit,
        OpKind::CommentAdd,
        OpKind::BallotCast,
        OpKind::MediaAttach,
        OpKind::AppealRegister,
        OpKind::AppealRedirect,
        OpKind::AppealExtend,
        OpKind::AppealAnswer,
        OpKind::AppealDismiss,
        OpKind::ProposalModerate,
        OpKind::ProposalReview,
        OpKind::ProposalProgress,
        OpKind::CommentModerate,
        OpKind::CycleCreate,
        OpKind::CyclePhase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::AppealSubmit => "appeal.submit",
            OpKind::ProposalSubmit => "proposal.submit",
            OpKind::CommentAdd => "comment.add",
            OpKind::BallotCast => "ballot.cast",
            OpKind::MediaAttach => "media.attach",
            OpKind::AppealRegister => "appeal.register",
            OpKind::AppealRedirect => "appeal.redirect",
            OpKind::AppealExtend => "appeal.extend",
            OpKind::AppealAnswer => "appeal.answer",
            OpKind::AppealDismiss => "appeal.dismiss",
            OpKind::ProposalModerate => "proposal.moderate",
            OpKind::ProposalReview => "proposal.review",
            OpKind::ProposalProgress => "proposal.progress",
            OpKind::CommentModerate => "comment.moderate",
            OpKind::CycleCreate => "cycle.create",
            OpKind::CyclePhase => "cycle.phase",
        }
    }

    pub fn parse(s: &str) -> Option<OpKind> {
        OpKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Ops whose content must carry the device's signature.
    pub fn requires_signature(self) -> bool {
        matches!(self, OpKind::AppealSubmit | OpKind::BallotCast)
    }
}

/// Canonical JSON: object keys sorted (serde_json's default map is ordered),
/// no whitespace. Both ends re-serialize the parsed payload, so key order or
/// spacing on the wire does not matter.
pub fn canonical_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The bytes a device signs for an op:
/// `dauys-op-v1\n{id}\n{kind}\n{client_ts}\n{sha256 hex of canonical payload}`.
pub fn signing_bytes(op: &Op) -> Vec<u8> {
    let digest = Sha256::digest(canonical_json(&op.payload).as_bytes());
    format!(
        "dauys-op-v1\n{}\n{}\n{}\n{}",
        op.id,
        op.kind,
        op.client_ts,
        hex(&digest)
    )
    .into_bytes()
}

pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A point on the map (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn is_valid(&self) -> bool {
        (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lon)
    }
}

/// The forms of appeal in Kazakh law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealType {
    Complaint,
    Statement,
    Proposal,
    Request,
    Response,
}

impl AppealType {
    pub fn as_str(self) -> &'static str {
        match self {
            AppealType::Complaint => "complaint",
            AppealType::Statement => "statement",
            AppealType::Proposal => "proposal",
            AppealType::Request => "request",
            AppealType::Response => "response",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealSubmitPayload {
    #[serde(rename = "type")]
    pub appeal_type: AppealType,
    /// Id of the addressed body (an akimat or one of its departments).
    pub addressee: String,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    #[serde(default)]
    pub public: bool,
    /// Ids of completed uploads.
    #[serde(default)]
    pub media: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalSubmitPayload {
    pub cycle_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Estimated cost in tenge.
    pub cost: i64,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    #[serde(default)]
    pub media: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentAddPayload {
    pub proposal_id: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BallotCastPayload {
    pub cycle_id: String,
    /// Approved proposals; order is irrelevant, duplicates are rejected.
    pub proposal_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MediaAttachPayload {
    /// `appeal` or `proposal`.
    pub target_kind: String,
    pub target_id: String,
    pub upload_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealRegisterPayload {
    pub appeal_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealRedirectPayload {
    pub appeal_id: String,
    /// The body the appeal goes to.
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealExtendPayload {
    pub appeal_id: String,
    /// New due date `YYYY-MM-DD`.
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealAnswerPayload {
    pub appeal_id: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealDismissPayload {
    pub appeal_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ModerationDecision {
    Accept,
    NeedsChanges,
    Reject,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalModeratePayload {
    pub proposal_id: String,
    pub decision: ModerationDecision,
    /// Public reason; required unless accepting.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalReviewPayload {
    pub proposal_id: String,
    /// Feasible and put on the ballot?
    pub feasible: bool,
    pub cost_estimate: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalProgressPayload {
    pub proposal_id: String,
    /// 0–100.
    pub progress: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentModeratePayload {
    pub comment_id: String,
    pub visible: bool,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CycleCreatePayload {
    pub locality: String,
    pub title: crate::entities::Localized,
    pub budget: i64,
    /// At most this many projects per ballot (none: only the budget limits).
    #[serde(default)]
    pub max_projects: Option<i64>,
    /// Whether a ballot's total cost must fit the budget.
    #[serde(default = "yes")]
    pub budget_limited_ballot: bool,
    /// Counting rule: `greedy`, `greedy-threshold`, `equalshares/add1`, …
    #[serde(default = "default_rule")]
    pub rule: String,
    #[serde(default = "default_min_age")]
    pub min_age: i64,
    /// Phase schedule: phase name → `YYYY-MM-DD` start date.
    #[serde(default)]
    pub schedule: std::collections::BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}
fn default_rule() -> String {
    "greedy".into()
}
fn default_min_age() -> i64 {
    16
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CyclePhasePayload {
    pub cycle_id: String,
    pub phase: crate::entities::Phase,
}

/// Stable error codes. The UI shows the Fluent message `error-<code with dashes>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidField,
    InvalidIin,
    InvalidJson,
    UnknownKind,
    BadSignature,
    NotFound,
    Unauthorized,
    Forbidden,
    NotEligible,
    UnderAge,
    VotingClosed,
    PhaseClosed,
    OverBudget,
    TooManyProjects,
    DuplicateProject,
    NotOnBallot,
    InvalidTransition,
    DeadlinePassed,
    MediaMissing,
    RateLimited,
    CodeExpired,
    CodeWrong,
    PayloadTooLarge,
    BatchTooLarge,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::InvalidIin => "invalid_iin",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::UnknownKind => "unknown_kind",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotEligible => "not_eligible",
            ErrorCode::UnderAge => "under_age",
            ErrorCode::VotingClosed => "voting_closed",
            ErrorCode::PhaseClosed => "phase_closed",
            ErrorCode::OverBudget => "over_budget",
            ErrorCode::TooManyProjects => "too_many_projects",
            ErrorCode::DuplicateProject => "duplicate_project",
            ErrorCode::NotOnBallot => "not_on_ballot",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::DeadlinePassed => "deadline_passed",
            ErrorCode::MediaMissing => "media_missing",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::CodeExpired => "code_expired",
            ErrorCode::CodeWrong => "code_wrong",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::BatchTooLarge => "batch_too_large",
            ErrorCode::Internal => "internal",
        }
    }

    /// Fluent message id for this error, e.g. `error-voting-closed`.
    pub fn message_key(self) -> String {
        format!("error-{}", self.as_str().replace('_', "-"))
    }
}

/// Outcome of one op. Rejections are answers, not failures of the batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OpOutcome {
    Accepted {
        /// Id of the created or changed entity.
        entity_id: String,
        /// Human-checkable receipt (ballots: the code published with the
        /// anonymized ballot; appeals: the ticket).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt: Option<String>,
        /// Server time the op was applied, ms since the epoch.
        applied_at: i64,
    },
    Rejected {
        code: ErrorCode,
        message_key: String,
        /// The offending field, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        /// English detail for logs and developers.
        detail: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OpResult {
    pub id: Uuid,
    #[serde(flatten)]
    pub outcome: OpOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushRequest {
    pub ops: Vec<Op>,
    /// Also pull: the response then carries the changes since this cursor
    /// (after the batch is applied), so delivering and refreshing take one
    /// round trip instead of two. Same meaning as `GET /v1/changes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull: Option<PullRequest>,
}

/// The arguments of `GET /v1/changes`, for a pull riding on a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PullRequest {
    /// Cursor from the previous pull (`0`: from the start).
    pub since: String,
    /// Locality codes to follow (their sub-localities too).
    #[serde(default)]
    pub follow: Vec<String>,
    /// Page size (1–1000, default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushResponse {
    /// One result per op, in request order.
    pub results: Vec<OpResult>,
    /// The first page of changes when the request asked to `pull`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::PullResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_roundtrip() {
        for k in OpKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(OpKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn signing_is_canonical() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":[1,2]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{ "a": [1, 2], "b": 1 }"#).unwrap();
        let op = |payload| Op {
            id: Uuid::nil(),
            kind: "ballot.cast".into(),
            payload,
            client_ts: 5,
            signature: None,
        };
        assert_eq!(signing_bytes(&op(a)), signing_bytes(&op(b)));
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(unhex(&hex(&[0, 255, 16])).unwrap(), vec![0, 255, 16]);
        assert!(unhex("zz").is_none());
    }
}
