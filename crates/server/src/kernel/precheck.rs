//! The checks of a pushed batch that need no write: each op's shape (kind,
//! id, NUL bytes), its device signature against the account's keys (bound
//! to this server and account, or an old client's unbound one), and its
//! payload parsed once. CPU work, done before any lock is taken.

use std::collections::HashMap;

use dauys_proto::{ErrorCode, Op};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::components::{Component, ParsedOp, Registry};
use crate::error::Reject;
use crate::kernel::push::{Channel, StoredOp};
use crate::kernel::signatures;

/// An op that passed the checks needing no database: its component, and
/// its payload parsed once (a bad payload is kept as the op's rejection:
/// unlike the other failures it is stored as the op's result, a verdict on
/// content the device signed, as it always was).
pub struct Prechecked {
    pub(crate) body: Result<ParsedOp, Reject>,
    /// The device key (hex) whose signature verified, if signed.
    pub(crate) signed_by: Option<String>,
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
pub(crate) fn precheck(
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

/// The usable keys among the actor's (hex key, bound at) pairs
/// ([`auth::device_keys`]): signatures from any of the user's devices are
/// accepted (ops queued offline may outlive the session).
pub(crate) fn usable(hex_keys: &[(String, i64)]) -> DeviceKeys {
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
