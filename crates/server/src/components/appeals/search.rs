//! Full-text search over appeals (subject, text and answer), for the
//! console's queue and the public list.
//!
//! Words, not substrings: each word typed must start a word of the appeal
//! ("фонар" finds "фонарь"), all of them (AND). Both databases answer from
//! an index (migration 10), so a search costs the matches, not a scan of
//! every appeal in scope (80–90 ms at 100,000 appeals with `LIKE`):
//! - SQLite: an FTS5 table without its own copy of the text
//!   (`contentless_delete`), keyed by `appeals.search_key`, handed out by
//!   `appeal_search` — a key of its own because `VACUUM` may renumber the
//!   rowids of `appeals`; triggers keep both in step with every write;
//! - PostgreSQL: a GIN index over `to_tsvector('simple', …)`; the
//!   `simple` configuration only lowercases (no stemming, which would be
//!   wrong for Kazakh), so the database needs a UTF-8 locale (Debian's
//!   default `C.UTF-8` is one) for Cyrillic capitals to match.

use crate::db::{placeholders, Conn, DbResult, Dialect, Value};
use crate::error::AppResult;

/// At most this many words are searched for (the rest are ignored).
const MAX_WORDS: usize = 8;
/// Longer "words" are cut (nobody types them; they only cost).
const MAX_WORD_CHARS: usize = 40;

/// The words of `text`, lowercased: runs of letters and digits in any
/// script. Anything else separates words, so no query syntax of either
/// database can get through.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(|w| {
            w.chars()
                .take(MAX_WORD_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// ` AND …` keeping the appeals (of a query over `appeals`) that match
/// `text`, its parameter appended to `params`; empty when `text` has no
/// words (then nothing is filtered).
pub fn condition(dialect: Dialect, text: &str, params: &mut Vec<Value>) -> String {
    let words = words(text);
    if words.is_empty() {
        return String::new();
    }
    match dialect {
        Dialect::Sqlite => {
            // `"word"*`: a prefix query; words hold no quotes (see `words`).
            let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
            params.push(query.join(" ").into());
            // `search_key` is in the queue's covering index: a word that
            // matches every appeal costs a set of integers, not a join.
            format!(
                " AND search_key IN (SELECT rowid FROM appeals_fts WHERE appeals_fts MATCH ${})",
                params.len()
            )
        }
        Dialect::Postgres => {
            let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            params.push(query.join(" & ").into());
            format!(" AND {DOCUMENT} @@ to_tsquery('simple', ${})", params.len())
        }
    }
}

/// SQLite: the `search_key` of every appeal matching `text` (all its
/// words), straight from the full-text index's lists.
pub fn matching_keys(c: &mut dyn Conn, text: &str) -> AppResult<Vec<i64>> {
    let mut params = Vec::new();
    let cond = condition(Dialect::Sqlite, text, &mut params);
    if cond.is_empty() {
        return Ok(Vec::new());
    }
    // One row of text, not a row per match: a word in 100,000 appeals
    // costs a third of the time this way.
    let all: Option<String> = c
        .query_one(
            "SELECT group_concat(rowid) AS keys FROM appeals_fts WHERE appeals_fts MATCH $1",
            &params,
        )?
        .map(|r| r.get("keys"))
        .transpose()?
        .flatten();
    Ok(all
        .unwrap_or_default()
        .split(',')
        .filter_map(|k| k.parse().ok())
        .collect())
}

/// PostgreSQL: which of the appeals `ids` match `text`, checked row by row
/// (`ts_match_vq` is the `@@` operator as a function, which no index
/// answers: for a few hundred rows that is cheaper than the index's
/// bitmap of a word found in most appeals).
pub fn matching_among(
    c: &mut dyn Conn,
    text: &str,
    ids: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    let words = words(text);
    if words.is_empty() || ids.is_empty() {
        return Ok(ids.iter().cloned().collect());
    }
    let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
    let mut params: Vec<Value> = vec![query.join(" & ").into()];
    let list = placeholders(2, ids.len());
    params.extend(ids.iter().map(Value::from));
    let rows = c.query(
        &format!(
            "SELECT id FROM appeals WHERE id IN ({list})
               AND ts_match_vq({DOCUMENT}, to_tsquery('simple', $1))"
        ),
        &params,
    )?;
    rows.iter()
        .map(|r| r.get::<String>("id"))
        .collect::<DbResult<_>>()
        .map_err(Into::into)
}

/// The indexed expression on PostgreSQL: exactly the one of migration 10's
/// index, or the index is not used.
const DOCUMENT: &str =
    "to_tsvector('simple', subject || ' ' || body || ' ' || COALESCE(answer, ''))";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_letters_and_digits_of_any_script_lowercased() {
        assert_eq!(
            words("Қала ФОНАРЬ, street-light 99"),
            ["қала", "фонарь", "street", "light", "99"]
        );
        assert!(words(" \"*:&|!() ").is_empty());
        assert_eq!(words("a b c d e f g h i j").len(), MAX_WORDS);
    }

    #[test]
    fn no_words_no_condition() {
        let mut p = Vec::new();
        assert_eq!(condition(Dialect::Sqlite, "  -- ", &mut p), "");
        assert!(p.is_empty());
    }

    #[test]
    fn queries_are_prefix_and_all_words() {
        let mut p = Vec::new();
        condition(Dialect::Sqlite, "Фонар 12", &mut p);
        assert_eq!(p, vec![Value::from("\"фонар\"* \"12\"*")]);
        let mut p = Vec::new();
        condition(Dialect::Postgres, "Фонар 12", &mut p);
        assert_eq!(p, vec![Value::from("фонар:* & 12:*")]);
    }
}
