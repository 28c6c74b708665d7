//! The comments component: comments attach to any commentable item,
//! named by a polymorphic target `{kind, id}` (Decidim's "commentable").

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::ops::OpKind;

/// What a comment is about: an item of a commentable component.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentTarget {
    /// The item's kind, e.g. `proposal`; each commentable component
    /// answers for its own kinds.
    pub kind: String,
    pub id: String,
}

impl CommentTarget {
    /// Kind of a budgets proposal as a comment target.
    pub const PROPOSAL: &'static str = "proposal";

    pub fn new(kind: &str, id: &str) -> CommentTarget {
        CommentTarget {
            kind: kind.into(),
            id: id.into(),
        }
    }

    pub fn proposal(id: &str) -> CommentTarget {
        CommentTarget::new(Self::PROPOSAL, id)
    }

    /// The proposal id when the target is a proposal (the field older
    /// clients read).
    pub fn proposal_id(&self) -> Option<String> {
        (self.kind == Self::PROPOSAL).then(|| self.id.clone())
    }
}

/// `comment.add`. Current clients send `target`; clients from before
/// comments were polymorphic send `proposal_id`, still accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentAddPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<CommentTarget>,
    /// Older form of `target` for proposals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_id: Option<String>,
    pub body: String,
}

impl CommentAddPayload {
    /// A comment in the current wire form.
    pub fn new(target: CommentTarget, body: &str) -> CommentAddPayload {
        CommentAddPayload {
            target: Some(target),
            proposal_id: None,
            body: body.into(),
        }
    }

    /// The target in either wire form (`target` wins).
    pub fn target(&self) -> Option<CommentTarget> {
        self.target
            .clone()
            .or_else(|| self.proposal_id.as_deref().map(CommentTarget::proposal))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentModeratePayload {
    pub comment_id: String,
    pub visible: bool,
    #[serde(default)]
    pub reason: String,
}

/// A resident reports a comment to the moderators (once per resident and
/// comment; reported comments come first in the moderators' queue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentReportPayload {
    pub comment_id: String,
    /// Why, in the resident's words (optional, at most 1,000 characters).
    #[serde(default)]
    pub reason: String,
}

/// Every op of the comments component, parsed once at the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum CommentOp {
    Add(CommentAddPayload),
    Moderate(CommentModeratePayload),
    Report(CommentReportPayload),
}

impl CommentOp {
    pub fn kind(&self) -> OpKind {
        match self {
            CommentOp::Add(_) => OpKind::CommentAdd,
            CommentOp::Moderate(_) => OpKind::CommentModerate,
            CommentOp::Report(_) => OpKind::CommentReport,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            CommentOp::Add(p) => serde_json::to_value(p),
            CommentOp::Moderate(p) => serde_json::to_value(p),
            CommentOp::Report(p) => serde_json::to_value(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_wire_forms_name_the_same_target() {
        let old: CommentAddPayload =
            serde_json::from_str(r#"{"proposal_id":"p1","body":"x"}"#).unwrap();
        let new: CommentAddPayload =
            serde_json::from_str(r#"{"target":{"kind":"proposal","id":"p1"},"body":"x"}"#).unwrap();
        assert_eq!(old.target(), Some(CommentTarget::proposal("p1")));
        assert_eq!(new.target(), old.target());
        let sent = serde_json::to_value(CommentAddPayload::new(CommentTarget::proposal("p1"), "x"))
            .unwrap();
        assert_eq!(
            sent,
            serde_json::json!({"target": {"kind": "proposal", "id": "p1"}, "body": "x"})
        );
        let none: CommentAddPayload = serde_json::from_str(r#"{"body":"x"}"#).unwrap();
        assert_eq!(none.target(), None);
    }
}
