//! Media attached to an item after its creation (kernel: uploads).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::ops::OpKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MediaAttachPayload {
    /// `appeal` or `proposal`.
    pub target_kind: String,
    pub target_id: String,
    pub upload_id: String,
}

/// Every media op, parsed once at the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaOp {
    Attach(MediaAttachPayload),
}

impl MediaOp {
    pub fn kind(&self) -> OpKind {
        match self {
            MediaOp::Attach(_) => OpKind::MediaAttach,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            MediaOp::Attach(p) => serde_json::to_value(p),
        }
    }
}
