//! The upload queue: prepared photos (sealed files in `media/`) waiting
//! for, or done with, their resumable upload. Owns all SQL of the `media`
//! table.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rusqlite::{params, Connection};

use crate::error::Result;

/// A prepared, sealed photo: its upload id, sealed file and JPEG length.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub id: String,
    pub file: PathBuf,
    pub len: u64,
}

/// One photo still to upload.
pub(crate) struct PendingUpload {
    pub id: String,
    pub file: String,
    pub length: i64,
    pub media_type: String,
}

pub(crate) struct Uploads<'c> {
    c: &'c Connection,
}

impl<'c> Uploads<'c> {
    pub fn new(c: &'c Connection) -> Self {
        Uploads { c }
    }

    pub fn insert(&self, media: &[Prepared]) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO media (id, file, length, media_type) VALUES (?1, ?2, ?3, 'image/jpeg')",
        )?;
        for m in media {
            st.execute(params![m.id, m.file.to_string_lossy(), m.len as i64])?;
        }
        Ok(())
    }

    /// Links photos to the op that references them (the op is not pushed
    /// before they are uploaded).
    pub fn link(&self, op_id: &str, upload_ids: &[String]) -> Result<()> {
        let mut st = self
            .c
            .prepare_cached("UPDATE media SET op_id = ?2 WHERE id = ?1")?;
        for m in upload_ids {
            st.execute(params![m, op_id])?;
        }
        Ok(())
    }

    /// Incomplete photos of `ops` (the ops not yet answered, which the
    /// outbox knows), in upload order.
    pub fn pending(&self, ops: &[String]) -> Result<Vec<PendingUpload>> {
        let ops = serde_json::to_string(ops)?;
        let mut st = self.c.prepare_cached(
            "SELECT id, file, length, media_type FROM media WHERE complete = 0
             AND op_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?;
        let r = st
            .query_map([ops], |r| {
                Ok(PendingUpload {
                    id: r.get(0)?,
                    file: r.get(1)?,
                    length: r.get(2)?,
                    media_type: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }

    /// Counts bytes put on the wire (before the server acknowledged them).
    pub fn add_sent(&self, id: &str, bytes: i64) -> Result<()> {
        self.c.execute(
            "UPDATE media SET bytes_sent = bytes_sent + ?2 WHERE id = ?1",
            params![id, bytes],
        )?;
        Ok(())
    }

    pub fn set_acked(&self, id: &str, offset: i64) -> Result<()> {
        self.c.execute(
            "UPDATE media SET acked = ?2 WHERE id = ?1",
            params![id, offset],
        )?;
        Ok(())
    }

    pub fn complete(&self, id: &str) -> Result<()> {
        self.c
            .execute("UPDATE media SET complete = 1 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Ops that still wait for a photo.
    pub fn blocked_ops(&self) -> Result<HashSet<String>> {
        let mut st = self.c.prepare_cached(
            "SELECT DISTINCT op_id FROM media WHERE complete = 0 AND op_id IS NOT NULL",
        )?;
        let r = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }

    /// Incomplete photos per op.
    pub fn pending_per_op(&self) -> Result<HashMap<String, i64>> {
        let mut st = self.c.prepare_cached(
            "SELECT op_id, COUNT(*) FROM media WHERE complete = 0 AND op_id IS NOT NULL GROUP BY op_id",
        )?;
        let m = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(m)
    }

    /// Incomplete photos of one op.
    pub fn pending_of(&self, op_id: &str) -> Result<i64> {
        Ok(self.c.query_row(
            "SELECT COUNT(*) FROM media WHERE complete = 0 AND op_id = ?1",
            [op_id],
            |r| r.get(0),
        )?)
    }

    pub fn incomplete_count(&self) -> Result<i64> {
        Ok(self
            .c
            .query_row("SELECT COUNT(*) FROM media WHERE complete = 0", [], |r| {
                r.get(0)
            })?)
    }

    /// Bytes sent so far and length of one upload.
    pub fn bytes_sent(&self, id: &str) -> Result<(i64, i64)> {
        Ok(self.c.query_row(
            "SELECT bytes_sent, length FROM media WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn ids(&self) -> Result<Vec<String>> {
        let mut st = self.c.prepare_cached("SELECT id FROM media ORDER BY id")?;
        let r = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }
}
