//! Open311's queries: which public appeals a request list holds, and the
//! partner apps' API keys. Only public appeals ever leave here.

use sha2::{Digest, Sha256};

use crate::db::{Conn, Value};
use crate::error::AppResult;
use crate::params;
use crate::public::store::{in_list, newest_ids};

/// A request list's filters, already checked.
#[derive(Debug, Default, Clone)]
pub struct RequestFilter {
    /// `service_request_id`: when given, the other filters are ignored.
    pub ids: Vec<String>,
    /// `service_code`s as (body, type) pairs.
    pub services: Vec<(String, String)>,
    /// Submitted in `[from, to)` (Unix ms).
    pub from: i64,
    pub to: i64,
    /// `open`, `closed` or both (empty).
    pub open: Option<bool>,
    /// The jurisdiction's localities (empty: everywhere).
    pub localities: Vec<String>,
}

/// Ids of the public appeals that `f` selects, newest first.
pub fn request_ids(
    c: &mut dyn Conn,
    f: &RequestFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<String>> {
    let mut params: Vec<Value> = Vec::new();
    let mut sql = String::from("SELECT id FROM appeals WHERE public = 1");
    if !f.ids.is_empty() {
        let list = in_list(&mut params, &f.ids);
        sql.push_str(&format!(" AND id IN ({list})"));
    } else {
        params.push(f.from.into());
        params.push(f.to.into());
        sql.push_str(" AND submitted_at >= $1 AND submitted_at < $2");
        if !f.services.is_empty() {
            let mut any = Vec::new();
            for (body, t) in &f.services {
                params.push(body.into());
                params.push(t.into());
                let n = params.len();
                any.push(format!("(addressee = ${} AND appeal_type = ${n})", n - 1));
            }
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        match f.open {
            Some(true) => sql.push_str(" AND status NOT IN ('answered', 'dismissed')"),
            Some(false) => sql.push_str(" AND status IN ('answered', 'dismissed')"),
            None => {}
        }
        if !f.localities.is_empty() {
            let list = in_list(&mut params, &f.localities);
            sql.push_str(&format!(" AND locality IN ({list})"));
        }
    }
    newest_ids(c, sql, params, offset, limit)
}

/// Keys are stored hashed: a database dump gives no usable key. (A plain
/// SHA-256 is enough for 256 random bits; a slow hash protects guessable
/// secrets, which these are not.)
fn key_hash(key: &str) -> String {
    dauys_proto::hex(&Sha256::digest(key.trim().as_bytes()))
}

/// Records a key issued by `admin` for the partner app `label`; returns
/// its id (the first 16 hex digits of its hash, as the console lists it).
pub fn add_key(
    c: &mut dyn Conn,
    key: &str,
    label: &str,
    admin: &str,
    now: i64,
) -> AppResult<String> {
    let hash = key_hash(key);
    c.exec(
        "INSERT INTO partner_keys (key_hash, label, created_by, created_at) VALUES ($1, $2, $3, $4)",
        params![&hash, label, admin, now],
    )?;
    Ok(hash.chars().take(16).collect())
}

/// The partner app a key belongs to, if the key is valid and not revoked.
pub fn partner_of(c: &mut dyn Conn, key: &str) -> AppResult<Option<String>> {
    Ok(c.query_one(
        "SELECT label FROM partner_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        params![key_hash(key)],
    )?
    .map(|r| r.get("label"))
    .transpose()?)
}

/// A partner key as the administrators' page lists it (never the key).
#[derive(Debug, Clone)]
pub struct PartnerKey {
    pub id: String,
    pub label: String,
    pub created_at: i64,
}

/// Keys in force, newest first; `id` is a prefix of the hash (enough to
/// revoke one, useless to sign in with).
pub fn keys(c: &mut dyn Conn) -> AppResult<Vec<PartnerKey>> {
    c.query(
        "SELECT key_hash, label, created_at FROM partner_keys WHERE revoked_at IS NULL
         ORDER BY created_at DESC",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(PartnerKey {
            id: r.get::<String>("key_hash")?.chars().take(16).collect(),
            label: r.get("label")?,
            created_at: r.get("created_at")?,
        })
    })
    .collect()
}

/// Revokes the key whose hash starts with `id` (16 hex digits).
pub fn revoke_key(c: &mut dyn Conn, id: &str, now: i64) -> AppResult<bool> {
    if id.len() != 16 || !id.chars().all(|ch| ch.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let n = c.exec(
        "UPDATE partner_keys SET revoked_at = $2 WHERE key_hash LIKE $1 AND revoked_at IS NULL",
        params![format!("{}%", id.to_ascii_lowercase()), now],
    )?;
    Ok(n > 0)
}
