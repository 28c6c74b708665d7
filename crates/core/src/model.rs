//! Types the app shows and passes in. All serialize to stable JSON (the
//! CLI's `--json` output is exactly these).

use std::path::PathBuf;

use dauys_proto::{Appeal, AppealSubmitPayload, AppealType, Comment, ProposalSubmitPayload};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Delivery state of one outbox op.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OpState {
    /// Stored on this device, not sent yet.
    Queued,
    /// Sent at least once, no answer recorded yet (will be re-sent with the
    /// same id; the server applies it at most once).
    Sending,
    /// Applied by the server.
    Accepted {
        entity_id: String,
        receipt: Option<String>,
        applied_at: i64,
    },
    /// Refused by the server; the content is back in draft `draft_id`.
    Rejected {
        code: String,
        message_key: String,
        field: Option<String>,
        detail: String,
        draft_id: Option<String>,
    },
}

impl OpState {
    pub fn name(&self) -> &'static str {
        match self {
            OpState::Queued => "queued",
            OpState::Sending => "sending",
            OpState::Accepted { .. } => "accepted",
            OpState::Rejected { .. } => "rejected",
        }
    }
    /// Not yet answered by the server.
    pub fn is_pending(&self) -> bool {
        matches!(self, OpState::Queued | OpState::Sending)
    }
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub seq: i64,
    pub kind: String,
    #[serde(flatten)]
    pub state: OpState,
    /// Short human summary (subject, comment start, chosen projects…).
    pub summary: String,
    /// What it is about (cycle, proposal, addressee).
    pub target: Option<String>,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Photos of this op not yet uploaded completely.
    pub media_pending: i64,
}

/// An appeal as the resident writes it: the wire payload itself (its
/// `media` are photos already prepared, e.g. of a returned draft) plus
/// photo files still to prepare (downscale, recompress, strip EXIF). The
/// JSON is flat, as drafts have always been stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealInput {
    #[serde(flatten)]
    pub appeal: AppealSubmitPayload,
    #[serde(default)]
    pub photos: Vec<PathBuf>,
}

impl AppealInput {
    /// A private appeal with no location and no photos.
    pub fn new(appeal_type: AppealType, addressee: &str, subject: &str, body: &str) -> Self {
        AppealInput {
            appeal: AppealSubmitPayload {
                appeal_type,
                addressee: addressee.to_string(),
                subject: subject.to_string(),
                body: body.to_string(),
                location: None,
                public: false,
                media: Vec::new(),
                sms_on_answer: None,
            },
            photos: Vec::new(),
        }
    }

    /// With photo files to prepare.
    pub fn with_photos(mut self, photos: Vec<PathBuf>) -> Self {
        self.photos = photos;
        self
    }
}

/// A project proposal as the resident writes it: the wire payload plus
/// photo files still to prepare (as [`AppealInput`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalInput {
    #[serde(flatten)]
    pub proposal: ProposalSubmitPayload,
    #[serde(default)]
    pub photos: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentInput {
    pub proposal_id: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotInput {
    pub cycle_id: String,
    pub proposal_ids: Vec<String>,
}

/// What a draft holds: exactly the input of the action it will become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum DraftContent {
    Appeal(AppealInput),
    Proposal(ProposalInput),
    Comment(CommentInput),
    Ballot(BallotInput),
}

impl DraftContent {
    pub fn kind(&self) -> &'static str {
        match self {
            DraftContent::Appeal(_) => "appeal",
            DraftContent::Proposal(_) => "proposal",
            DraftContent::Comment(_) => "comment",
            DraftContent::Ballot(_) => "ballot",
        }
    }
}

/// Why a draft came back from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub op_id: Uuid,
    pub code: String,
    pub message_key: String,
    pub field: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    #[serde(flatten)]
    pub content: DraftContent,
    /// Set when the draft is content the server refused.
    pub rejection: Option<Rejection>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Photos added with [`crate::Profile::add_draft_photo`], in the order
    /// added (sealed on disk; read one with [`crate::Profile::draft_photo`]).
    #[serde(default)]
    pub photos: Vec<DraftPhoto>,
}

/// A photo of a draft: prepared (downscaled, re-encoded, no EXIF) when
/// added and kept sealed with the profile's key in the profile's own
/// directory until the draft is submitted (then it is uploaded under the
/// same id) or discarded (then it is deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPhoto {
    /// Stable id within the profile; the upload id once submitted.
    pub id: String,
    /// The name the user's file had (for display; no path).
    pub name: String,
    /// Size of the prepared JPEG in bytes.
    pub bytes: u64,
}

/// A comment with its delivery state when it is the user's own and not
/// yet confirmed by a pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    #[serde(flatten)]
    pub comment: Comment,
    pub delivery: Option<OpState>,
}

/// One of the user's proposals, with the delivery state of its submission
/// (or of its latest revision) while the server has not answered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalView {
    #[serde(flatten)]
    pub proposal: dauys_proto::Proposal,
    pub delivery: Option<OpState>,
}

/// One of the user's appeals, with its timeline (`appeal.history`) and the
/// delivery state of its submission while not yet confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    #[serde(flatten)]
    pub appeal: Appeal,
    pub delivery: Option<OpState>,
}

/// Honest status of the user's ballot in a cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BallotStatus {
    /// "Queued on this device — not counted yet."
    QueuedNotCounted,
    /// "Sent, waiting for the server's answer — not counted yet."
    SendingNotCounted,
    /// "Counted — receipt …".
    Counted { receipt: String },
    /// Refused (e.g. `voting_closed` when it reached the server after
    /// voting closed); the choice is back in a draft.
    Rejected {
        code: String,
        message_key: String,
        draft_id: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotView {
    pub cycle_id: String,
    pub proposal_ids: Vec<String>,
    #[serde(flatten)]
    pub status: BallotStatus,
    /// Op id of the cast this status is about.
    pub op_id: Option<String>,
    /// When a counted ballot exists and a newer cast is still queued, the
    /// counted one (it stays in force until the new one is accepted).
    pub counted: Option<dauys_proto::Ballot>,
    /// Day voting is planned to end (`YYYY-MM-DD`, the tallying start), if known.
    pub voting_ends: Option<String>,
    /// The cycle's current phase, as last pulled.
    pub phase: Option<String>,
}

/// What `status` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub profile: String,
    pub server: String,
    pub signed_in: bool,
    pub user_id: Option<String>,
    pub locality: Option<String>,
    pub follows: Vec<String>,
    pub queued: i64,
    pub sending: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub drafts: i64,
    pub media_pending: i64,
    pub cursor: String,
    pub last_sync_at: Option<i64>,
    pub key_storage: crate::crypto::KeyStorage,
}

/// Query over the local proposal mirror.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalQuery {
    pub cycle_id: Option<String>,
    /// Full-text search (FTS5, diacritics folded): all words must match, as prefixes.
    pub search: Option<String>,
    pub limit: Option<u32>,
}
