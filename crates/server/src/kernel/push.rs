//! Applying a pushed batch: at most once per op id, however often and
//! however concurrently the same op arrives. This is the kernel's op log:
//! components only see ops already parsed, and never touch the `ops` table.

use std::collections::HashMap;

use dauys_proto::{ErrorCode, Op, OpKind, OpOutcome, OpResult};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::kernel::signatures;

use crate::auth::{self, Actor};
use crate::components::{Component, ParsedOp, Registry};
use crate::db::{self, Conn, FromRow};
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::audit;
use crate::kernel::ops::Ctx;
use crate::params;
use crate::state::AppState;

/// An op that passed the checks needing no database: its component, and
/// its payload parsed once (a bad payload is kept as the op's rejection:
/// unlike the other failures it is stored as the op's result, a verdict on
/// content the device signed, as it always was).
pub struct Prechecked {
    body: Result<ParsedOp, Reject>,
    /// The device key (hex) whose signature verified, if signed.
    signed_by: Option<String>,
}

/// An op's checks that need neither the database nor its signature: kind
/// owned by some component, id a UUIDv7, no NUL, signature well-formed and
/// present when required. Returns the component and the parsed signature.
fn precheck_shape<'r>(
    registry: &'r Registry,
    op: &Op,
    channel: Channel,
) -> Result<(&'r dyn Component, Option<Signature>), Reject> {
    let component = registry.for_kind(&op.kind).ok_or_else(|| {
        Reject::new(
            ErrorCode::UnknownKind,
            format!("unknown op kind {}", op.kind),
        )
    })?;
    if op.id.get_version_num() != 7 {
        return Err(Reject::field("id", "op ids must be UUIDv7"));
    }
    if has_nul(&op.payload) {
        // No text of ours holds one; PostgreSQL cannot store one.
        return Err(Reject::field(
            "payload",
            "text must not contain NUL characters",
        ));
    }
    let sig = match op.signature.as_deref() {
        Some(s) => Some(
            dauys_proto::unhex(s)
                .and_then(|b| Signature::from_slice(&b).ok())
                .ok_or_else(|| Reject::new(ErrorCode::BadSignature, "malformed signature"))?,
        ),
        None => None,
    };
    if sig.is_none() && channel == Channel::Device && component.requires_signature(&op.kind) {
        return Err(Reject::new(
            ErrorCode::BadSignature,
            "this kind of op must be signed by the device key",
        ));
    }
    Ok((component, sig))
}

/// Every op of a batch prechecked: shapes first, then all signatures at
/// once (one batch verification in the common case), then payloads parsed.
/// Ops already in the op log (`known`) are skipped: their stored outcome is
/// the answer, and a re-sent batch costs no signature checks.
fn precheck(
    registry: &Registry,
    ops: &[Op],
    keys: &DeviceKeys,
    binding: &Binding,
    channel: Channel,
    known: &HashMap<String, StoredOp>,
) -> (Vec<Result<Prechecked, Reject>>, Vec<String>) {
    let shapes: Vec<Option<Result<_, Reject>>> = ops
        .iter()
        .map(|op| {
            (!known.contains_key(&op.id.to_string())).then(|| precheck_shape(registry, op, channel))
        })
        .collect();
    let sigs: Vec<(usize, Signature)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Some(Ok((_, Some(sig)))) => Some((i, *sig)),
            _ => None,
        })
        .collect();
    let mut signers: Vec<Option<Option<&VerifyingKey>>> = vec![None; ops.len()];
    // Bound (v2) signatures first, with any of the account's keys; what
    // fails is tried as v1 with the keys that never signed bound ops (old
    // clients) and, for ops made before it did, a bound key (an upgraded
    // device's older queue): a v1 signature made after — a downgrade — is
    // refused.
    let bound: Vec<Vec<u8>> = sigs
        .iter()
        .map(|(i, _)| dauys_proto::signing_bytes_bound(&ops[*i], binding.server, binding.user))
        .collect();
    let signed: Vec<signatures::Signed> = sigs
        .iter()
        .zip(&bound)
        .map(|((_, sig), msg)| signatures::Signed { msg, sig })
        .collect();
    let mut newly_bound = Vec::new();
    let mut legacy = Vec::new();
    for ((i, sig), key) in sigs.iter().zip(signatures::verify_all(&keys.all, &signed)) {
        match key {
            Some(k) => {
                signers[*i] = Some(Some(k));
                if keys.unbound.contains(k) {
                    let hex = dauys_proto::hex(k.as_bytes());
                    if !newly_bound.contains(&hex) {
                        newly_bound.push(hex);
                    }
                }
            }
            None => legacy.push((*i, *sig, dauys_proto::signing_bytes(&ops[*i]))),
        }
    }
    let signed: Vec<signatures::Signed> = legacy
        .iter()
        .map(|(_, sig, msg)| signatures::Signed { msg, sig })
        .collect();
    for ((i, sig, msg), key) in legacy
        .iter()
        .zip(signatures::verify_all(&keys.unbound, &signed))
    {
        let key = key.or_else(|| {
            let made = made_at(&ops[*i]);
            let before: Vec<VerifyingKey> = keys
                .bound
                .iter()
                .filter(|(_, at)| made < *at)
                .map(|(k, _)| *k)
                .collect();
            signatures::verify_one(&before, msg, sig)
                .and_then(|k| keys.all.iter().find(|a| *a == k))
        });
        signers[*i] = Some(key);
    }
    let checked = shapes
        .into_iter()
        .zip(ops)
        .zip(signers)
        .map(|((shape, op), signer)| {
            let (component, _) = shape.unwrap_or_else(|| {
                // Answered from the op log; never applied.
                Err(Reject::field("id", "already applied"))
            })?;
            let signed_by = match signer {
                None => None,
                Some(None) => {
                    return Err(Reject::new(
                        ErrorCode::BadSignature,
                        "signature does not match any device key",
                    ))
                }
                Some(Some(k)) => Some(dauys_proto::hex(k.as_bytes())),
            };
            Ok(Prechecked {
                body: component.parse(&op.kind, &op.payload),
                signed_by,
            })
        })
        .collect();
    (checked, newly_bound)
}

/// Whether any string (or key) in `v` holds a NUL character.
fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(a) => a.iter().any(has_nul),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

fn rejected(r: Reject) -> OpOutcome {
    OpOutcome::Rejected {
        message_key: r.code.message_key(),
        code: r.code,
        field: r.field,
        detail: r.detail,
    }
}

/// The usable keys among the actor's (hex key, bound at) pairs
/// ([`auth::device_keys`]): signatures from any of the user's devices are
/// accepted (ops queued offline may outlive the session).
fn usable(hex_keys: &[(String, i64)]) -> DeviceKeys {
    let mut keys = DeviceKeys::default();
    for (hex, bound_at) in hex_keys {
        if let Some(k) = signatures::usable_keys(std::iter::once(hex)).pop() {
            keys.all.push(k);
            if *bound_at == 0 {
                keys.unbound.push(k);
            } else {
                keys.bound.push((k, *bound_at));
            }
        }
    }
    keys
}

/// The actor's usable device keys. `unbound`: those that never signed a
/// bound op, which may still sign as protocol v1 clients do; `bound`: the
/// others, with when they first did — their v1 signatures count only on
/// ops made before then (queued before the device's upgrade).
#[derive(Default)]
pub struct DeviceKeys {
    pub all: Vec<VerifyingKey>,
    pub unbound: Vec<VerifyingKey>,
    pub bound: Vec<(VerifyingKey, i64)>,
}

/// When an op was made (its UUIDv7's time, ms), which its signature covers.
fn made_at(op: &Op) -> i64 {
    op.id.get_timestamp().map_or(i64::MAX, |t| {
        let (secs, nanos) = t.to_unix();
        i64::try_from(secs).unwrap_or(i64::MAX / 1000) * 1000 + i64::from(nanos / 1_000_000)
    })
}

/// What signed ops are bound to: this server and the pushing account.
pub struct Binding<'a> {
    pub server: &'a str,
    pub user: &'a str,
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
