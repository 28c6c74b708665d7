//! The audit log: every staff action — who, when, what, from which op id,
//! with what outcome — written in the same transaction as the action (so
//! an action is never applied without its entry, nor logged without
//! being tried). Residents' own acts (`OpKind::is_residents`) are not
//! audited: their op log is the receipt.

use dauys_proto::{OpKind, OpOutcome, Role};

use crate::auth::Actor;
use crate::db::Conn;
use crate::error::AppResult;
use crate::params;

/// Where an actor's staff work is audited: the locality of their first
/// staff grant ('' for an unscoped one, seen only by unscoped admins).
fn audit_locality(actor: &Actor) -> String {
    actor
        .roles
        .iter()
        .find(|g| g.role != Role::Citizen)
        .and_then(|g| g.locality.clone())
        .unwrap_or_default()
}

/// Records a staff op's outcome (no-op for residents' kinds and unknown
/// kinds, which no component applied).
pub fn record(
    c: &mut dyn Conn,
    actor: &Actor,
    op_id: &str,
    kind: &str,
    outcome: &OpOutcome,
    at: i64,
) -> AppResult<()> {
    if OpKind::parse(kind).is_none_or(OpKind::is_residents) {
        return Ok(());
    }
    let (entity, result) = match outcome {
        OpOutcome::Accepted { entity_id, .. } => (entity_id.clone(), "accepted".to_string()),
        OpOutcome::Rejected { code, .. } => (String::new(), code.as_str().to_string()),
    };
    insert(c, actor, op_id, kind, &entity, &result, at)
}

fn insert(
    c: &mut dyn Conn,
    actor: &Actor,
    op_id: &str,
    kind: &str,
    entity: &str,
    outcome: &str,
    at: i64,
) -> AppResult<()> {
    c.exec(
        "INSERT INTO audit_log (op_id, user_id, kind, entity_id, locality, outcome, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![
            op_id,
            &actor.user_id,
            kind,
            entity,
            audit_locality(actor),
            outcome,
            at
        ],
    )?;
    Ok(())
}

/// Whether an op id is already in the audit log (actions that are not
/// ops, like a census import, are made idempotent by it).
pub fn seen(c: &mut dyn Conn, op_id: &str) -> AppResult<bool> {
    Ok(
        c.query_one("SELECT 1 FROM audit_log WHERE op_id = $1", params![op_id])?
            .is_some(),
    )
}

/// Records a census import (`summary`: added, updated, skipped counts).
pub fn record_import(
    c: &mut dyn Conn,
    actor: &Actor,
    op_id: &str,
    summary: &str,
    at: i64,
) -> AppResult<()> {
    insert(c, actor, op_id, CENSUS_IMPORT, summary, "accepted", at)
}

/// The audit kind of a census import (not an op kind: it is no op).
pub const CENSUS_IMPORT: &str = "census.import";
