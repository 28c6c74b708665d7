//! Other residents' public appeals of the followed localities, with their
//! answers, listed and searched offline (FTS5, diacritics folded): "has
//! someone already asked about this street light?". Private appeals never
//! reach the device; the resident's own are in "my appeals".

use dauys_proto::Appeal;
use rusqlite::params;

use super::mirror::fts_query;
use super::Profile;
use crate::error::Result;

/// Which public appeals to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublicAppealQuery {
    /// Words that must all match (as prefixes) in subject, text or answer.
    pub search: Option<String>,
    /// Only answered ones.
    pub answered: bool,
    pub limit: Option<u32>,
}

impl Profile {
    /// Public appeals, newest first; with `search`, best match first.
    pub fn public_appeals(&self, q: &PublicAppealQuery) -> Result<Vec<Appeal>> {
        let limit = i64::from(q.limit.unwrap_or(200).min(5_000));
        let answered = i64::from(q.answered);
        let c = self.conn();
        let rows: Vec<String> = match q.search.as_deref().and_then(fts_query) {
            Some(m) => c
                .prepare_cached(
                    "SELECT a.data FROM public_appeals_fts f JOIN public_appeals a ON a.rowid = f.rowid
                     WHERE public_appeals_fts MATCH ?1 AND (?2 = 0 OR a.answer <> '')
                     ORDER BY bm25(public_appeals_fts) LIMIT ?3",
                )?
                .query_map(params![m, answered, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            None => c
                .prepare_cached(
                    "SELECT data FROM public_appeals WHERE ?1 = 0 OR answer <> ''
                     ORDER BY sort_at DESC LIMIT ?2",
                )?
                .query_map(params![answered, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        rows.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
    }
}
