//! The public pages' queries (the handlers hold no SQL). Only what is
//! public leaves here: public appeals, cycles, figures that count.

use dauys_proto::locality::LocalityTree;

use crate::auth;
use crate::components::appeals::search;
use crate::db::{placeholders, Conn, DbResult, FromRow, Row, Value};
use crate::error::AppResult;

/// A locality and everything under it.
pub fn subtree(c: &mut dyn Conn, code: &str) -> AppResult<Vec<String>> {
    let tree: LocalityTree = auth::locality_tree(c)?;
    Ok(tree.subtree(&[code.to_string()]))
}

/// `$n, $n+1, …` for `codes`, appended to `params`.
pub fn in_list(params: &mut Vec<Value>, codes: &[String]) -> String {
    let list = placeholders(params.len() + 1, codes.len());
    params.extend(codes.iter().map(Value::from));
    list
}

/// Ids of public appeals in `codes`, newest first; `answered` keeps only
/// answered ones; `text` searches subject, text and answer.
pub fn public_appeal_ids(
    c: &mut dyn Conn,
    codes: &[String],
    answered: bool,
    text: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<String>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Vec::new();
    let list = in_list(&mut params, codes);
    let mut sql = format!("SELECT id FROM appeals WHERE public = 1 AND locality IN ({list})");
    if answered {
        sql.push_str(" AND status = 'answered'");
    }
    sql.push_str(&search::condition(c.dialect(), text, &mut params));
    newest_ids(c, sql, params, offset, limit)
}

/// Runs `sql` (`SELECT id FROM appeals WHERE …`) for one page of ids,
/// newest first (the order the `appeals_public*` indexes hold).
pub fn newest_ids(
    c: &mut dyn Conn,
    mut sql: String,
    mut params: Vec<Value>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<String>> {
    params.push(limit.into());
    params.push(offset.into());
    sql.push_str(&format!(
        " ORDER BY submitted_at DESC, id DESC LIMIT ${} OFFSET ${}",
        params.len() - 1,
        params.len()
    ));
    Ok(c.query(&sql, &params)?
        .iter()
        .map(|r| r.get("id"))
        .collect::<DbResult<_>>()?)
}

/// Ids of the cycles of `codes`, newest first.
pub fn cycle_ids(c: &mut dyn Conn, codes: &[String]) -> AppResult<Vec<String>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Vec::new();
    let list = in_list(&mut params, codes);
    Ok(c.query(
        &format!("SELECT id FROM cycles WHERE locality IN ({list}) ORDER BY created_at DESC"),
        &params,
    )?
    .iter()
    .map(|r| r.get("id"))
    .collect::<DbResult<_>>()?)
}

/// What the accountability figures need of one appeal (public or not:
/// only counts leave the server).
#[derive(Debug, Clone)]
pub struct AnswerFacts {
    pub addressee: String,
    pub status: String,
    pub registered_on: Option<String>,
    pub due_date: Option<String>,
    pub history: String,
    pub submitted_at: i64,
}

impl FromRow for AnswerFacts {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(AnswerFacts {
            addressee: r.get("addressee")?,
            status: r.get("status")?,
            registered_on: r.get("registered_on")?,
            due_date: r.get("due_date")?,
            history: r.get("history")?,
            submitted_at: r.get("submitted_at")?,
        })
    }
}

/// Every appeal of `codes` (its answer facts).
pub fn answer_facts(c: &mut dyn Conn, codes: &[String]) -> AppResult<Vec<AnswerFacts>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Vec::new();
    let list = in_list(&mut params, codes);
    let mut out = Vec::new();
    for r in c.query(
        &format!(
            "SELECT addressee, status, registered_on, due_date, history, submitted_at FROM appeals
             WHERE locality IN ({list})"
        ),
        &params,
    )? {
        out.push(AnswerFacts::from_row(&r)?);
    }
    Ok(out)
}

/// Turnout in one locality: residents eligible (census, old enough) and
/// those of them whose ballot was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turnout {
    pub locality: String,
    pub eligible: i64,
    pub voted: i64,
}

/// Turnout of `cycle_id` per locality of `codes` (those with residents):
/// eligible = census residents born on or before `born_by` (`YYYY-MM-DD`).
pub fn turnout(
    c: &mut dyn Conn,
    cycle_id: &str,
    codes: &[String],
    born_by: &str,
) -> AppResult<Vec<Turnout>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut params: Vec<Value> = vec![cycle_id.into(), born_by.into()];
    let list = in_list(&mut params, codes);
    let rows = c.query(
        &format!(
            "SELECT r.locality, COUNT(*) AS eligible, COUNT(b.user_id) AS voted FROM residents r
             LEFT JOIN ballots b ON b.user_id = r.id AND b.cycle_id = $1
             WHERE r.birth_date <= $2 AND r.locality IN ({list})
             GROUP BY r.locality ORDER BY r.locality"
        ),
        &params,
    )?;
    rows.iter()
        .map(|r| {
            Ok(Turnout {
                locality: r.get("locality")?,
                eligible: r.get("eligible")?,
                voted: r.get("voted")?,
            })
        })
        .collect()
}

/// How many residents the census holds (a turnout's cache stamp).
pub fn census_size(c: &mut dyn Conn) -> AppResult<i64> {
    Ok(c.query_one("SELECT COUNT(*) AS n FROM residents", &[])?
        .map(|r| r.get::<i64>("n"))
        .transpose()?
        .unwrap_or(0))
}
