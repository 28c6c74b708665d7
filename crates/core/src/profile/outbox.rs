//! The outbox state machine: `queued → sending → accepted | rejected`
//! (`sending → queued` when a push could not even connect). Owns every
//! SQL statement on the `outbox` table; what an op means is left to its
//! component ([`super::components`]), so this code never looks at kinds.

use std::collections::{HashMap, HashSet};

use dauys_proto::{Op, OpKind, OpOutcome, OpResult};
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

use super::components::{LocalCx, Registry};
use super::drafts::Drafts;
use super::notices::{self, NoticeEvent};
use super::uploads::Uploads;
use super::Profile;
use crate::crypto::Cipher;
use crate::db::now_ms;
use crate::error::{CoreError, Result};
use crate::model::{Draft, OpState, OutboxEntry, Rejection};

/// A raw outbox row.
pub(crate) struct OutboxRow {
    pub seq: i64,
    pub op: Op,
    pub state: OpState,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Which rows to read. Each is one fixed statement: no SQL is assembled at
/// run time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Select {
    All,
    /// Every op of one kind.
    Kind(OpKind),
    /// Ops of one kind the server has not refused.
    LiveOfKind(OpKind),
}

macro_rules! select_rows {
    ($tail:literal) => {
        concat!(
            "SELECT seq, op, state, attempts, created_at, updated_at, entity_id, receipt, applied_at,
                    error_code, message_key, error_field, error_detail, draft_id FROM outbox ",
            $tail
        )
    };
}

/// Decodes the state columns (2 and 6..=13) of a row.
fn state_of(r: &Row) -> rusqlite::Result<OpState> {
    let state: String = r.get(2)?;
    Ok(match state.as_str() {
        "queued" => OpState::Queued,
        "sending" => OpState::Sending,
        "accepted" => OpState::Accepted {
            entity_id: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            receipt: r.get(7)?,
            applied_at: r.get::<_, Option<i64>>(8)?.unwrap_or(0),
        },
        _ => OpState::Rejected {
            code: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            message_key: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            field: r.get(11)?,
            detail: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            draft_id: r.get(13)?,
        },
    })
}

/// A row before its sealed op is opened (decrypting happens outside the
/// statement's borrow).
struct RawRow {
    seq: i64,
    op: Vec<u8>,
    state: OpState,
    attempts: i64,
    created_at: i64,
    updated_at: i64,
}

fn raw_row(r: &Row) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        seq: r.get(0)?,
        op: r.get(1)?,
        state: state_of(r)?,
        attempts: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

pub(crate) struct Outbox<'c> {
    c: &'c Connection,
    cipher: &'c Cipher,
    components: &'c Registry,
}

impl<'c> Outbox<'c> {
    pub fn new(c: &'c Connection, cipher: &'c Cipher, components: &'c Registry) -> Self {
        Outbox {
            c,
            cipher,
            components,
        }
    }

    fn open(&self, raw: Vec<RawRow>) -> Result<Vec<OutboxRow>> {
        raw.into_iter()
            .map(|r| {
                Ok(OutboxRow {
                    seq: r.seq,
                    op: self.cipher.open_json(&r.op)?,
                    state: r.state,
                    attempts: r.attempts,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    pub fn rows(&self, sel: Select) -> Result<Vec<OutboxRow>> {
        let raw: Vec<RawRow> = match sel {
            Select::All => {
                let mut st = self.c.prepare_cached(select_rows!("ORDER BY seq"))?;
                let r = st
                    .query_map([], raw_row)?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
            Select::Kind(kind) => {
                let mut st = self
                    .c
                    .prepare_cached(select_rows!("WHERE kind = ?1 ORDER BY seq"))?;
                let r = st
                    .query_map([kind.as_str()], raw_row)?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
            Select::LiveOfKind(kind) => {
                let mut st = self.c.prepare_cached(select_rows!(
                    "WHERE kind = ?1 AND state != 'rejected' ORDER BY seq"
                ))?;
                let r = st
                    .query_map([kind.as_str()], raw_row)?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
        };
        self.open(raw)
    }

    /// One op by id (through the unique index).
    pub fn row(&self, id: Uuid) -> Result<Option<OutboxRow>> {
        let raw = self
            .c
            .query_row(select_rows!("WHERE id = ?1"), [id.to_string()], raw_row)
            .optional()?;
        Ok(self.open(raw.into_iter().collect())?.pop())
    }

    /// The delivery state of one op, without opening its sealed content:
    /// one index lookup.
    pub fn state(&self, id: Uuid) -> Result<Option<OpState>> {
        Ok(self
            .c
            .prepare_cached(select_rows!("WHERE id = ?1"))?
            .query_row([id.to_string()], state_of)
            .optional()?)
    }

    /// The next batch to push: pending ops in queue order, skipping
    /// `blocked` ones (photos still uploading), at most `max_ops` and
    /// `max_bytes` of JSON (one op always goes, however large). Ops are
    /// opened one by one and reading stops at the first that does not
    /// fit: a long queue is not decrypted whole for every batch. True
    /// when more are waiting.
    pub fn next_batch(
        &self,
        blocked: &HashSet<String>,
        max_ops: usize,
        max_bytes: usize,
    ) -> Result<(Vec<Op>, bool)> {
        let mut st = self.c.prepare_cached(
            "SELECT id, op FROM outbox WHERE state IN ('queued', 'sending') ORDER BY seq",
        )?;
        let mut rows = st.query([])?;
        let (mut out, mut bytes) = (Vec::new(), 0);
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if blocked.contains(&id) {
                continue;
            }
            let op: Op = self.cipher.open_json(&r.get::<_, Vec<u8>>(1)?)?;
            let size = serde_json::to_vec(&op)?.len();
            if !out.is_empty() && (out.len() >= max_ops || bytes + size > max_bytes) {
                return Ok((out, true));
            }
            bytes += size;
            out.push(op);
        }
        Ok((out, false))
    }

    /// Queues a (signed) op.
    pub fn insert(&self, op: &Op) -> Result<()> {
        self.c.execute(
            "INSERT INTO outbox (id, kind, state, op, created_at, updated_at) VALUES (?1, ?2, 'queued', ?3, ?4, ?4)",
            params![op.id.to_string(), op.kind, self.cipher.seal_json(op)?, now_ms()],
        )?;
        Ok(())
    }

    pub fn queued_ids(&self) -> Result<Vec<String>> {
        let mut st = self
            .c
            .prepare_cached("SELECT id FROM outbox WHERE state = 'queued'")?;
        let r = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }

    /// `queued | sending → sending`, counting the attempt.
    pub fn mark_sending(&self, batch: &[Op]) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2
             WHERE id = ?1 AND state IN ('queued', 'sending')",
        )?;
        let now = now_ms();
        for op in batch {
            st.execute(params![op.id.to_string(), now])?;
        }
        Ok(())
    }

    /// `sending → queued` for ops that were queued before a push that
    /// never left the device.
    pub fn unsend(&self, batch: &[Op], was_queued: &[String]) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE outbox SET state = 'queued' WHERE id = ?1 AND state = 'sending'",
        )?;
        for op in batch {
            let id = op.id.to_string();
            if was_queued.contains(&id) {
                st.execute([&id])?;
            }
        }
        Ok(())
    }

    /// Lets a queued or sending op go out with the next sync at once.
    pub fn reset_attempts(&self, id: Uuid) -> Result<()> {
        self.c.execute(
            "UPDATE outbox SET attempts = 0, updated_at = ?2 WHERE id = ?1",
            params![id.to_string(), now_ms()],
        )?;
        Ok(())
    }

    pub fn delete(&self, id: Uuid) -> Result<()> {
        self.c
            .execute("DELETE FROM outbox WHERE id = ?1", [id.to_string()])?;
        Ok(())
    }

    pub fn count(&self, state: &str) -> Result<i64> {
        Ok(self.c.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state = ?1",
            [state],
            |r| r.get(0),
        )?)
    }

    /// Ids of the ops not answered yet (queued or being sent).
    pub fn unanswered_ids(&self) -> Result<Vec<String>> {
        let mut st = self
            .c
            .prepare_cached("SELECT id FROM outbox WHERE state IN ('queued', 'sending')")?;
        let r = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }

    pub fn pending_count(&self) -> Result<i64> {
        Ok(self.c.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')",
            [],
            |r| r.get(0),
        )?)
    }

    /// Records the server's answers (call inside a transaction). An op
    /// answered before (a re-push) is left alone. A rejected op's content
    /// returns to a draft and its component undoes the local effect.
    pub fn record(&self, results: &[OpResult], ops: &[Op]) -> Result<(usize, usize)> {
        let (mut acc, mut rej) = (0, 0);
        let now = now_ms();
        for r in results {
            if !self.state(r.id)?.is_some_and(|s| s.is_pending()) {
                continue;
            }
            let id = r.id.to_string();
            match &r.outcome {
                OpOutcome::Accepted {
                    entity_id,
                    receipt,
                    applied_at,
                } => {
                    acc += 1;
                    self.c
                        .prepare_cached(
                            "UPDATE outbox SET state = 'accepted', entity_id = ?2, receipt = ?3, applied_at = ?4, updated_at = ?5 WHERE id = ?1",
                        )?
                        .execute(params![id, entity_id, receipt, applied_at, now])?;
                    if let (Some(receipt), Some(op)) = (receipt, ops.iter().find(|o| o.id == r.id))
                    {
                        if let Some(b) = super::components::budgets::cast(op) {
                            let event = NoticeEvent::BallotCounted {
                                cycle_id: b.cycle_id,
                                receipt: receipt.clone(),
                            };
                            notices::add(self.c, self.cipher, &format!("op:{id}"), &event)?;
                        }
                    }
                }
                OpOutcome::Rejected {
                    code,
                    message_key,
                    field,
                    detail,
                } => {
                    rej += 1;
                    let op = ops.iter().find(|o| o.id == r.id);
                    let comp = op.and_then(|o| self.components.of(&o.kind));
                    let draft_id = match (op, comp) {
                        (Some(op), Some(comp)) => match comp.to_draft(op) {
                            Some(content) => {
                                Some(Drafts::new(self.c, self.cipher).insert_rejected(
                                    &content,
                                    &Rejection {
                                        op_id: r.id,
                                        code: code.as_str().into(),
                                        message_key: message_key.clone(),
                                        field: field.clone(),
                                        detail: detail.clone(),
                                    },
                                )?)
                            }
                            None => None,
                        },
                        _ => None,
                    };
                    self.c
                        .prepare_cached(
                            "UPDATE outbox SET state = 'rejected', error_code = ?2, message_key = ?3, error_field = ?4,
                               error_detail = ?5, draft_id = ?6, updated_at = ?7 WHERE id = ?1",
                        )?
                        .execute(params![id, code.as_str(), message_key, field, detail, draft_id, now])?;
                    if let Some(op) = op {
                        let event = NoticeEvent::Refused {
                            op_id: id.clone(),
                            op_kind: op.kind.clone(),
                            summary: self.components.describe(op).summary,
                            message_key: message_key.clone(),
                        };
                        notices::add(self.c, self.cipher, &format!("op:{id}"), &event)?;
                    }
                    if let (Some(op), Some(comp)) = (op, comp) {
                        comp.undo_on_reject(&LocalCx::new(self.c, self.cipher), op)?;
                    }
                }
            }
        }
        Ok((acc, rej))
    }
}

/// An outbox row as the app shows it; `media_pending`: its photos not yet
/// uploaded (counted only while the op waits).
fn entry(components: &Registry, r: OutboxRow, media_pending: i64) -> OutboxEntry {
    let d = components.describe(&r.op);
    OutboxEntry {
        id: r.op.id,
        seq: r.seq,
        summary: d.summary,
        target: d.target,
        kind: r.op.kind.clone(),
        media_pending: if r.state.is_pending() {
            media_pending
        } else {
            0
        },
        state: r.state,
        attempts: r.attempts,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

impl Profile {
    pub(crate) fn outbox_store<'c>(&'c self, c: &'c Connection) -> Outbox<'c> {
        Outbox::new(c, &self.cipher, &self.components)
    }

    /// The outbox, oldest first, with each op's state.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let (rows, pending_media): (_, HashMap<String, i64>) = {
            let c = self.conn();
            (
                self.outbox_store(&c).rows(Select::All)?,
                Uploads::new(&c).pending_per_op()?,
            )
        };
        Ok(rows
            .into_iter()
            .map(|r| {
                let pending = pending_media
                    .get(&r.op.id.to_string())
                    .copied()
                    .unwrap_or(0);
                entry(&self.components, r, pending)
            })
            .collect())
    }

    /// One outbox entry by op id (`None`: no such op), through the unique
    /// index rather than a scan of the outbox.
    pub fn outbox_entry(&self, op_id: Uuid) -> Result<Option<OutboxEntry>> {
        let c = self.conn();
        let Some(row) = self.outbox_store(&c).row(op_id)? else {
            return Ok(None);
        };
        let pending = Uploads::new(&c).pending_of(&op_id.to_string())?;
        Ok(Some(entry(&self.components, row, pending)))
    }

    /// The delivery state of one op (`None`: no such op), in one index
    /// lookup — for status checks right after queueing.
    pub fn op_state(&self, op_id: Uuid) -> Result<Option<OpState>> {
        self.outbox_store(&self.conn()).state(op_id)
    }

    /// The state of an op this outbox holds (`NotFound` otherwise).
    fn known_state(&self, op_id: Uuid) -> Result<OpState> {
        self.op_state(op_id)?
            .ok_or_else(|| CoreError::NotFound(format!("op {op_id}")))
    }

    /// Retries an op. A queued or sending op simply goes out with the next
    /// sync (same id). A rejected op is re-queued from its draft as a new
    /// op (new id: the server keeps the old id's answer forever).
    pub fn retry(&self, op_id: Uuid) -> Result<Uuid> {
        match self.known_state(op_id)? {
            OpState::Rejected {
                draft_id: Some(d), ..
            } => self.submit_draft(&d),
            OpState::Rejected { .. } => {
                Err(CoreError::Invalid("this op has no draft to resend".into()))
            }
            _ => {
                self.outbox_store(&self.conn()).reset_attempts(op_id)?;
                Ok(op_id)
            }
        }
    }

    /// Discards an op that was never sent (queued) or was rejected. An op
    /// already sent cannot be recalled: the server may have applied it.
    /// For a rejected op, its draft is kept (delete it separately).
    pub fn discard(&self, op_id: Uuid) -> Result<()> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let ob = self.outbox_store(&tx);
        let row = ob
            .row(op_id)?
            .ok_or_else(|| CoreError::NotFound(format!("op {op_id}")))?;
        if !matches!(row.state, OpState::Queued | OpState::Rejected { .. }) {
            return Err(CoreError::Invalid(format!(
                "op {op_id} is {}: it may already be applied and cannot be discarded",
                row.state.name()
            )));
        }
        ob.delete(op_id)?;
        if let Some(comp) = self.components.of(&row.op.kind) {
            comp.undo_on_reject(&LocalCx::new(&tx, &self.cipher), &row.op)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The editable draft holding a rejected op's content.
    pub fn edit_rejected(&self, op_id: Uuid) -> Result<Draft> {
        match self.known_state(op_id)? {
            OpState::Rejected {
                draft_id: Some(d), ..
            } => self.draft(&d),
            _ => Err(CoreError::Invalid(format!("op {op_id} was not rejected"))),
        }
    }

    /// Records the server's answer for ops (one transaction).
    pub(crate) fn record_results(
        &self,
        results: &[OpResult],
        ops: &[Op],
    ) -> Result<(usize, usize)> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let n = self.outbox_store(&tx).record(results, ops)?;
        tx.commit()?;
        Ok(n)
    }

    /// Ops not yet answered by the server.
    pub fn pending_count(&self) -> Result<i64> {
        self.outbox_store(&self.conn()).pending_count()
    }
}
