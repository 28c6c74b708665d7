//! What the server sends down in pulls and per-item reads.

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;
use std::collections::BTreeMap;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::appeals::AppealType;
use crate::comments::CommentTarget;
use crate::geo::GeoPoint;

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

wire_enum! {
    pub enum LocalityLevel {
        Region,
        District,
        City,
        RuralOkrug,
        Village,
    }
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
    /// The centre of the place (its akimat, its square): where "here, in
    /// my village" puts an appeal or a project when there is no map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<GeoPoint>,
    /// Routing help that the locality's admins keep: appeal topic (see
    /// [`crate::appeals::APPEAL_TOPICS`]) → the id of the body that deals
    /// with it here. A suggestion only: the resident may choose another.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub routes: BTreeMap<String, String>,
}

wire_enum! {
    pub enum BodyKind {
        Akimat,
        Department,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Body {
    pub id: String,
    pub locality: String,
    pub kind: BodyKind,
    pub name: Localized,
}

wire_enum! {
    /// Phases of a participatory-budgeting cycle, in order.
    pub enum Phase {
        Collecting,
        Moderation,
        ExpertReview,
        Voting,
        Tallying,
        Implementation,
        Closed,
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
    /// The fewest votes a project needs to be funded (`greedy-threshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_votes: Option<i64>,
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

wire_enum! {
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
        /// Taken back by its author while it was being moderated (entity
        /// version 2: never sent to clients that do not know it).
        Withdrawn,
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
#[serde(from = "CommentWire")]
pub struct Comment {
    pub id: String,
    /// The commented item.
    pub target: CommentTarget,
    /// The target's id when it is a proposal: what clients from before
    /// polymorphic comments read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_id: Option<String>,
    pub locality: String,
    pub body: String,
    /// False when hidden by a moderator (body is then empty for others).
    pub visible: bool,
    /// The moderator's published reason for hiding it ("hidden by the
    /// moderator: …"); empty when visible or hidden without one (older data).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub moderation_note: String,
    pub mine: bool,
    pub created_at: i64,
}

wire_enum! {
    pub enum AppealStatus {
        Submitted,
        Registered,
        Redirected,
        Extended,
        Answered,
        Dismissed,
    }
}

impl AppealStatus {
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

/// A comment as stored by clients and sent by servers of any version:
/// `target` may be missing (older servers, older local mirrors).
#[derive(Deserialize)]
struct CommentWire {
    id: String,
    #[serde(default)]
    target: Option<CommentTarget>,
    #[serde(default)]
    proposal_id: Option<String>,
    locality: String,
    body: String,
    visible: bool,
    #[serde(default)]
    moderation_note: String,
    mine: bool,
    created_at: i64,
}

impl From<CommentWire> for Comment {
    fn from(w: CommentWire) -> Comment {
        let target = w
            .target
            .or_else(|| w.proposal_id.as_deref().map(CommentTarget::proposal))
            .unwrap_or_else(|| CommentTarget::new("", ""));
        Comment {
            id: w.id,
            proposal_id: target.proposal_id(),
            target,
            locality: w.locality,
            body: w.body,
            visible: w.visible,
            moderation_note: w.moderation_note,
            mine: w.mine,
            created_at: w.created_at,
        }
    }
}

wire_enum! {
    /// Kinds of entities in the change feed (the `type` of [`Entity`]).
    pub enum EntityKind {
        Locality,
        Cycle,
        Proposal,
        Comment,
        Appeal,
        Ballot,
    }
}

impl Entity {
    pub fn kind(&self) -> EntityKind {
        match self {
            Entity::Locality(_) => EntityKind::Locality,
            Entity::Cycle(_) => EntityKind::Cycle,
            Entity::Proposal(_) => EntityKind::Proposal,
            Entity::Comment(_) => EntityKind::Comment,
            Entity::Appeal(_) => EntityKind::Appeal,
            Entity::Ballot(_) => EntityKind::Ballot,
        }
    }

    /// The [`crate::ENTITY_VERSION`] a client needs to read this entity:
    /// a server sends it only to clients that say they know that much
    /// (older apps fail a whole page on a value they do not know).
    pub fn needs_version(&self) -> u32 {
        match self {
            Entity::Proposal(p) if p.status == ProposalStatus::Withdrawn => 2,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_kinds_match_the_feed_tags() {
        for &k in EntityKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
            assert_eq!(EntityKind::parse(k.as_str()), Some(k));
        }
        let c = Entity::Comment(Comment {
            id: "c".into(),
            target: CommentTarget::proposal("p"),
            proposal_id: Some("p".into()),
            locality: "L".into(),
            body: "b".into(),
            visible: true,
            moderation_note: String::new(),
            mine: false,
            created_at: 1,
        });
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["type"], serde_json::json!(c.kind().as_str()));
        assert_eq!(v["data"]["proposal_id"], serde_json::json!("p"));
        assert_eq!(serde_json::from_value::<Entity>(v).unwrap(), c);
    }

    #[test]
    fn comments_without_target_read_as_proposal_comments() {
        let old = serde_json::json!({"id": "c", "proposal_id": "p", "locality": "L", "body": "b",
            "visible": true, "mine": false, "created_at": 1});
        let c: Comment = serde_json::from_value(old).unwrap();
        assert_eq!(c.target, CommentTarget::proposal("p"));
    }
}
