//! Staff administration: granting and revoking staff roles, and the answer
//! templates officials start their answers from. These are ops
//! like any other (idempotent by op id, in the op log and the audit log);
//! only an administrator whose scope covers the locality may apply them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Role;
use crate::appeals::AppealType;
use crate::ops::OpKind;

/// Grants `role` to the resident with `iin` (who must be in the census),
/// for `locality` and everything under it (none: everywhere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleGrantPayload {
    pub iin: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// Only the appeals addressed to this body (a department's official;
    /// the grant's locality is then the body's). Officials only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How colleagues know this staff member (name, post), shown in the
    /// console and its audit log. The server keeps no names of residents.
    #[serde(default)]
    pub label: String,
}

/// Revokes one grant (as the console lists it: user, role, locality, body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleRevokePayload {
    pub user_id: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// Creates (no `id`) or replaces an answer template for one appeal type,
/// offered to officials of `locality` and under it (none: everywhere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TemplateSavePayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub appeal_type: AppealType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TemplateDeletePayload {
    pub id: String,
}

/// Issues an Open311 partner app's API key. The key is derived from the
/// op id with the server's secret, so a form sent twice shows the same key
/// and stores one; it is shown once, only its hash is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnerIssuePayload {
    /// The partner app (name, operator), 1–120 characters.
    pub label: String,
}

/// Revokes a partner key by its id (the first 16 hex digits of its hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnerRevokePayload {
    pub id: String,
}

/// Sets (or, with no `body`, clears) which body a locality's residents are
/// pointed to for appeals about `topic` (one of
/// [`crate::appeals::APPEAL_TOPICS`]): routing help, shown as a suggestion.
/// The body must serve the locality (be its own or one above it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LocalityRoutePayload {
    pub locality: String,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AdminOp {
    RoleGrant(RoleGrantPayload),
    RoleRevoke(RoleRevokePayload),
    TemplateSave(TemplateSavePayload),
    TemplateDelete(TemplateDeletePayload),
    PartnerIssue(PartnerIssuePayload),
    PartnerRevoke(PartnerRevokePayload),
    LocalityRoute(LocalityRoutePayload),
}

impl AdminOp {
    pub fn kind(&self) -> OpKind {
        match self {
            AdminOp::RoleGrant(_) => OpKind::RoleGrant,
            AdminOp::RoleRevoke(_) => OpKind::RoleRevoke,
            AdminOp::TemplateSave(_) => OpKind::TemplateSave,
            AdminOp::TemplateDelete(_) => OpKind::TemplateDelete,
            AdminOp::PartnerIssue(_) => OpKind::PartnerIssue,
            AdminOp::PartnerRevoke(_) => OpKind::PartnerRevoke,
            AdminOp::LocalityRoute(_) => OpKind::LocalityRoute,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            AdminOp::RoleGrant(p) => serde_json::to_value(p),
            AdminOp::RoleRevoke(p) => serde_json::to_value(p),
            AdminOp::TemplateSave(p) => serde_json::to_value(p),
            AdminOp::TemplateDelete(p) => serde_json::to_value(p),
            AdminOp::PartnerIssue(p) => serde_json::to_value(p),
            AdminOp::PartnerRevoke(p) => serde_json::to_value(p),
            AdminOp::LocalityRoute(p) => serde_json::to_value(p),
        }
    }
}
