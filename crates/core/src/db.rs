//! The profile database: schema, migrations, connection settings.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::Result;

/// Migrations in order, applied by `rusqlite_migration`, which records how
/// many ran in `user_version` — the same bookkeeping this module did by
/// hand before, so databases created by earlier versions (user_version 1
/// or 2) continue from where they are. Only ever append.
const MIGRATIONS: &[M<'static>] = &[
    M::up(
        r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Sealed (encrypted) values: session token, device key, IIN.
CREATE TABLE secrets (key TEXT PRIMARY KEY, value BLOB NOT NULL);

-- Public mirror of what the profile follows (plain: it is public and searchable).
CREATE TABLE localities (code TEXT PRIMARY KEY, parent TEXT, data TEXT NOT NULL);
CREATE TABLE cycles (id TEXT PRIMARY KEY, locality TEXT NOT NULL, phase TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE proposals (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  cycle_id TEXT NOT NULL,
  locality TEXT NOT NULL,
  status TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX proposals_cycle ON proposals (cycle_id);
CREATE VIRTUAL TABLE proposals_fts USING fts5(
  title, description, category,
  content='proposals', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER proposals_ai AFTER INSERT ON proposals BEGIN
  INSERT INTO proposals_fts (rowid, title, description, category) VALUES (new.rowid, new.title, new.description, new.category);
END;
CREATE TRIGGER proposals_ad AFTER DELETE ON proposals BEGIN
  INSERT INTO proposals_fts (proposals_fts, rowid, title, description, category) VALUES ('delete', old.rowid, old.title, old.description, old.category);
END;
CREATE TRIGGER proposals_au AFTER UPDATE ON proposals BEGIN
  INSERT INTO proposals_fts (proposals_fts, rowid, title, description, category) VALUES ('delete', old.rowid, old.title, old.description, old.category);
  INSERT INTO proposals_fts (rowid, title, description, category) VALUES (new.rowid, new.title, new.description, new.category);
END;
CREATE TABLE comments (id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX comments_proposal ON comments (proposal_id, created_at);

-- Personal data: sealed.
CREATE TABLE my_appeals (id TEXT PRIMARY KEY, sort_at INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE my_ballots (cycle_id TEXT PRIMARY KEY, data BLOB NOT NULL);

-- The outbox: one row per user action, written in the same transaction as
-- its local effect. `op` is the sealed wire op (id, payload, signature).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'rejected')),
  op BLOB NOT NULL,
  target TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  entity_id TEXT,
  receipt TEXT,
  applied_at INTEGER,
  error_code TEXT,
  message_key TEXT,
  error_field TEXT,
  error_detail TEXT,
  draft_id TEXT
);
CREATE INDEX outbox_state ON outbox (state, seq);

-- Prepared photos waiting for (or done with) their resumable upload.
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  op_id TEXT,
  file TEXT NOT NULL,
  length INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  acked INTEGER NOT NULL DEFAULT 0,
  bytes_sent INTEGER NOT NULL DEFAULT 0,
  complete INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE drafts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  data BLOB NOT NULL,
  rejection BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
"#,
    ),
    M::up(
        r#"
-- Photos of drafts, prepared and sealed in media/<id>.bin (the same place
-- and format as queued media, so submitting a draft moves only this row).
-- The user's file name is sealed too.
CREATE TABLE draft_media (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  draft_id TEXT NOT NULL,
  length INTEGER NOT NULL,
  name BLOB NOT NULL
);
CREATE INDEX draft_media_draft ON draft_media (draft_id, seq);
"#,
    ),
    M::up(
        r#"
-- Comments attach to any commentable item ({kind, id}), not only to
-- proposals: the mirror is keyed by target. Rows pulled before keep their
-- content; their JSON gains the `target` the entity now carries.
CREATE TABLE comments_by_target (
  id TEXT PRIMARY KEY,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
INSERT INTO comments_by_target (id, target_kind, target_id, created_at, data)
  SELECT id, 'proposal', proposal_id, created_at,
         json_set(data, '$.target', json_object('kind', 'proposal', 'id', proposal_id))
  FROM comments;
DROP TABLE comments;
ALTER TABLE comments_by_target RENAME TO comments;
CREATE INDEX comments_target ON comments (target_kind, target_id, created_at);
"#,
    ),
    M::up(
        r#"
-- What changed for the user, built from the pulled changes and the
-- server's answers (no extra request). Sealed: it names their own appeals
-- and proposals. `key` makes noticing the same change twice harmless.
CREATE TABLE notices (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  read INTEGER NOT NULL DEFAULT 0,
  data BLOB NOT NULL
);
CREATE INDEX notices_unread ON notices (read, seq);
-- Other residents' public appeals of the followed localities, with their
-- answers, searchable offline ("has someone asked about this already?").
CREATE TABLE public_appeals (
  id TEXT PRIMARY KEY,
  locality TEXT NOT NULL,
  sort_at INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  answer TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX public_appeals_sort ON public_appeals (sort_at DESC);
CREATE VIRTUAL TABLE public_appeals_fts USING fts5(
  subject, body, answer, content='public_appeals', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER public_appeals_ai AFTER INSERT ON public_appeals BEGIN
  INSERT INTO public_appeals_fts (rowid, subject, body, answer) VALUES (new.rowid, new.subject, new.body, new.answer);
END;
CREATE TRIGGER public_appeals_ad AFTER DELETE ON public_appeals BEGIN
  INSERT INTO public_appeals_fts (public_appeals_fts, rowid, subject, body, answer) VALUES ('delete', old.rowid, old.subject, old.body, old.answer);
END;
CREATE TRIGGER public_appeals_au AFTER UPDATE ON public_appeals BEGIN
  INSERT INTO public_appeals_fts (public_appeals_fts, rowid, subject, body, answer) VALUES ('delete', old.rowid, old.subject, old.body, old.answer);
  INSERT INTO public_appeals_fts (rowid, subject, body, answer) VALUES (new.rowid, new.subject, new.body, new.answer);
END;
"#,
    ),
];

/// Opens (creating if needed) a profile database with WAL and migrations.
pub fn open(path: &Path) -> Result<Connection> {
    let mut c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: an op the UI showed as queued must survive power loss.
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", true)?;
    c.pragma_update(None, "secure_delete", true)?;
    migrate(&mut c)?;
    Ok(c)
}

/// Brings the schema up to date; each migration runs in its own
/// transaction. A database from a newer version is refused rather than
/// used with a schema this code does not know.
fn migrate(c: &mut Connection) -> Result<()> {
    Migrations::from_slice(MIGRATIONS).to_latest(c)?;
    Ok(())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    /// Databases are refused when a newer version wrote them.
    #[test]
    fn newer_schema_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        assert!(migrate(&mut c).is_err());
    }

    /// A database from before polymorphic comments opens with its pulled
    /// comments intact and addressable by target.
    #[test]
    fn comments_migrate_to_targets() {
        let mut c = Connection::open_in_memory().unwrap();
        // A database as version 2 of the schema left it.
        Migrations::from_slice(&MIGRATIONS[..2])
            .to_latest(&mut c)
            .unwrap();
        let old = r#"{"id":"c1","proposal_id":"p1","locality":"551010000","body":"Жақсы","visible":true,"mine":false,"created_at":5}"#;
        c.execute(
            "INSERT INTO comments (id, proposal_id, created_at, data) VALUES ('c1', 'p1', 5, ?1)",
            [old],
        )
        .unwrap();
        migrate(&mut c).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let (kind, id, data): (String, String, String) = c
            .query_row(
                "SELECT target_kind, target_id, data FROM comments WHERE id = 'c1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), id.as_str()), ("proposal", "p1"));
        let cm: dauys_proto::Comment = serde_json::from_str(&data).unwrap();
        assert_eq!(cm.target, dauys_proto::CommentTarget::proposal("p1"));
        assert_eq!(cm.proposal_id.as_deref(), Some("p1"));
        assert_eq!(cm.body, "Жақсы");
    }
}
