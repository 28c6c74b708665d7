//! Applying a pushed batch: at most once per op id, however often and
//! however concurrently the same op arrives.

use dauys_proto::{ErrorCode, Op, OpBody, OpKind, OpOutcome, OpResult};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};

use crate::apply::{self, Ctx};
use crate::auth::{self, Actor};
use crate::db::{self, Conn};
use crate::error::{AppResult, Reject};
use crate::params;
use crate::state::AppState;

/// Checks that need no database: kind known, id a UUIDv7, signature valid
/// when required; then the payload parsed once. A bad payload is returned
/// inside `Ok`: unlike the other failures it is stored as the op's result
/// (it is a verdict on content the device signed, as it always was).
fn precheck(op: &Op, keys: &[VerifyingKey]) -> Result<Result<OpBody, Reject>, Reject> {
    let kind = checked_kind(op, keys)?;
    Ok(OpBody::parse_kind(kind, &op.payload).map_err(Reject::from))
}

fn checked_kind(op: &Op, keys: &[VerifyingKey]) -> Result<OpKind, Reject> {
    let kind = OpKind::parse(&op.kind).ok_or_else(|| {
        Reject::new(
            ErrorCode::UnknownKind,
            format!("unknown op kind {}", op.kind),
        )
    })?;
    if op.id.get_version_num() != 7 {
        return Err(Reject::field("id", "op ids must be UUIDv7"));
    }
    let sig = match op.signature.as_deref() {
        Some(s) => Some(
            dauys_proto::unhex(s)
                .and_then(|b| Signature::from_slice(&b).ok())
                .ok_or_else(|| Reject::new(ErrorCode::BadSignature, "malformed signature"))?,
        ),
        None => None,
    };
    match sig {
        None if kind.requires_signature() => Err(Reject::new(
            ErrorCode::BadSignature,
            "this kind of op must be signed by the device key",
        )),
        None => Ok(kind),
        Some(sig) => {
            let msg = dauys_proto::signing_bytes(op);
            if keys.iter().any(|k| k.verify(&msg, &sig).is_ok()) {
                Ok(kind)
            } else {
                Err(Reject::new(
                    ErrorCode::BadSignature,
                    "signature does not match any device key",
                ))
            }
        }
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

/// Verified device keys of the actor (signatures from any of the user's
/// devices are accepted: ops queued offline may outlive the session).
pub fn verifying_keys(c: &mut dyn Conn, actor: &Actor) -> AppResult<Vec<VerifyingKey>> {
    Ok(auth::device_keys(c, actor)?
        .iter()
        .filter_map(|k| dauys_proto::unhex(k))
        .filter_map(|b| VerifyingKey::try_from(b.as_slice()).ok())
        .collect())
}

/// Applies a batch in one transaction, each op inside its own savepoint.
pub fn push(
    st: &AppState,
    c: &mut dyn Conn,
    actor: &Actor,
    ops: &[Op],
) -> AppResult<Vec<OpResult>> {
    let keys = verifying_keys(c, actor)?;
    // Signature checks are CPU work: done before taking the write lock.
    let prechecked: Vec<Result<Result<OpBody, Reject>, Reject>> =
        ops.iter().map(|op| precheck(op, &keys)).collect();
    db::write_tx(c, |c| -> AppResult<Vec<OpResult>> {
        let mut ctx = Ctx::new(st, actor);
        let mut results = Vec::with_capacity(ops.len());
        for (op, pre) in ops.iter().zip(&prechecked) {
            let id = op.id.to_string();
            if let Some(row) = c.query_one(
                "SELECT user_id, result FROM ops WHERE id = $1",
                params![&id],
            )? {
                let outcome = if row.str(0)? == actor.user_id {
                    serde_json::from_str(&row.str(1)?)
                        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?
                } else {
                    rejected(Reject::field("id", "this op id was already used"))
                };
                results.push(OpResult { id: op.id, outcome });
                continue;
            }
            let body = match pre {
                Ok(b) => b,
                // Not stored: the same bytes always fail the same way, and a
                // corrupted transmission can still be fixed by a re-send.
                Err(r) => {
                    results.push(OpResult {
                        id: op.id,
                        outcome: rejected(r.clone()),
                    });
                    continue;
                }
            };
            c.batch("SAVEPOINT op")?;
            // Cloned: the transaction may be retried, and `apply` consumes the body.
            let applied = match body {
                Ok(b) => apply::apply(c, &mut ctx, op, b.clone()),
                Err(r) => Err(r.clone().into()),
            };
            let outcome = match applied {
                Ok(a) => {
                    c.batch("RELEASE SAVEPOINT op")?;
                    OpOutcome::Accepted {
                        entity_id: a.entity_id,
                        receipt: a.receipt,
                        applied_at: ctx.now,
                    }
                }
                Err(crate::error::AppError::Reject(r)) => {
                    c.batch("ROLLBACK TO SAVEPOINT op")?;
                    c.batch("RELEASE SAVEPOINT op")?;
                    rejected(r)
                }
                Err(e) => return Err(e),
            };
            let json = serde_json::to_string(&outcome)
                .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
            c.exec(
                "INSERT INTO ops (id, user_id, kind, result, applied_at) VALUES ($1, $2, $3, $4, $5)",
                params![&id, &actor.user_id, &op.kind, json, ctx.now],
            )?;
            results.push(OpResult { id: op.id, outcome });
        }
        Ok(results)
    })
}
