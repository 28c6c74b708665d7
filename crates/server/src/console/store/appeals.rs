//! The appeals queue and its counts, in the caller's appeal scope.

use dauys_proto::workdays::format_date;
use dauys_proto::{AppealStatus, AppealType};

use super::Scope;
use crate::components::appeals::search;
use crate::db::{load_in, Conn, DbResult, Dialect, FromRow, Row, Value};
use crate::error::AppResult;

const OPEN: &str = "('submitted', 'registered', 'redirected', 'extended')";

/// Queue filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct AppealFilter {
    pub status: Option<AppealStatus>,
    /// Only appeals still open (the console's default inbox) when no
    /// `status` is given.
    pub open_only: bool,
    pub appeal_type: Option<AppealType>,
    pub overdue: bool,
    /// Words in the subject or text (case-insensitive).
    pub text: String,
    /// Addressed to this body.
    pub addressee: Option<String>,
    /// Due on or before this day (`YYYY-MM-DD`).
    pub due_before: Option<time::Date>,
}

/// One line of the appeals queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: String,
    pub subject: String,
    pub appeal_type: String,
    pub status: String,
    pub addressee: String,
    pub locality: String,
    pub reg_number: Option<String>,
    pub due_date: Option<String>,
    pub submitted_at: i64,
}

impl FromRow for QueueRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(QueueRow {
            id: r.get("id")?,
            subject: r.get("subject")?,
            appeal_type: r.get("appeal_type")?,
            status: r.get("status")?,
            addressee: r.get("addressee")?,
            locality: r.get("locality")?,
            reg_number: r.get("reg_number")?,
            due_date: r.get("due_date")?,
            submitted_at: r.get("submitted_at")?,
        })
    }
}

/// Appeals in scope matching `f`, by due date (unregistered ones, which
/// have none yet, after them by arrival); `limit` from `offset`.
pub fn appeals_queue(
    c: &mut dyn Conn,
    scope: &Scope,
    f: &AppealFilter,
    today: time::Date,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<QueueRow>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    // Two steps: the ids of the page, read from the `appeals_queue`
    // index alone (locality, status, due date, submission, id, type — no
    // row is read to filter or sort; words searched come from the
    // full-text index), then those rows. Sorting 100,000 whole rows to
    // show 50 is what this avoids.
    let q = Query { scope, f, today };
    let ids = if search::words(&f.text).is_empty() {
        q.ids(c, &Text::Any, offset, limit)?
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    } else {
        searched_ids(c, &q, offset, limit)?
    };
    let mut rows: Vec<QueueRow> = load_in(c, &ids, &[], |list| {
        format!(
            "SELECT id, subject, appeal_type, status, addressee, locality, reg_number, due_date,
                   submitted_at FROM appeals WHERE id IN ({list})"
        )
    })?;
    let pos: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    rows.sort_by_key(|r| pos.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// The dashboard's appeal counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppealCounts {
    /// Not registered yet.
    pub new: i64,
    /// Open, due from today to a week ahead.
    pub due_week: i64,
    pub overdue: i64,
}

pub(super) fn count(c: &mut dyn Conn, sql: &str, params: &[Value]) -> AppResult<i64> {
    Ok(c.query_one(sql, params)?
        .map(|r| r.get::<i64>("n"))
        .transpose()?
        .unwrap_or(0))
}

pub fn appeal_counts(
    c: &mut dyn Conn,
    scope: &Scope,
    today: time::Date,
) -> AppResult<AppealCounts> {
    if scope.is_empty() {
        return Ok(AppealCounts::default());
    }
    // Each count is a range of the `appeals_queue` index (locality,
    // status, due date): no row is read.
    let mut params: Vec<Value> = Vec::new();
    let within = scope.sql_at("locality", Some("addressee"), &mut params);
    let n = params.len();
    let new = count(
        c,
        &format!("SELECT COUNT(*) AS n FROM appeals WHERE status = 'submitted'{within}"),
        &params,
    )?;
    params.push(format_date(today).into());
    let overdue = count(
        c,
        &format!(
            "SELECT COUNT(*) AS n FROM appeals WHERE status IN {OPEN} AND due_date < ${}{within}",
            n + 1
        ),
        &params,
    )?;
    params.push(format_date(today + time::Duration::days(7)).into());
    let due_week = count(
        c,
        &format!(
            "SELECT COUNT(*) AS n FROM appeals WHERE status IN {OPEN} AND due_date >= ${} AND due_date <= ${}{within}",
            n + 1,
            n + 2
        ),
        &params,
    )?;
    Ok(AppealCounts {
        new,
        due_week,
        overdue,
    })
}

/// How a page of the queue is narrowed by the words searched.
enum Text<'a> {
    /// Not at all.
    Any,
    /// By the full-text index, in the query.
    Words(&'a str),
    /// To these `search_key`s (SQLite), found in the index beforehand.
    Keys(&'a [i64]),
}

/// The queue's filters, less the words: one query builder for every way
/// of searching.
struct Query<'a> {
    scope: &'a Scope,
    f: &'a AppealFilter,
    today: time::Date,
}

impl Query<'_> {
    /// Ids (and SQLite's `search_key`) of the page, in queue order.
    fn ids(
        &self,
        c: &mut dyn Conn,
        text: &Text,
        offset: i64,
        limit: i64,
    ) -> AppResult<Vec<(String, Option<i64>)>> {
        let (f, today) = (self.f, self.today);
        let sqlite = c.dialect() == Dialect::Sqlite;
        let mut params: Vec<Value> = Vec::new();
        let mut sql = format!(
            "SELECT id{} FROM appeals WHERE 1 = 1",
            if sqlite { ", search_key" } else { "" }
        );
        sql.push_str(
            &self
                .scope
                .sql_at("locality", Some("addressee"), &mut params),
        );
        if let Some(s) = f.status {
            params.push(s.as_str().into());
            sql.push_str(&format!(" AND status = ${}", params.len()));
        } else if f.open_only || f.overdue {
            sql.push_str(&format!(" AND status IN {OPEN}"));
        }
        if let Some(t) = f.appeal_type {
            params.push(t.as_str().into());
            sql.push_str(&format!(" AND appeal_type = ${}", params.len()));
        }
        if f.overdue {
            params.push(format_date(today).into());
            sql.push_str(&format!(
                " AND status IN {OPEN} AND due_date IS NOT NULL AND due_date < ${}",
                params.len()
            ));
        }
        if let Some(body) = &f.addressee {
            params.push(body.as_str().into());
            sql.push_str(&format!(" AND addressee = ${}", params.len()));
        }
        if let Some(day) = f.due_before {
            params.push(format_date(day).into());
            sql.push_str(&format!(
                " AND due_date IS NOT NULL AND due_date <= ${}",
                params.len()
            ));
        }
        match text {
            Text::Any => {}
            Text::Words(words) => sql.push_str(&search::condition(c.dialect(), words, &mut params)),
            Text::Keys(keys) => {
                params.push(serde_json::to_string(keys).unwrap_or_default().into());
                sql.push_str(&format!(
                    " AND search_key IN (SELECT value FROM json_each(${}))",
                    params.len()
                ));
            }
        }
        params.push(limit.into());
        params.push(offset.into());
        sql.push_str(&format!(
            " ORDER BY CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, submitted_at, id
              LIMIT ${} OFFSET ${}",
            params.len() - 1,
            params.len()
        ));
        c.query(&sql, &params)?
            .iter()
            .map(|r| {
                Ok((
                    r.get("id")?,
                    if sqlite { r.get("search_key")? } else { None },
                ))
            })
            .collect::<DbResult<_>>()
            .map_err(Into::into)
    }
}

/// Up to this many matches, a search narrows the queue in the query;
/// beyond it the words are in so many appeals that reading the queue in
/// order and keeping the matches reaches a page sooner.
const SELECTIVE: usize = 4096;
/// PostgreSQL checks at most this many rows one by one (deeper pages go
/// through the index).
const PROBE_MAX: usize = 2048;

/// The page of a search. A word in a few appeals is best found through
/// the index; a word in most of them (a street's name in a city's
/// appeals) would make the database gather every match and sort them all
/// to show 50, so then the queue is read in its order, a few pages at a
/// time, keeping the matching ones.
fn searched_ids(c: &mut dyn Conn, q: &Query, offset: i64, limit: i64) -> AppResult<Vec<String>> {
    let need = usize::try_from(offset.saturating_add(limit)).unwrap_or(0);
    let text = q.f.text.as_str();
    match c.dialect() {
        Dialect::Sqlite => {
            // One read of the index's lists gives every match's key.
            let keys = search::matching_keys(c, text)?;
            if keys.len() <= SELECTIVE {
                return Ok(ids_only(q.ids(c, &Text::Keys(&keys), offset, limit)?));
            }
            if usize::try_from(offset).unwrap_or(usize::MAX) >= keys.len() {
                return Ok(Vec::new());
            }
            let keys = KeySet::new(&keys);
            let mut window = need.saturating_mul(4).clamp(256, i64::MAX as usize);
            loop {
                let rows = q.ids(c, &Text::Any, 0, window as i64)?;
                let ended = rows.len() < window;
                let hits: Vec<String> = rows
                    .into_iter()
                    .filter(|(_, k)| k.is_some_and(|k| keys.contains(k)))
                    .map(|(id, _)| id)
                    .collect();
                if hits.len() >= need || ended {
                    return Ok(page_of(hits, offset, limit));
                }
                window = window.saturating_mul(4).min(i64::MAX as usize);
            }
        }
        Dialect::Postgres => {
            // The first pages of the queue, checked row by row; when they
            // hold too few matches the words are rare enough for the index.
            let window = need.saturating_mul(4).max(256);
            if window > PROBE_MAX {
                return Ok(ids_only(q.ids(c, &Text::Words(text), offset, limit)?));
            }
            let rows = ids_only(q.ids(c, &Text::Any, 0, window as i64)?);
            let ended = rows.len() < window;
            let matching = search::matching_among(c, text, &rows)?;
            let hits: Vec<String> = rows
                .into_iter()
                .filter(|id| matching.contains(id))
                .collect();
            if hits.len() >= need || ended {
                return Ok(page_of(hits, offset, limit));
            }
            Ok(ids_only(q.ids(c, &Text::Words(text), offset, limit)?))
        }
    }
}

fn ids_only(rows: Vec<(String, Option<i64>)>) -> Vec<String> {
    rows.into_iter().map(|(id, _)| id).collect()
}

fn page_of(hits: Vec<String>, offset: i64, limit: i64) -> Vec<String> {
    hits.into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect()
}

/// A set of `search_key`s as a bitmap: the keys are small and dense (one
/// per appeal ever made), and a hundred thousand of them take 12 KB.
struct KeySet(Vec<u64>);

impl KeySet {
    fn new(keys: &[i64]) -> KeySet {
        let max = keys.iter().copied().max().unwrap_or(0).max(0) as usize;
        let mut bits = vec![0u64; max / 64 + 1];
        for &k in keys.iter().filter(|k| **k >= 0) {
            bits[k as usize / 64] |= 1 << (k as usize % 64);
        }
        KeySet(bits)
    }

    fn contains(&self, k: i64) -> bool {
        usize::try_from(k)
            .ok()
            .and_then(|k| self.0.get(k / 64).map(|w| w & (1 << (k % 64)) != 0))
            .unwrap_or(false)
    }
}
