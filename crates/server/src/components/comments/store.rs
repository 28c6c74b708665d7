//! The comments table: row struct, batch loader, writes.

use std::collections::{HashMap, HashSet};

use dauys_proto::{Comment, CommentTarget};

use crate::db::{load_in, Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::params;

struct CommentRow {
    id: String,
    target_kind: String,
    target_id: String,
    locality: String,
    author: String,
    body: String,
    visible: bool,
    moderation_note: String,
    created_at: i64,
}

impl FromRow for CommentRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(CommentRow {
            id: r.get("id")?,
            target_kind: r.get("target_kind")?,
            target_id: r.get("target_id")?,
            locality: r.get("locality")?,
            author: r.get("author")?,
            body: r.get("body")?,
            visible: r.get("visible")?,
            moderation_note: r.get("moderation_note")?,
            created_at: r.get("created_at")?,
        })
    }
}

impl CommentRow {
    /// A hidden comment keeps its place but shows its body only to its author.
    fn seen_by(self, viewer: Option<&str>) -> Comment {
        let mine = viewer == Some(self.author.as_str());
        let target = CommentTarget::new(&self.target_kind, &self.target_id);
        Comment {
            id: self.id,
            // Old clients read `proposal_id`; set whenever the target is one.
            proposal_id: target.proposal_id(),
            target,
            locality: self.locality,
            body: if self.visible || mine {
                self.body
            } else {
                String::new()
            },
            visible: self.visible,
            moderation_note: if self.visible {
                String::new()
            } else {
                self.moderation_note
            },
            mine,
            created_at: self.created_at,
        }
    }
}

/// Keeps the comments whose item `viewer` may see (see
/// [`super::Commentable::visible`]); one question per target kind.
fn on_visible_items(
    c: &mut dyn Conn,
    rows: Vec<CommentRow>,
    viewer: Option<&str>,
) -> AppResult<Vec<CommentRow>> {
    let mut by_kind: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows {
        by_kind
            .entry(r.target_kind.clone())
            .or_default()
            .push(r.target_id.clone());
    }
    let mut seen: HashMap<String, HashSet<String>> = HashMap::new();
    for (kind, mut ids) in by_kind {
        let Some(items) = super::commentable(&kind) else {
            continue;
        };
        ids.sort();
        ids.dedup();
        let visible = items.visible(c, &ids, viewer)?;
        seen.insert(kind, visible);
    }
    Ok(rows
        .into_iter()
        .filter(|r| {
            seen.get(&r.target_kind)
                .is_some_and(|ids| ids.contains(&r.target_id))
        })
        .collect())
}

const SELECT: &str = "SELECT id, target_kind, target_id, locality, author, body, visible,
    moderation_note, created_at FROM comments";

/// Comments by id (any order).
pub fn by_ids(c: &mut dyn Conn, ids: &[String], viewer: Option<&str>) -> AppResult<Vec<Comment>> {
    let rows: Vec<CommentRow> =
        load_in(c, ids, &[], |list| format!("{SELECT} WHERE id IN ({list})"))?;
    let rows = on_visible_items(c, rows, viewer)?;
    Ok(rows.into_iter().map(|r| r.seen_by(viewer)).collect())
}

/// The comments on one item, oldest first.
/// A page of the comments on an item, oldest first; whether more follow.
pub fn on_target(
    c: &mut dyn Conn,
    target: &CommentTarget,
    viewer: Option<&str>,
    page: crate::db::Page,
) -> AppResult<(Vec<Comment>, bool)> {
    let mut rows = Vec::new();
    for r in c.query(
        &format!(
            "{SELECT} WHERE target_kind = $1 AND target_id = $2 ORDER BY created_at, id{}",
            page.sql()
        ),
        params![&target.kind, &target.id],
    )? {
        rows.push(CommentRow::from_row(&r)?);
    }
    let more = page.trim(&mut rows);
    let rows = on_visible_items(c, rows, viewer)?;
    Ok((rows.into_iter().map(|r| r.seen_by(viewer)).collect(), more))
}

/// The comments on several items of one kind (one query per 500 items),
/// oldest first: a public page lists a cycle's proposals with theirs.
pub fn on_targets(
    c: &mut dyn Conn,
    kind: &str,
    ids: &[String],
    viewer: Option<&str>,
) -> AppResult<Vec<Comment>> {
    let mut rows: Vec<CommentRow> = load_in(c, ids, &[kind.into()], |list| {
        format!("{SELECT} WHERE target_kind = $1 AND target_id IN ({list})")
    })?;
    rows.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let rows = on_visible_items(c, rows, viewer)?;
    Ok(rows.into_iter().map(|r| r.seen_by(viewer)).collect())
}

pub fn insert(
    c: &mut dyn Conn,
    id: &str,
    target: &CommentTarget,
    locality: &str,
    author: &str,
    body: &str,
    now: i64,
) -> AppResult<()> {
    c.exec(
        "INSERT INTO comments (id, target_kind, target_id, locality, author, body, visible, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        params![id, &target.kind, &target.id, locality, author, body, now],
    )?;
    Ok(())
}

/// Where a comment lies and who wrote it.
pub fn locality_and_author(c: &mut dyn Conn, id: &str) -> AppResult<Option<(String, String)>> {
    match c.query_one(
        "SELECT locality, author FROM comments WHERE id = $1",
        params![id],
    )? {
        Some(r) => Ok(Some((r.get("locality")?, r.get("author")?))),
        None => Ok(None),
    }
}

/// Hides (with the moderator's published reason) or shows a comment.
pub fn set_visible(c: &mut dyn Conn, id: &str, visible: bool, note: &str) -> AppResult<()> {
    c.exec(
        "UPDATE comments SET visible = $2, moderation_note = $3 WHERE id = $1",
        params![id, visible, note],
    )?;
    Ok(())
}

/// Records one resident's report of a comment (a second one by the same
/// resident is ignored) and counts it on the comment.
pub fn add_report(
    c: &mut dyn Conn,
    comment_id: &str,
    user_id: &str,
    reason: &str,
    now: i64,
) -> AppResult<()> {
    let added = c.exec(
        "INSERT INTO comment_reports (comment_id, user_id, reason, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (comment_id, user_id) DO NOTHING",
        params![comment_id, user_id, reason, now],
    )?;
    if added > 0 {
        c.exec(
            "UPDATE comments SET reports = reports + 1 WHERE id = $1",
            params![comment_id],
        )?;
    }
    Ok(())
}
