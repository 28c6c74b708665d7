//! Console sessions' rows (the cookie's token is stored only hashed).

use crate::db::{Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::params;

/// A stored session.
pub struct Stored {
    pub user_id: String,
    pub csrf: String,
    pub last_seen: i64,
}

impl FromRow for Stored {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(Stored {
            user_id: r.get("user_id")?,
            csrf: r.get("csrf_token")?,
            last_seen: r.get("last_seen")?,
        })
    }
}

pub fn insert(
    c: &mut dyn Conn,
    token_hash: &str,
    user_id: &str,
    csrf: &str,
    now: i64,
) -> AppResult<()> {
    c.exec(
        "INSERT INTO console_sessions (token_hash, user_id, csrf_token, created_at, last_seen)
         VALUES ($1, $2, $3, $4, $4)",
        params![token_hash, user_id, csrf, now],
    )?;
    Ok(())
}

pub fn get(c: &mut dyn Conn, token_hash: &str) -> AppResult<Option<Stored>> {
    Ok(c.query_one(
        "SELECT user_id, csrf_token, last_seen FROM console_sessions WHERE token_hash = $1",
        params![token_hash],
    )?
    .map(|r| Stored::from_row(&r))
    .transpose()?)
}

pub fn touch(c: &mut dyn Conn, token_hash: &str, now: i64) -> AppResult<()> {
    c.exec(
        "UPDATE console_sessions SET last_seen = $2 WHERE token_hash = $1",
        params![token_hash, now],
    )?;
    Ok(())
}

pub fn delete(c: &mut dyn Conn, token_hash: &str) -> AppResult<()> {
    c.exec(
        "DELETE FROM console_sessions WHERE token_hash = $1",
        params![token_hash],
    )?;
    Ok(())
}
