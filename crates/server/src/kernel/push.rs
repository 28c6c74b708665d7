//! Applying a pushed batch: at most once per op id, however often and
//! however concurrently the same op arrives. This is the kernel's op log:
//! components only see ops already parsed, and never touch the `ops` table.

use std::collections::HashMap;

use dauys_proto::{ErrorCode, Op, OpKind, OpOutcome, OpResult};

use crate::auth::{self, Actor};
use crate::components::{Component, ParsedOp};
use crate::db::{self, Conn, FromRow};
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::audit;
use crate::kernel::ops::Ctx;
use crate::kernel::precheck::{precheck, usable, Binding, Prechecked};
use crate::params;
use crate::state::AppState;

fn rejected(r: Reject) -> OpOutcome {
    OpOutcome::Rejected {
        message_key: r.code.message_key(),
        code: r.code,
        field: r.field,
        detail: r.detail,
    }
}

/// An op id already in the op log: who sent it and its stored outcome.
pub struct StoredOp {
    id: String,
    user_id: String,
    result: String,
}

impl FromRow for StoredOp {
    fn from_row(r: &db::Row) -> db::DbResult<Self> {
        Ok(StoredOp {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            result: r.get("result")?,
        })
    }
}

/// The op log's entries for a batch's ids, in one query per 500 ids (not
/// one per op): a re-sent batch is the common case on a flaky link.
fn stored_ops(c: &mut dyn Conn, ops: &[Op]) -> AppResult<HashMap<String, StoredOp>> {
    let ids: Vec<String> = ops.iter().map(|o| o.id.to_string()).collect();
    stored_ops_by_id(c, &ids)
}

fn stored_ops_by_id(c: &mut dyn Conn, ids: &[String]) -> AppResult<HashMap<String, StoredOp>> {
    let rows: Vec<StoredOp> = db::load_in(c, ids, &[], |list| {
        format!("SELECT id, user_id, result FROM ops WHERE id IN ({list})")
    })?;
    Ok(rows.into_iter().map(|r| (r.id.clone(), r)).collect())
}

/// The stored result of an op id already applied: its outcome for its
/// author, a rejection for anyone else reusing the id.
fn stored_outcome(actor: &Actor, row: &StoredOp) -> AppResult<OpOutcome> {
    if row.user_id != actor.user_id {
        return Ok(rejected(Reject::field("id", "this op id was already used")));
    }
    serde_json::from_str(&row.result).map_err(|e| AppError::Internal(e.to_string()))
}

/// Whether the actor has used up today's quota of this kind of op
/// ([`OpKind::daily_quota`]; one indexed count, not on the ballot path).
/// Staff are not counted: every act of theirs is in the audit log under
/// their name, and their tools (imports, the demo seed) act in bulk.
fn over_quota(c: &mut dyn Conn, ctx: &Ctx, op: &Op) -> AppResult<bool> {
    let Some(quota) = OpKind::parse(&op.kind).and_then(OpKind::daily_quota) else {
        return Ok(false);
    };
    if ctx
        .actor
        .roles
        .iter()
        .any(|g| g.role != dauys_proto::Role::Citizen)
    {
        return Ok(false);
    }
    let since = ctx.now - 24 * 3600 * 1000;
    let used: i64 = c
        .query_one(
            "SELECT COUNT(*) AS n FROM ops WHERE user_id = $1 AND kind = $2 AND applied_at > $3",
            params![&ctx.actor.user_id, &op.kind, since],
        )?
        .map(|r| r.get("n"))
        .transpose()?
        .unwrap_or(0);
    Ok(used >= quota)
}

/// An op's effect: its parse failure, its quota, or what its component
/// does. The outer error is the transaction's (the quota could not be
/// read); the inner one the op's.
fn run_op(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op: &Op,
    component: &dyn Component,
    body: &Result<ParsedOp, Reject>,
) -> AppResult<AppResult<crate::kernel::ops::Applied>> {
    Ok(match body {
        Ok(_) if over_quota(c, ctx, op)? => Err(Reject::new(
            ErrorCode::RateLimited,
            "too many of these today: try again tomorrow",
        )
        .into()),
        // A panic in a component is this op's failure, not the batch's.
        Ok(b) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            component.apply(c, ctx, op, b)
        }))
        .unwrap_or_else(|_| Err(AppError::Internal(format!("{} panicked", op.kind)))),
        Err(r) => Err(r.clone().into()),
    })
}

/// Applies one new op in its own savepoint and records its outcome in the
/// op log (kept forever: the idempotency key). Runs inside a write
/// transaction; push and the demo seed both go through here.
pub fn apply_and_record(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op: &Op,
    component: &dyn Component,
    body: &Result<ParsedOp, Reject>,
) -> AppResult<OpOutcome> {
    c.control("SAVEPOINT op")?;
    let applied = run_op(c, ctx, op, component, body)?;
    let outcome = match applied {
        Ok(a) => {
            c.control("RELEASE SAVEPOINT op")?;
            OpOutcome::Accepted {
                entity_id: a.entity_id,
                receipt: a.receipt,
                applied_at: ctx.now,
            }
        }
        Err(e) if e.belongs_to_op() => {
            c.control("ROLLBACK TO SAVEPOINT op")?;
            c.control("RELEASE SAVEPOINT op")?;
            match e {
                AppError::Reject(r) => rejected(r),
                // One op the server cannot apply is refused alone (and
                // stored, so a re-send gets the same answer): before, the
                // batch failed with 503 and the device re-sent it forever.
                e => {
                    tracing::error!(kind = %op.kind, error = %e, "op failed; refused alone");
                    rejected(Reject::new(
                        ErrorCode::Internal,
                        "the server could not apply this op",
                    ))
                }
            }
        }
        Err(e) => return Err(e),
    };
    let json = serde_json::to_string(&outcome).map_err(|e| AppError::Internal(e.to_string()))?;
    let op_id = op.id.to_string();
    c.exec(
        "INSERT INTO ops (id, user_id, kind, result, applied_at) VALUES ($1, $2, $3, $4, $5)",
        params![&op_id, &ctx.actor.user_id, &op.kind, json, ctx.now],
    )?;
    audit::record(c, ctx.actor, &op_id, &op.kind, &outcome, ctx.now)?;
    Ok(outcome)
}

/// How ops reach the server, which decides whether a resident's own acts
/// must carry a device signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The resident's app or CLI: `appeal.submit` and `ballot.cast` are
    /// signed by the device key (queued offline, they must be provably the
    /// device's).
    Device,
    /// A registered partner app (Open311 POST) acting for a signed-in
    /// resident, live: authenticated by its API key and the resident's
    /// session, it holds no device key of theirs.
    Partner,
}

/// Applies a batch in one transaction, each op inside its own savepoint.
pub fn push(
    st: &AppState,
    c: &mut dyn Conn,
    actor: &Actor,
    ops: &[Op],
) -> AppResult<Vec<OpResult>> {
    push_via(st, c, actor, ops, Channel::Device)
}

/// A batch checked before any write: its ops' signatures verified and
/// payloads parsed (CPU work, done outside the writers' lock), and the
/// device keys that signed bound ops for the first time.
pub struct Prepared {
    pre: Vec<Result<Prechecked, Reject>>,
    newly_bound: Vec<String>,
}

/// Checks a batch before applying it. With `known`, ops the op log
/// already holds are answered from it and skip their signature checks (a
/// re-sent batch is the common case on a flaky link); without it, one
/// query less, and every op is checked (the op log is read under the lock
/// all the same).
pub fn prepare(
    st: &AppState,
    c: &mut dyn Conn,
    actor: &Actor,
    ops: &[Op],
    channel: Channel,
    known: Option<&HashMap<String, StoredOp>>,
) -> AppResult<Prepared> {
    let keys = auth::device_keys(c, actor)?;
    Ok(prepare_with_keys(st, actor, &keys, ops, channel, known))
}

/// [`prepare`], with the actor's device keys already read (hex, bound at:
/// [`auth::device_keys`]): CPU work only.
pub fn prepare_with_keys(
    st: &AppState,
    actor: &Actor,
    keys: &[(String, i64)],
    ops: &[Op],
    channel: Channel,
    known: Option<&HashMap<String, StoredOp>>,
) -> Prepared {
    let keys = usable(keys);
    let binding = Binding {
        server: &st.server_id,
        user: &actor.user_id,
    };
    let none = HashMap::new();
    let (pre, newly_bound) = precheck(
        &st.components,
        ops,
        &keys,
        &binding,
        channel,
        known.unwrap_or(&none),
    );
    Prepared { pre, newly_bound }
}

/// One pushed batch, prepared, as a write transaction applies it.
pub struct Batch<'a> {
    pub actor: &'a Actor,
    pub ops: &'a [Op],
    pub prepared: &'a Prepared,
}

/// What a committed transaction leaves to do outside it.
#[derive(Default)]
pub struct AfterCommit {
    /// Cycles whose voting closed: count them.
    pub to_count: Vec<String>,
    /// SMS queued: hand them to the gateway.
    pub sms_waiting: bool,
}

impl AfterCommit {
    /// Counts closed votes and flushes queued SMS, on `c`, after the
    /// commit (without the write lock: every other write goes on).
    pub fn run(self, st: &AppState, c: &mut dyn Conn) -> AppResult<()> {
        // A failure here loses nothing (the hourly housekeeping sends what
        // is left).
        if self.sms_waiting {
            if let Err(e) = crate::components::appeals::notify::flush(st, c) {
                tracing::warn!(error = %e, "appeal SMS not flushed; housekeeping retries");
            }
        }
        // If this fails or the server stops first, start-up counts them
        // (`count_closed` at `open_state`).
        if !self.to_count.is_empty() {
            crate::components::budgets::cycles::count_closed(c, &self.to_count, st.clock.now_ms())?;
        }
        Ok(())
    }
}

/// Applies `batches` inside the caller's write transaction: the op log is
/// read for all their ids at once (the same op may reach the server twice
/// at the same time, and may be in two of these batches), then each op in
/// its own savepoint. One result list per batch, in order.
///
/// `lean` (a group commit's first try, the lock held from the start): ops
/// that refuse only before writing ([`Component::refuses_before_writing`])
/// run without a savepoint, and the change-feed rows kept by
/// [`Ctx::record_change`] and the op-log rows are written together at the
/// end. Any failure of an op other than its rejection is then the
/// transaction's (the caller applies the batches again, not lean).
pub fn apply_batches(
    st: &AppState,
    c: &mut dyn Conn,
    batches: &[Batch],
    stored: Option<&HashMap<String, StoredOp>>,
    lean: bool,
    after: &mut AfterCommit,
) -> AppResult<Vec<Vec<OpResult>>> {
    let mut log = Vec::new();
    let mut feed = Vec::new();
    let fresh;
    let stored = match stored {
        Some(s) => s,
        None => {
            let ids: Vec<String> = batches
                .iter()
                .flat_map(|b| b.ops.iter().map(|o| o.id.to_string()))
                .collect();
            fresh = stored_ops_by_id(c, &ids)?;
            &fresh
        }
    };
    // Ops applied by this transaction (an id sent twice: a re-send,
    // answered like one), with who sent them.
    let mut applied: HashMap<uuid::Uuid, (&str, OpOutcome)> = HashMap::new();
    let mut all = Vec::with_capacity(batches.len());
    // Keys that just signed bound ops sign only so from now on (one
    // statement for the whole group).
    let newly_bound: Vec<(&str, &str)> = batches
        .iter()
        .flat_map(|b| {
            b.prepared
                .newly_bound
                .iter()
                .map(|k| (b.actor.user_id.as_str(), k.as_str()))
        })
        .collect();
    auth::mark_bound(c, &newly_bound, st.clock.now_ms())?;
    // A transaction of ballots only shares its reads of the ballot rules.
    let ballots_only = batches
        .iter()
        .all(|b| b.ops.iter().all(|o| o.kind == OpKind::BallotCast.as_str()));
    let mut memo = if ballots_only {
        crate::kernel::ops::Memo::enabled()
    } else {
        crate::kernel::ops::Memo::default()
    };
    for b in batches {
        let actor = b.actor;
        let mut ctx = Ctx::new(st, actor);
        ctx.memo = std::mem::take(&mut memo);
        if lean {
            ctx.feed = Some(std::mem::take(&mut feed));
        }
        let mut results = Vec::with_capacity(b.ops.len());
        for (op, pre) in b.ops.iter().zip(&b.prepared.pre) {
            if let Some((by, outcome)) = applied.get(&op.id) {
                let outcome = if *by == actor.user_id {
                    outcome.clone()
                } else {
                    rejected(Reject::field("id", "this op id was already used"))
                };
                results.push(OpResult { id: op.id, outcome });
                continue;
            }
            if let Some(row) = stored.get(&op.id.to_string()) {
                let outcome = stored_outcome(actor, row)?;
                results.push(OpResult { id: op.id, outcome });
                continue;
            }
            let outcome = match (pre, st.components.for_kind(&op.kind)) {
                (Ok(p), Some(component)) => {
                    ctx.signed_by.clone_from(&p.signed_by);
                    let outcome = if lean && component.refuses_before_writing(&op.kind) {
                        apply_lean(c, &mut ctx, op, component, &p.body, &mut log)?
                    } else {
                        // Its savepoint may roll back what it wrote: its
                        // feed rows are written at once, not kept.
                        let kept = ctx.feed.take();
                        let outcome = apply_and_record(c, &mut ctx, op, component, &p.body);
                        ctx.feed = kept;
                        outcome?
                    };
                    applied.insert(op.id, (&actor.user_id, outcome.clone()));
                    outcome
                }
                // Not stored: the same bytes always fail the same way, and a
                // corrupted transmission can still be fixed by a re-send.
                (Err(r), _) => rejected(r.clone()),
                (Ok(_), None) => rejected(Reject::new(
                    ErrorCode::UnknownKind,
                    format!("unknown op kind {}", op.kind),
                )),
            };
            results.push(OpResult { id: op.id, outcome });
        }
        memo = std::mem::take(&mut ctx.memo);
        feed = ctx.feed.take().unwrap_or_default();
        after.to_count.append(&mut ctx.to_count);
        after.sms_waiting |= ctx.sms_waiting;
        all.push(results);
    }
    crate::kernel::ops::write_feed(c, &feed)?;
    write_op_log(c, &log)?;
    Ok(all)
}

/// An op-log row written later, with others ([`write_op_log`]).
struct LogRow {
    id: String,
    user_id: String,
    kind: String,
    result: String,
    at: i64,
}

/// Applies an op that refuses only before writing, without a savepoint;
/// its op-log row goes to `log`. Anything but a rejection fails the
/// transaction (whose caller then applies its batches with savepoints).
fn apply_lean(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op: &Op,
    component: &dyn Component,
    body: &Result<ParsedOp, Reject>,
    log: &mut Vec<LogRow>,
) -> AppResult<OpOutcome> {
    let applied = run_op(c, ctx, op, component, body)?;
    let outcome = match applied {
        Ok(a) => OpOutcome::Accepted {
            entity_id: a.entity_id,
            receipt: a.receipt,
            applied_at: ctx.now,
        },
        Err(AppError::Reject(r)) => rejected(r),
        Err(e) => return Err(e),
    };
    log.push(LogRow {
        id: op.id.to_string(),
        user_id: ctx.actor.user_id.clone(),
        kind: op.kind.clone(),
        result: serde_json::to_string(&outcome).map_err(|e| AppError::Internal(e.to_string()))?,
        at: ctx.now,
    });
    audit::record(
        c,
        ctx.actor,
        &op.id.to_string(),
        &op.kind,
        &outcome,
        ctx.now,
    )?;
    Ok(outcome)
}

/// Op-log rows, 100 to a statement.
fn write_op_log(c: &mut dyn Conn, log: &[LogRow]) -> AppResult<()> {
    let rows: Vec<Vec<db::Value>> = log
        .iter()
        .map(|r| {
            vec![
                r.id.as_str().into(),
                r.user_id.as_str().into(),
                r.kind.as_str().into(),
                r.result.as_str().into(),
                r.at.into(),
            ]
        })
        .collect();
    db::insert_rows(
        c,
        "INSERT INTO ops (id, user_id, kind, result, applied_at)",
        &rows,
    )?;
    Ok(())
}

/// [`push`], for ops arriving through `channel`.
pub fn push_via(
    st: &AppState,
    c: &mut dyn Conn,
    actor: &Actor,
    ops: &[Op],
    channel: Channel,
) -> AppResult<Vec<OpResult>> {
    // Signature checks and parsing are CPU work: done before taking the
    // write lock, and not for ops the op log already answers (read again
    // under the lock: another request may have applied some meanwhile).
    let known = stored_ops(c, ops)?;
    let prepared = prepare(st, c, actor, ops, channel, Some(&known))?;
    // A batch of ballots only takes the writers' lock at its first feed
    // row, not at its start: checking and storing ballots runs beside
    // other writers, and the lock is held only for the feed row, the op
    // log and the commit. Every other batch holds it throughout, as its
    // components' read-then-write checks expect. (Ballot pushes over HTTP
    // go through the group commit, `kernel::group_commit`, instead.)
    let ballots_only = ops
        .iter()
        .all(|op| known.contains_key(&op.id.to_string()) || op.kind == OpKind::BallotCast.as_str());
    let mut attempt = 0;
    let mut after = AfterCommit::default();
    let batch = [Batch {
        actor,
        ops,
        prepared: &prepared,
    }];
    let mut results = db::write_tx_with(c, ballots_only, |c| -> AppResult<Vec<Vec<OpResult>>> {
        attempt += 1;
        after = AfterCommit::default();
        // The op log read again inside the transaction: another request
        // may have applied some of these ops meanwhile. A ballot batch's
        // first attempt on PostgreSQL skips it — holding no lock yet, it
        // could not rule that out anyway, and its op-log row collides
        // instead (then this runs again and reads). SQLite's transaction
        // holds the one writer's lock from its start: there, the read is
        // what finds them.
        let skip_read = ballots_only && attempt == 1 && c.dialect() == db::Dialect::Postgres;
        apply_batches(
            st,
            c,
            &batch,
            skip_read.then_some(&known),
            false,
            &mut after,
        )
    })?;
    after.run(st, c)?;
    Ok(results.pop().unwrap_or_default())
}
