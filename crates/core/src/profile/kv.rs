//! The profile's small key/value stores: `meta` (plain settings such as the
//! pull cursor) and `secrets` (values sealed with the profile's key). Keys
//! are enums, so a typo is a compile error rather than a silent new row.

use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::crypto::Cipher;
use crate::error::Result;

/// Plain settings of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meta {
    /// The change-feed cursor of the last applied pull page.
    Cursor,
    /// JSON list of followed locality codes.
    Follows,
    TokenExpiresAt,
    LastSyncAt,
    /// The [`dauys_proto::ENTITY_VERSION`] the mirror was pulled with.
    EntityVersion,
}

impl Meta {
    fn key(self) -> &'static str {
        match self {
            Meta::Cursor => "cursor",
            Meta::Follows => "follows",
            Meta::TokenExpiresAt => "token_expires_at",
            Meta::LastSyncAt => "last_sync_at",
            Meta::EntityVersion => "entity_version",
        }
    }
}

/// Sealed values of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secret {
    /// The Ed25519 seed of the device key.
    DeviceKey,
    /// The session token.
    Token,
    /// JSON of the signed-in user ([`dauys_proto::Me`]).
    Me,
}

impl Secret {
    fn key(self) -> &'static str {
        match self {
            Secret::DeviceKey => "device_key",
            Secret::Token => "token",
            Secret::Me => "me",
        }
    }
}

pub(crate) fn get(c: &Connection, key: Meta) -> Result<Option<String>> {
    Ok(
        c.query_row("SELECT value FROM meta WHERE key = ?1", [key.key()], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

pub(crate) fn set(c: &Connection, key: Meta, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key.key(), value],
    )?;
    Ok(())
}

/// After an update that reads entities an older build skipped (see
/// [`dauys_proto::PullResponse`]), the next sync pulls from the start
/// again (upserts: harmless; nothing is noticed twice).
pub(crate) fn repull_if_entities_changed(c: &Connection) -> Result<()> {
    let now = dauys_proto::ENTITY_VERSION.to_string();
    // Profiles from before the version was recorded were pulled with the
    // first one: no second download over 2G for nothing.
    let pulled_with = get(c, Meta::EntityVersion)?.unwrap_or_else(|| "1".into());
    if pulled_with == now {
        if get(c, Meta::EntityVersion)?.is_none() {
            set(c, Meta::EntityVersion, &now)?;
        }
        return Ok(());
    }
    if get(c, Meta::Cursor)?.is_some() {
        set(c, Meta::Cursor, "0")?;
    }
    set(c, Meta::EntityVersion, &now)
}

/// The pull cursor ("0": nothing pulled yet).
pub(crate) fn cursor(c: &Connection) -> Result<String> {
    Ok(get(c, Meta::Cursor)?.unwrap_or_else(|| "0".into()))
}

pub(crate) fn secret(
    c: &Connection,
    cipher: &Cipher,
    key: Secret,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let v: Option<Vec<u8>> = c
        .query_row(
            "SELECT value FROM secrets WHERE key = ?1",
            [key.key()],
            |r| r.get(0),
        )
        .optional()?;
    v.map(|s| cipher.open(&s).map(Zeroizing::new)).transpose()
}

pub(crate) fn set_secret(c: &Connection, cipher: &Cipher, key: Secret, value: &[u8]) -> Result<()> {
    c.execute(
        "INSERT INTO secrets (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key.key(), cipher.seal(value)],
    )?;
    Ok(())
}

pub(crate) fn delete_secret(c: &Connection, key: Secret) -> Result<()> {
    c.execute("DELETE FROM secrets WHERE key = ?1", [key.key()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_entity_version_pulls_from_the_start_once() {
        let dir = tempfile::tempdir().unwrap();
        let c = crate::db::open(&dir.path().join("p.db")).unwrap();
        // A profile from before versions were recorded was pulled with
        // version 1: from the start once now that entities are newer.
        set(&c, Meta::Cursor, "42").unwrap();
        repull_if_entities_changed(&c).unwrap();
        assert_eq!(cursor(&c).unwrap(), "0");
        let now = dauys_proto::ENTITY_VERSION.to_string();
        assert_eq!(get(&c, Meta::EntityVersion).unwrap(), Some(now.clone()));
        // Pulled with this build's version: kept as it is.
        set(&c, Meta::Cursor, "42").unwrap();
        repull_if_entities_changed(&c).unwrap();
        assert_eq!(cursor(&c).unwrap(), "42");
        // Pulled by an older build: from the start, once.
        set(&c, Meta::EntityVersion, "0").unwrap();
        repull_if_entities_changed(&c).unwrap();
        assert_eq!(cursor(&c).unwrap(), "0");
        set(&c, Meta::Cursor, "7").unwrap();
        repull_if_entities_changed(&c).unwrap();
        assert_eq!(cursor(&c).unwrap(), "7");
        assert_eq!(get(&c, Meta::EntityVersion).unwrap(), Some(now));
    }
}
