//! The contract between the UI (wasm) and the Tauri command layer.
//!
//! This one file is compiled into both sides (`src-tauri` includes it with
//! `#[path]`), so a change here changes both ends at once. Serde and
//! `dauys-proto` only: it must build for wasm32 and for the host.
//!
//! Errors crossing the bridge are [`CmdError`]: a Fluent message id the UI
//! shows in the user's language, plus an English detail for logs.

#![allow(dead_code)]

use dauys_proto::{Appeal, AppealType, Comment, Cycle, GeoPoint, Locality, Localized, Proposal};
use serde::{Deserialize, Serialize};

/// Tauri event carrying a [`SyncStatus`] whenever it changes.
pub const EVENT_STATUS: &str = "dauys://status";
/// Tauri event sent after a sync changed local data (screens reload).
pub const EVENT_DATA: &str = "dauys://data-changed";

/// Languages of the app (tags used by `Localized::get` and the Fluent files).
pub const LANGS: [&str; 3] = ["kk", "ru", "en"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// `kk`, `ru` or `en`; `None` until chosen on first start.
    pub lang: Option<String>,
    /// Text size in percent, 100–200.
    pub text_scale: u16,
    pub high_contrast: bool,
    /// Kiosk mode: sign out after this many idle minutes (0 = off).
    pub kiosk_idle_minutes: u32,
    /// Server base URL, e.g. `http://127.0.0.1:8080`.
    pub server: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: None,
            text_scale: 100,
            high_contrast: false,
            kiosk_idle_minutes: 0,
            server: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// The last contact with the server succeeded.
    pub online: bool,
    /// When the app last lost the server (ms since the epoch).
    pub offline_since: Option<i64>,
    /// A sync run is in progress.
    pub syncing: bool,
    /// Actions on this device not yet answered by the server.
    pub pending: u32,
    /// Ops sent in the current run, for a progress line.
    pub sent: u32,
    /// When the last successful sync finished (ms since the epoch).
    pub last_sync: Option<i64>,
    /// Notifications not read yet (the badge).
    #[serde(default)]
    pub unread: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileInfo {
    pub id: String,
    /// Masked IIN for display (`dauys_proto::iin::mask`), e.g. `••••••••5823`.
    pub label: String,
    /// Locality code the profile follows.
    pub locality: Option<String>,
    pub active: bool,
}

/// Everything the UI needs to draw its first screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Boot {
    pub settings: Settings,
    pub profile: Option<ProfileInfo>,
    pub status: SyncStatus,
    pub version: String,
    /// Preset server address offered on first start.
    pub default_server: String,
    /// Every language's own name, for the language pickers (the UI loads
    /// only the active language's messages: command `locale`).
    pub languages: Vec<LangName>,
}

/// A language as its speakers write it: `language-name` and
/// `choose-language` from that language's own bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LangName {
    /// `kk`, `ru` or `en`.
    pub tag: String,
    /// E.g. `Қазақша`.
    pub name: String,
    /// E.g. `Тілді таңдаңыз`.
    pub choose: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtpSent {
    pub phone_hint: Option<String>,
    pub expires_in_s: i64,
}

/// Where a user's item stands between this device and the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Saved on this device, waiting to be sent.
    Queued,
    Sending,
    /// The server has it.
    Delivered,
    /// The server refused it; see the error.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub locality: Option<Locality>,
    pub cycles: Vec<Cycle>,
    pub appeals: Vec<AppealItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalQuery {
    pub cycle_id: Option<String>,
    /// Full-text search (offline, FTS on the device).
    pub search: String,
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub proposal: Proposal,
    pub comments: Vec<CommentItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentItem {
    pub comment: Comment,
    pub delivery: Delivery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BallotState {
    /// Nothing cast yet.
    None,
    /// Cast on this device, not counted yet.
    Saved { proposal_ids: Vec<String>, at: i64 },
    /// The server counted it.
    Counted {
        proposal_ids: Vec<String>,
        receipt: String,
        at: i64,
    },
    /// The server refused the last cast (e.g. voting closed).
    Rejected {
        proposal_ids: Vec<String>,
        error: CmdError,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotView {
    pub cycle: Cycle,
    /// Projects on the ballot.
    pub proposals: Vec<Proposal>,
    pub state: BallotState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CastBallot {
    pub cycle_id: String,
    pub proposal_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealItem {
    /// Local id (the server id once delivered).
    pub id: String,
    pub appeal: Appeal,
    pub delivery: Delivery,
    pub error: Option<CmdError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: String,
    pub name: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealDraft {
    pub id: String,
    pub appeal_type: Option<AppealType>,
    pub addressee: String,
    pub subject: String,
    pub body: String,
    pub public: bool,
    pub location: Option<GeoPoint>,
    pub photos: Vec<PhotoRef>,
    /// Why the server refused the last submission, if it did.
    pub rejected: Option<CmdError>,
    /// Opt-in: the language of an SMS when it is answered.
    #[serde(default)]
    pub sms_on_answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddPhoto {
    pub draft_id: String,
    pub name: String,
    /// Raw file bytes (the core downscales and strips EXIF).
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    /// Op kind on the wire, e.g. `appeal.submit`.
    pub kind: String,
    /// Short human text: an appeal's subject, a comment's start, the
    /// projects on a ballot…
    pub summary: String,
    /// What it is about, in the three languages: a ballot's cycle, an
    /// appeal's addressee, a comment's proposal.
    pub about: Option<Localized>,
    /// The screen that changes and resends a refused action, if it has one.
    pub reopen: Option<Reopen>,
    pub delivery: Delivery,
    pub error: Option<CmdError>,
    /// Receipt or registration number once accepted.
    pub receipt: Option<String>,
    pub created_at: i64,
    pub attempts: u32,
}

/// Where "edit and resend" takes a refused action (decided by the shell
/// from the typed op kind; the UI never matches kind strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum Reopen {
    /// The appeal's content is back in this draft.
    AppealDraft { draft_id: String },
    /// The ballot of this cycle, to choose again.
    Ballot { cycle_id: String },
}

/// An error for the user: a Fluent message id and an English detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CmdError {
    /// Fluent message id, e.g. `error-voting-closed`.
    pub key: String,
    pub detail: String,
}

impl CmdError {
    pub fn new(key: impl Into<String>, detail: impl Into<String>) -> CmdError {
        CmdError {
            key: key.into(),
            detail: detail.into(),
        }
    }
    pub fn from_code(code: dauys_proto::ErrorCode, detail: impl Into<String>) -> CmdError {
        CmdError::new(code.message_key(), detail)
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.detail)
    }
}

/// One notification, worded by the UI: `message_key` with `subject`
/// (what it is about), `status` (a message id of the new status, if any)
/// and `note` (a published reason, an answer's start, a receipt).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub seq: i64,
    pub at: i64,
    pub read: bool,
    pub message_key: String,
    pub subject: String,
    pub status: Option<String>,
    pub note: String,
    pub open: Option<NoticeOpen>,
}

/// The screen a notification opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "screen", content = "id", rename_all = "snake_case")]
pub enum NoticeOpen {
    Appeal(String),
    Proposal(String),
    MyProposals,
    Results(String),
    Ballot(String),
    Outbox,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicAppealQuery {
    /// Words that must all match (offline FTS on the device).
    pub search: String,
    pub answered: bool,
}

/// A proposal being written (autosaved; photos sealed by the core).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalDraft {
    pub id: String,
    pub cycle_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Tenge; `None` until typed.
    pub cost: Option<i64>,
    pub location: Option<GeoPoint>,
    pub photos: Vec<PhotoRef>,
    /// Why the server refused the last submission, if it did.
    pub rejected: Option<CmdError>,
}

/// What the proposal form needs: the draft, its cycle and the categories
/// residents used in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalForm {
    pub draft: ProposalDraft,
    pub cycle: Cycle,
    pub categories: Vec<String>,
}

/// The centre of the user's place: "here, in my village" with no map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCentre {
    pub name: Localized,
    pub centre: GeoPoint,
}

/// One of the user's proposals with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyProposal {
    pub proposal: Proposal,
    pub delivery: Delivery,
    pub error: Option<CmdError>,
}

/// "Check my ballot": whether my receipt is among the counted ballots the
/// cycle published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptCheck {
    pub receipt: String,
    pub counted: bool,
    /// How many counted ballots were published.
    pub published: u32,
}

/// An unfinished (or refused) comment on a proposal, kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentDraft {
    pub body: String,
    /// Why the server refused it, if it did.
    pub rejected: Option<CmdError>,
}
