//! The pull side of sync: what changed since a cursor, for the localities a
//! client follows plus the signed-in user's own items.

use std::collections::HashMap;

use dauys_proto::{Change, EntityKind, PullResponse};

use crate::db::{placeholders, Conn, Value};
use crate::error::AppResult;
use crate::read;

/// The followed codes and everything under them.
fn expand(c: &mut dyn Conn, roots: &[String]) -> AppResult<Vec<String>> {
    Ok(crate::auth::locality_tree(c)?.subtree(roots))
}

pub fn pull(
    c: &mut dyn Conn,
    viewer: Option<&str>,
    since: i64,
    follow: &[String],
    limit: u32,
    today: time::Date,
    client_version: u32,
) -> AppResult<PullResponse> {
    let codes = expand(c, follow)?;
    let limit = limit.clamp(1, dauys_proto::limits::MAX_PULL_LIMIT);
    let mut params: Vec<Value> = vec![
        since.into(),
        viewer.map(str::to_string).into(),
        i64::from(limit).into(),
    ];
    let locality_clause = if codes.is_empty() {
        String::new()
    } else {
        params.extend(codes.iter().map(|s| Value::from(s.as_str())));
        format!("locality IN ({}) OR ", placeholders(4, codes.len()))
    };
    let rows = c.query(
        &format!(
            "SELECT seq, kind, entity_id FROM changes WHERE seq > $1 AND ({locality_clause}owner = $2)
             ORDER BY seq LIMIT $3"
        ),
        &params,
    )?;
    let more = rows.len() as u32 == limit;
    let mut cursor = since;
    // Several changes to one entity in a page: send it once, at its last seq.
    // Kinds this server does not know (written by a newer one) are skipped
    // but still move the cursor.
    let mut last: HashMap<(EntityKind, String), i64> = HashMap::new();
    for r in &rows {
        let seq: i64 = r.get("seq")?;
        cursor = cursor.max(seq);
        if let Some(kind) = EntityKind::parse(&r.get::<String>("kind")?) {
            last.insert((kind, r.get("entity_id")?), seq);
        }
    }
    let mut keyed: Vec<(i64, EntityKind, String)> =
        last.into_iter().map(|((k, id), s)| (s, k, id)).collect();
    keyed.sort();
    let keys: Vec<(EntityKind, String)> = keyed.iter().map(|(_, k, id)| (*k, id.clone())).collect();
    let mut loaded = read::entities(c, &keys, viewer, today)?;
    let changes = keyed
        .into_iter()
        .filter_map(|(seq, kind, id)| {
            loaded
                .remove(&(kind, id))
                // What this client could not read stays out (the cursor
                // still moves past it); it pulls again once it can.
                .filter(|entity| entity.needs_version() <= client_version)
                .map(|entity| Change { seq, entity })
        })
        .collect();
    Ok(PullResponse {
        changes,
        cursor: cursor.to_string(),
        more,
    })
}
