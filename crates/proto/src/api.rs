//! Request and response bodies of the `/v1` HTTP API besides push.

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::entities::Entity;
use crate::ops::ErrorCode;

/// Every 4xx/5xx body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub detail: String,
}

wire_enum! {
    pub enum Role {
        Citizen,
        Moderator,
        Expert,
        Official,
        Admin,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleGrant {
    pub role: Role,
    /// Locality (and everything under it) the role applies to; none: everywhere.
    pub locality: Option<String>,
    /// A department's grant: only the appeals addressed to this body (in
    /// `locality`, the body's own), not the rest of the locality's work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OtpRequest {
    pub iin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OtpResponse {
    /// Masked phone the code went to, e.g. `+7 *** *** 12 34`; absent when
    /// the IIN is not in the census (the answer does not say which).
    pub phone_hint: Option<String>,
    pub expires_in_s: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VerifyRequest {
    pub iin: String,
    pub code: String,
    /// Hex Ed25519 public key of this device (profile).
    pub device_key: String,
    #[serde(default)]
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub user_id: String,
    pub locality: String,
    pub age: i32,
    pub roles: Vec<RoleGrant>,
    /// This server's id: devices sign ops bound to it and to `user_id`
    /// ([`crate::signing_bytes_bound`]); empty from servers before it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub server_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: i64,
    pub me: Me,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Change {
    /// Position in the change feed.
    pub seq: i64,
    #[serde(flatten)]
    pub entity: Entity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass as `since` next time.
    pub cursor: String,
    /// More changes are waiting: pull again at once.
    pub more: bool,
}

/// Media upload status (tus-style resumable uploads also answer in headers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UploadInfo {
    pub id: String,
    pub length: i64,
    pub offset: i64,
    pub complete: bool,
    pub sha256: Option<String>,
}
