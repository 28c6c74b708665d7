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
}

impl Meta {
    fn key(self) -> &'static str {
        match self {
            Meta::Cursor => "cursor",
            Meta::Follows => "follows",
            Meta::TokenExpiresAt => "token_expires_at",
            Meta::LastSyncAt => "last_sync_at",
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
