//! Staff administration: granting and revoking staff roles. These are ops
//! like any other (idempotent by op id, in the op log and the audit log);
//! only an administrator whose scope covers the locality may apply them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Role;
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
    /// How colleagues know this staff member (name, post), shown in the
    /// console and its audit log. The server keeps no names of residents.
    #[serde(default)]
    pub label: String,
}

/// Revokes one grant (as the console lists it: user, role, locality).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleRevokePayload {
    pub user_id: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AdminOp {
    RoleGrant(RoleGrantPayload),
    RoleRevoke(RoleRevokePayload),
}

impl AdminOp {
    pub fn kind(&self) -> OpKind {
        match self {
            AdminOp::RoleGrant(_) => OpKind::RoleGrant,
            AdminOp::RoleRevoke(_) => OpKind::RoleRevoke,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            AdminOp::RoleGrant(p) => serde_json::to_value(p),
            AdminOp::RoleRevoke(p) => serde_json::to_value(p),
        }
    }
}
