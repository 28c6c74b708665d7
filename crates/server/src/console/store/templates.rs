//! Answer templates as the console reads them (saved and deleted by the
//! admin component's `template.save` / `template.delete` ops).

use dauys_proto::AppealType;

use super::Scope;
use crate::auth;
use crate::db::{Conn, DbResult, FromRow, Row};
use crate::error::AppResult;

/// One stored template.
#[derive(Debug, Clone)]
pub struct TemplateRow {
    pub id: String,
    pub appeal_type: String,
    pub locality: String,
    pub title: String,
    pub body: String,
}

impl FromRow for TemplateRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(TemplateRow {
            id: r.get("id")?,
            appeal_type: r.get("appeal_type")?,
            locality: r.get("locality")?,
            title: r.get("title")?,
            body: r.get("body")?,
        })
    }
}

fn all_templates(c: &mut dyn Conn) -> AppResult<Vec<TemplateRow>> {
    let mut out = Vec::new();
    for r in c.query(
        "SELECT id, appeal_type, locality, title, body FROM answer_templates ORDER BY appeal_type, title, id",
        crate::params![],
    )? {
        out.push(TemplateRow::from_row(&r)?);
    }
    Ok(out)
}

/// Templates an administrator with `scope` keeps (a few dozen at most).
pub fn in_scope(c: &mut dyn Conn, scope: &Scope) -> AppResult<Vec<TemplateRow>> {
    Ok(all_templates(c)?
        .into_iter()
        .filter(|t| match scope {
            Scope::All => true,
            Scope::Within { .. } => !t.locality.is_empty() && scope.contains(&t.locality),
        })
        .collect())
}

/// Templates offered for an appeal: of its type, for its locality or one
/// above it, or for everywhere.
pub fn for_appeal(
    c: &mut dyn Conn,
    appeal_type: AppealType,
    locality: &str,
) -> AppResult<Vec<TemplateRow>> {
    let tree = auth::locality_tree(c)?;
    Ok(all_templates(c)?
        .into_iter()
        .filter(|t| t.appeal_type == appeal_type.as_str())
        .filter(|t| t.locality.is_empty() || tree.is_within(locality, &t.locality))
        .collect())
}
