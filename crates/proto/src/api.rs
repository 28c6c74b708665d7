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
    /// The changes this build understands. A change it cannot read (an
    /// entity kind or a value a newer server added) is skipped, not a
    /// failure of the page: a page that failed whole would stop the sync
    /// — and the answers to a push riding with it — for good. After an
    /// update that learns new entities ([`ENTITY_VERSION`]), the client
    /// pulls from the start again and gets what it skipped.
    #[serde(deserialize_with = "known_changes")]
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

/// What the entities on the wire can hold, as this build knows them: bumped
/// whenever an entity kind, field or enum value is added, so a client that
/// skipped changes it could not read pulls them again once it can. Clients
/// send it with each pull (`v`); the server leaves out what needs more
/// ([`crate::Entity::needs_version`]).
///
/// 2: the proposal status `withdrawn`; localities' `centre` and `routes`.
pub const ENTITY_VERSION: u32 = 2;

/// The changes of a page that this build can read (see [`PullResponse`]).
fn known_changes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Change>, D::Error> {
    let raw: Vec<serde_json::Value> = Vec::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change from a newer server (an unknown kind, an unknown status)
    /// is skipped; the rest of the page is read.
    #[test]
    fn unknown_changes_are_skipped_not_fatal() {
        let page = r#"{"changes": [
            {"seq": 1, "type": "poll", "data": {"id": "x"}},
            {"seq": 2, "type": "locality", "data": {"code": "551010000", "parent": null,
              "level": "city", "name": {"kk": "Павлодар", "ru": "Павлодар", "en": "Pavlodar"}, "bodies": []}},
            {"seq": 3, "type": "locality", "data": {"code": "x", "parent": null, "level": "galaxy",
              "name": {"kk": "", "ru": "", "en": ""}, "bodies": []}}
        ], "cursor": "3", "more": false}"#;
        let r: PullResponse = serde_json::from_str(page).unwrap();
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].seq, 2);
        assert_eq!(r.cursor, "3");
    }
}
