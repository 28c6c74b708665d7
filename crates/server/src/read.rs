//! Loading entities as a given viewer may see them. Privacy is enforced
//! at read time, whatever the change feed pointed at, by each component's
//! store; this module gathers them for the change feed and keeps the
//! long-standing `read::` paths.
//!
//! Every list is loaded with one query per kind (ids in chunks of
//! [`IN_CHUNK`](crate::db::IN_CHUNK)), never one query per item: a pull page
//! of 1,000 changes costs a handful of round trips on PostgreSQL.

use std::collections::HashMap;

use dauys_proto::{Comment, CommentTarget, Entity, EntityKind, GeoPoint};

pub use crate::components::appeals::store::{appeal, appeal_place, appeals, appeals_of_user};
pub use crate::components::budgets::store::{
    ballot, ballots, cycle, cycles, cycles_of, proposal, proposals, proposals_of, proposals_page,
};
use crate::components::comments::store as comments_store;
use crate::db::{Conn, FromRow};
use crate::error::{AppError, AppResult};
pub use crate::kernel::localities::{localities, locality};

pub(crate) fn json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

pub(crate) fn enum_of<T: serde::de::DeserializeOwned>(s: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| AppError::Internal(format!("stored value {s}: {e}")))
}

pub(crate) fn point(lat: Option<f64>, lon: Option<f64>) -> Option<GeoPoint> {
    match (lat, lon) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        _ => None,
    }
}

pub(crate) fn rows<T: FromRow>(
    c: &mut dyn Conn,
    sql: &str,
    p: &[crate::db::Value],
) -> AppResult<Vec<T>> {
    let mut out = Vec::new();
    for r in c.query(sql, p)? {
        out.push(T::from_row(&r)?);
    }
    Ok(out)
}

/// Comments by id (any order).
pub fn comments(c: &mut dyn Conn, ids: &[String], viewer: Option<&str>) -> AppResult<Vec<Comment>> {
    comments_store::by_ids(c, ids, viewer)
}

pub fn comment(c: &mut dyn Conn, id: &str, viewer: Option<&str>) -> AppResult<Option<Comment>> {
    Ok(comments(c, &[id.to_string()], viewer)?.into_iter().next())
}

/// A page of the comments on a proposal, oldest first; whether more follow.
pub fn comments_of(
    c: &mut dyn Conn,
    proposal_id: &str,
    viewer: Option<&str>,
    page: crate::db::Page,
) -> AppResult<(Vec<Comment>, bool)> {
    comments_store::on_target(c, &CommentTarget::proposal(proposal_id), viewer, page)
}

/// Loads the entities change-feed rows point at, as the viewer may see them,
/// with one query per kind (per chunk). Keys are `(kind, id)`; entities the
/// viewer may not see, and unknown kinds, are simply absent.
pub fn entities(
    c: &mut dyn Conn,
    keys: &[(EntityKind, String)],
    viewer: Option<&str>,
    today: time::Date,
) -> AppResult<HashMap<(EntityKind, String), Entity>> {
    let mut by_kind: HashMap<EntityKind, Vec<String>> = HashMap::new();
    for (kind, id) in keys {
        by_kind.entry(*kind).or_default().push(id.clone());
    }
    let mut out = HashMap::new();
    let mut put = |kind: EntityKind, id: String, e: Entity| {
        out.insert((kind, id), e);
    };
    for (kind, ids) in by_kind {
        match kind {
            EntityKind::Locality => {
                for l in localities(c)? {
                    if ids.contains(&l.code) {
                        put(kind, l.code.clone(), Entity::Locality(l));
                    }
                }
            }
            EntityKind::Cycle => {
                for x in cycles(c, &ids)? {
                    put(kind, x.id.clone(), Entity::Cycle(x));
                }
            }
            EntityKind::Proposal => {
                for x in proposals(c, &ids, viewer)? {
                    put(kind, x.id.clone(), Entity::Proposal(x));
                }
            }
            EntityKind::Comment => {
                for x in comments(c, &ids, viewer)? {
                    put(kind, x.id.clone(), Entity::Comment(x));
                }
            }
            EntityKind::Appeal => {
                for x in appeals(c, &ids, viewer, false, today)? {
                    put(kind, x.id.clone(), Entity::Appeal(x));
                }
            }
            // A ballot change is keyed by its cycle and shown only to its voter.
            EntityKind::Ballot => {
                if let Some(u) = viewer {
                    for x in ballots(c, &ids, u)? {
                        put(kind, x.cycle_id.clone(), Entity::Ballot(x));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Loads the entity a change-feed row points at, if the viewer may see it.
pub fn entity(
    c: &mut dyn Conn,
    kind: &str,
    id: &str,
    viewer: Option<&str>,
    today: time::Date,
) -> AppResult<Option<Entity>> {
    let Some(kind) = EntityKind::parse(kind) else {
        return Ok(None);
    };
    let key = (kind, id.to_string());
    Ok(entities(c, std::slice::from_ref(&key), viewer, today)?.remove(&key))
}
