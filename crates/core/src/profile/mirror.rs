//! The local mirror of what the server publishes for the followed
//! localities (localities, cycles, proposals with FTS5, comments) plus
//! the user's own appeals and ballots as pulled (sealed). Owns the SQL of
//! those tables; the sync engine hands it pulled pages.

use dauys_proto::{Comment, CommentTarget, Cycle, Entity, Locality, Proposal, PullResponse};
use rusqlite::{params, Connection, OptionalExtension};

use super::kv;
use super::Profile;
use crate::crypto::Cipher;
use crate::error::Result;
use crate::model::ProposalQuery;

pub(crate) struct Mirror<'c> {
    c: &'c Connection,
}

/// Builds an FTS5 query: every word must match as a prefix. Each word is
/// quoted, so user text is data, never FTS syntax.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

fn parse_all<T: serde::de::DeserializeOwned>(rows: Vec<String>) -> Result<Vec<T>> {
    rows.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
}

impl<'c> Mirror<'c> {
    pub fn new(c: &'c Connection) -> Self {
        Mirror { c }
    }

    /// Stores one pulled entity (upsert: pulling twice is harmless).
    pub fn apply(&self, cipher: &Cipher, e: &Entity) -> Result<()> {
        match e {
            Entity::Locality(l) => {
                self.c.execute(
                    "INSERT INTO localities (code, parent, data) VALUES (?1, ?2, ?3)
                     ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, data = excluded.data",
                    params![l.code, l.parent, serde_json::to_string(l)?],
                )?;
            }
            Entity::Cycle(cy) => {
                self.c.execute(
                    "INSERT INTO cycles (id, locality, phase, data) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET locality = excluded.locality, phase = excluded.phase, data = excluded.data",
                    params![cy.id, cy.locality, cy.phase.as_str(), serde_json::to_string(cy)?],
                )?;
            }
            Entity::Proposal(pr) => {
                self.c.execute(
                    "INSERT INTO proposals (id, cycle_id, locality, status, title, description, category, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (id) DO UPDATE SET cycle_id = excluded.cycle_id, locality = excluded.locality,
                       status = excluded.status, title = excluded.title, description = excluded.description,
                       category = excluded.category, data = excluded.data",
                    params![
                        pr.id,
                        pr.cycle_id,
                        pr.locality,
                        pr.status.as_str(),
                        pr.title,
                        pr.description,
                        pr.category,
                        serde_json::to_string(pr)?
                    ],
                )?;
            }
            Entity::Comment(cm) => {
                self.c.execute(
                    "INSERT INTO comments (id, target_kind, target_id, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    params![
                        cm.id,
                        cm.target.kind,
                        cm.target.id,
                        cm.created_at,
                        serde_json::to_string(cm)?
                    ],
                )?;
            }
            Entity::Appeal(a) if a.mine => {
                self.c.execute(
                    "INSERT INTO my_appeals (id, sort_at, data) VALUES (?1, ?2, ?3)
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    params![a.id, a.submitted_at, cipher.seal_json(a)?],
                )?;
            }
            // Other residents' public appeals (the server sends no private
            // ones), for "has someone asked about this already?".
            Entity::Appeal(a) => {
                self.c.execute(
                    "INSERT INTO public_appeals (id, locality, sort_at, subject, body, answer, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (id) DO UPDATE SET locality = excluded.locality, subject = excluded.subject,
                       body = excluded.body, answer = excluded.answer, data = excluded.data",
                    params![
                        a.id,
                        a.locality,
                        a.submitted_at,
                        a.subject,
                        a.body,
                        a.answer.as_deref().unwrap_or(""),
                        serde_json::to_string(a)?
                    ],
                )?;
            }
            Entity::Ballot(b) => {
                self.c.execute(
                    "INSERT INTO my_ballots (cycle_id, data) VALUES (?1, ?2)
                     ON CONFLICT (cycle_id) DO UPDATE SET data = excluded.data",
                    params![b.cycle_id, cipher.seal_json(b)?],
                )?;
            }
        }
        Ok(())
    }

    /// Applies a page and advances the cursor (call inside a transaction,
    /// so the cursor moves only with the page).
    pub fn apply_page(&self, cipher: &Cipher, resp: &PullResponse) -> Result<()> {
        for ch in &resp.changes {
            super::notices::observe(self.c, cipher, &ch.entity)?;
            self.apply(cipher, &ch.entity)?;
        }
        kv::set(self.c, kv::Meta::Cursor, &resp.cursor)
    }

    /// Nothing mirrored yet (a fresh profile fetches localities first).
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self
            .c
            .query_row("SELECT COUNT(*) FROM localities", [], |r| r.get(0))?;
        Ok(n == 0)
    }

    pub fn localities(&self) -> Result<Vec<Locality>> {
        let mut st = self
            .c
            .prepare_cached("SELECT data FROM localities ORDER BY code")?;
        let rows = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parse_all(rows)
    }

    /// The locality an addressed body belongs to.
    pub fn body_locality(&self, body: &str) -> Result<Option<String>> {
        Ok(self
            .localities()?
            .into_iter()
            .find(|l| l.bodies.iter().any(|b| b.id == body))
            .map(|l| l.code))
    }

    pub fn cycles(&self, locality: Option<&str>) -> Result<Vec<Cycle>> {
        let mut st = self.c.prepare_cached(
            "SELECT data FROM cycles WHERE ?1 IS NULL OR locality = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([locality], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parse_all(rows)
    }

    pub fn cycle(&self, id: &str) -> Result<Option<Cycle>> {
        let v: Option<String> = self
            .c
            .query_row("SELECT data FROM cycles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        v.map(|s| Ok(serde_json::from_str(&s)?)).transpose()
    }

    pub fn proposals(&self, q: &ProposalQuery) -> Result<Vec<Proposal>> {
        let limit = i64::from(q.limit.unwrap_or(200).min(10_000));
        let rows: Vec<String> = match q.search.as_deref().and_then(fts_query) {
            Some(m) => {
                let mut st = self.c.prepare_cached(
                    "SELECT p.data FROM proposals_fts f JOIN proposals p ON p.rowid = f.rowid
                     WHERE proposals_fts MATCH ?1 AND (?2 IS NULL OR p.cycle_id = ?2)
                     ORDER BY bm25(proposals_fts) LIMIT ?3",
                )?;
                let r = st
                    .query_map(params![m, q.cycle_id, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
            None => {
                let mut st = self.c.prepare_cached(
                    "SELECT data FROM proposals WHERE ?1 IS NULL OR cycle_id = ?1 ORDER BY rowid LIMIT ?2",
                )?;
                let r = st
                    .query_map(params![q.cycle_id, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
        };
        parse_all(rows)
    }

    /// The user's own proposals as the server last sent them.
    pub fn my_proposals(&self) -> Result<Vec<Proposal>> {
        let mut st = self.c.prepare_cached(
            "SELECT data FROM proposals WHERE json_extract(data, '$.mine') ORDER BY rowid DESC",
        )?;
        let rows = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parse_all(rows)
    }

    /// Every mirrored proposal of a cycle (what the ballot rule needs).
    pub fn cycle_proposals(&self, cycle_id: &str) -> Result<Vec<Proposal>> {
        let mut st = self
            .c
            .prepare_cached("SELECT data FROM proposals WHERE cycle_id = ?1 ORDER BY rowid")?;
        let rows = st
            .query_map([cycle_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parse_all(rows)
    }

    /// Pulled comments on an item, oldest first.
    pub fn comments(&self, target: &CommentTarget) -> Result<Vec<Comment>> {
        let mut st = self.c.prepare_cached(
            "SELECT data FROM comments WHERE target_kind = ?1 AND target_id = ?2 ORDER BY created_at, id",
        )?;
        let rows = st
            .query_map([&target.kind, &target.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parse_all(rows)
    }

    /// The user's ballots as counted by the server (sealed rows).
    pub fn my_ballots(&self, cipher: &Cipher) -> Result<Vec<dauys_proto::Ballot>> {
        let mut st = self.c.prepare_cached("SELECT data FROM my_ballots")?;
        let rows: Vec<Vec<u8>> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        rows.iter().map(|d| cipher.open_json(d)).collect()
    }

    /// The user's appeals, newest first (sealed rows).
    pub fn my_appeals(&self, cipher: &Cipher) -> Result<Vec<dauys_proto::Appeal>> {
        let mut st = self
            .c
            .prepare_cached("SELECT data FROM my_appeals ORDER BY sort_at DESC")?;
        let rows: Vec<Vec<u8>> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        rows.iter().map(|d| cipher.open_json(d)).collect()
    }
}

impl Profile {
    pub fn localities(&self) -> Result<Vec<Locality>> {
        Mirror::new(&self.conn()).localities()
    }

    /// Cycles mirrored locally, optionally of one locality.
    pub fn cycles(&self, locality: Option<&str>) -> Result<Vec<Cycle>> {
        Mirror::new(&self.conn()).cycles(locality)
    }

    pub fn cycle(&self, id: &str) -> Result<Option<Cycle>> {
        Mirror::new(&self.conn()).cycle(id)
    }

    /// Builds an FTS5 query: every word must match as a prefix.
    pub fn fts_query(text: &str) -> Option<String> {
        fts_query(text)
    }

    /// Proposals from the local mirror; with `search`, ranked by FTS5 (bm25).
    pub fn proposals(&self, q: &ProposalQuery) -> Result<Vec<Proposal>> {
        Mirror::new(&self.conn()).proposals(q)
    }
}
