//! What the server sends down in pulls and per-item reads.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::ops::{AppealType, GeoPoint};

/// A text in the three languages of the app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Localized {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Localized {
    pub fn new(kk: &str, ru: &str, en: &str) -> Localized {
        Localized {
            kk: kk.into(),
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text for a language tag (`kk`, `ru`, `en`), English otherwise.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.kk,
            "ru" => &self.ru,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocalityLevel {
    Region,
    District,
    City,
    RuralOkrug,
    Village,
}

/// A node of the administrative hierarchy, keyed by a KATO-style code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Locality {
    pub code: String,
    pub parent: Option<String>,
    pub level: LocalityLevel,
    pub name: Localized,
    /// Bodies that receive appeals here: the akimat first, then departments.
    pub bodies: Vec<Body>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    Akimat,
    Department,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Body {
    pub id: String,
    pub locality: String,
    pub kind: BodyKind,
    pub name: Localized,
}

/// Phases of a participatory-budgeting cycle, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Collecting,
    Moderation,
    ExpertReview,
    Voting,
    Tallying,
    Implementation,
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Collecting,
        Phase::Moderation,
        Phase::ExpertReview,
        Phase::Voting,
        Phase::Tallying,
        Phase::Implementation,
        Phase::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Collecting => "collecting",
            Phase::Moderation => "moderation",
            Phase::ExpertReview => "expert_review",
            Phase::Voting => "voting",
            Phase::Tallying => "tallying",
            Phase::Implementation => "implementation",
            Phase::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Cycle {
    pub id: String,
    pub locality: String,
    pub title: Localized,
    /// Budget in tenge.
    pub budget: i64,
    pub max_projects: Option<i64>,
    pub budget_limited_ballot: bool,
    pub rule: String,
    pub min_age: i64,
    pub phase: Phase,
    /// Phase name → planned start date `YYYY-MM-DD`.
    pub schedule: BTreeMap<String, String>,
    pub results: Option<CycleResults>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CycleResults {
    pub computed_at: i64,
    pub voters: i64,
    pub rule: String,
    /// Selected proposal ids.
    pub selected: Vec<String>,
    pub cost: i64,
    /// Proposal id → approvals.
    pub votes: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Submitted,
    InModeration,
    NeedsChanges,
    Rejected,
    Accepted,
    ExpertReview,
    OnBallot,
    Selected,
    NotSelected,
    InImplementation,
    Done,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Submitted => "submitted",
            ProposalStatus::InModeration => "in_moderation",
            ProposalStatus::NeedsChanges => "needs_changes",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Accepted => "accepted",
            ProposalStatus::ExpertReview => "expert_review",
            ProposalStatus::OnBallot => "on_ballot",
            ProposalStatus::Selected => "selected",
            ProposalStatus::NotSelected => "not_selected",
            ProposalStatus::InImplementation => "in_implementation",
            ProposalStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<ProposalStatus> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

/// One step of an item's public history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HistoryEvent {
    pub at: i64,
    /// Status or event kind after this step.
    pub status: String,
    /// Public reason or note.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Proposal {
    pub id: String,
    pub cycle_id: String,
    pub locality: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: i64,
    pub location: Option<GeoPoint>,
    pub media: Vec<String>,
    pub status: ProposalStatus,
    pub expert_cost: Option<i64>,
    pub expert_note: Option<String>,
    /// Approvals, published once results are.
    pub votes: Option<i64>,
    /// Implementation progress 0–100.
    pub progress: Option<i64>,
    pub history: Vec<HistoryEvent>,
    /// Whether the signed-in user wrote it.
    pub mine: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Comment {
    pub id: String,
    pub proposal_id: String,
    pub locality: String,
    pub body: String,
    /// False when hidden by a moderator (body is then empty for others).
    pub visible: bool,
    pub mine: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Submitted,
    Registered,
    Redirected,
    Extended,
    Answered,
    Dismissed,
}

impl AppealStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AppealStatus::Submitted => "submitted",
            AppealStatus::Registered => "registered",
            AppealStatus::Redirected => "redirected",
            AppealStatus::Extended => "extended",
            AppealStatus::Answered => "answered",
            AppealStatus::Dismissed => "dismissed",
        }
    }
    pub fn parse(s: &str) -> Option<AppealStatus> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
    /// Still awaiting an answer.
    pub fn is_open(self) -> bool {
        !matches!(self, AppealStatus::Answered | AppealStatus::Dismissed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Appeal {
    pub id: String,
    #[serde(rename = "type")]
    pub appeal_type: AppealType,
    /// Body currently responsible.
    pub addressee: String,
    pub locality: String,
    pub subject: String,
    pub body: String,
    pub location: Option<GeoPoint>,
    pub public: bool,
    pub media: Vec<String>,
    pub status: AppealStatus,
    pub registration_number: Option<String>,
    pub submitted_at: i64,
    /// `YYYY-MM-DD`.
    pub registered_on: Option<String>,
    /// Legal due date `YYYY-MM-DD` (after extensions).
    pub due_date: Option<String>,
    /// Open and past its due date.
    pub overdue: bool,
    pub answer: Option<String>,
    pub history: Vec<HistoryEvent>,
    pub mine: bool,
}

/// The signed-in user's own ballot in a cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ballot {
    pub cycle_id: String,
    pub proposal_ids: Vec<String>,
    pub receipt: String,
    /// Op id of the counted cast.
    pub op_id: String,
    pub cast_at: i64,
}

/// One changed entity in a pull, carrying its current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Entity {
    Locality(Locality),
    Cycle(Cycle),
    Proposal(Proposal),
    Comment(Comment),
    Appeal(Appeal),
    Ballot(Ballot),
}
