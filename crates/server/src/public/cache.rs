//! Figures computed from many rows (accountability over 100,000 appeals,
//! turnout over the census), kept in memory until the data they summarise
//! may have changed: an entry is valid while the last change in the
//! change feed (`seq`, of any kind: one primary-key read), the day (overdue counts move with it) and
//! the entry's own extra stamp are the same. Every instance reads the
//! database's `seq`, so instances behind one database agree.
//!
//! On a busy day appeals change every few seconds; recomputing on each
//! change would make every visitor wait for the sum. So an entry younger
//! than [`FRESH_FOR`] is served even after a change (figures
//! may lag a change by that long, as a proxy honouring the pages'
//! `max-age=60` may anyway); a new day or a changed census still
//! recomputes at once.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::Conn;
use crate::error::AppResult;

/// Entries kept at most (one per locality or cycle and kind): beyond it
/// the cache starts over, so a crawler cannot grow it without bound.
const MAX_ENTRIES: usize = 4096;

/// How long an entry may outlive a change of the data it summarises.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// What an entry was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub seq: i64,
    pub day: time::Date,
    pub extra: i64,
}

type Entry = (Stamp, Instant, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, Entry>>,
}

/// The change feed's last sequence number (0 when none): a read of the
/// primary key's last entry. Not per kind: an index on every change for
/// that slowed ingestion more than the coarser stamp costs the cache.
pub fn last_seq(c: &mut dyn Conn) -> AppResult<i64> {
    Ok(c.query_one("SELECT MAX(seq) AS seq FROM changes", &[])?
        .and_then(|r| r.get::<Option<i64>>("seq").ok().flatten())
        .unwrap_or(0))
}

impl Stamp {
    /// Whether an entry computed from `self` at `at` may serve `now`.
    fn serves(&self, at: Instant, now: &Stamp) -> bool {
        self == now || (self.day == now.day && self.extra == now.extra && at.elapsed() < FRESH_FOR)
    }
}

impl Cache {
    /// The value under `key` if computed from `stamp`, else `make()`'s
    /// (stored for the next request).
    pub fn get_or<T: Send + Sync + 'static>(
        &self,
        key: &str,
        stamp: &Stamp,
        make: impl FnOnce() -> AppResult<T>,
    ) -> AppResult<Arc<T>> {
        if let Ok(map) = self.entries.lock() {
            if let Some((s, at, v)) = map.get(key) {
                if s.serves(*at, stamp) {
                    if let Ok(v) = Arc::clone(v).downcast::<T>() {
                        return Ok(v);
                    }
                }
            }
        }
        let v = Arc::new(make()?);
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key.to_string(), (stamp.clone(), Instant::now(), v.clone()));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_lives_as_long_as_its_stamp() {
        let cache = Cache::default();
        let day = time::Date::from_calendar_date(2026, time::Month::December, 4).expect("date");
        let s1 = Stamp {
            seq: 1,
            day,
            extra: 0,
        };
        let s2 = Stamp {
            seq: 2,
            day,
            extra: 0,
        };
        let mut runs = 0;
        let mut get = |s: &Stamp| {
            *cache
                .get_or("k", s, || {
                    runs += 1;
                    Ok(runs)
                })
                .expect("value")
        };
        assert_eq!(get(&s1), 1);
        assert_eq!(get(&s1), 1, "kept while nothing changed");
        assert_eq!(get(&s2), 1, "served for a while after a change");
        let next_day = Stamp {
            day: day.next_day().expect("day"),
            ..s2.clone()
        };
        assert_eq!(get(&next_day), 2, "recomputed on a new day");
        let census = Stamp {
            extra: 1,
            ..next_day
        };
        assert_eq!(get(&census), 3, "recomputed when the census changes");
    }
}
