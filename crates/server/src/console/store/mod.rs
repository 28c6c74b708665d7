//! The console's queries (the handlers hold no SQL): staff queues and
//! counts, always limited to the caller's scope — the localities under
//! the caller's grants of the roles that may act there.

mod appeals;
pub mod sessions;
pub mod templates;

use appeals::count;
pub use appeals::{appeal_counts, appeals_queue, AppealCounts, AppealFilter, QueueRow};

use dauys_proto::{ProposalStatus, Role};

use crate::auth::{self, Actor};
use crate::db::{placeholders, Conn, DbResult, FromRow, Row, Value};
use crate::error::AppResult;

/// Where a staff member may look, for one kind of work.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// An unscoped grant (admins, or a role granted everywhere).
    All,
    /// These localities (the grants' subtrees) and, for appeals only,
    /// these bodies (departments' grants); both empty: nothing.
    Within {
        localities: Vec<String>,
        bodies: Vec<String>,
    },
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        matches!(self, Scope::Within { localities, bodies } if localities.is_empty() && bodies.is_empty())
    }

    pub fn contains(&self, locality: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Within { localities, .. } => localities.iter().any(|l| l == locality),
        }
    }

    /// Whether an item in `locality`, addressed to `body` if any, is in it.
    pub fn holds(&self, place: &Place) -> bool {
        self.contains(&place.locality)
            || matches!((self, &place.body), (Scope::Within { bodies, .. }, Some(b)) if bodies.contains(b))
    }

    /// ` AND locality IN (…)` with its values appended to `params`.
    fn sql(&self, column: &str, params: &mut Vec<Value>) -> String {
        self.sql_at(column, None, params)
    }

    /// ` AND (locality IN (…) OR body IN (…))`, either part alone when
    /// the other is empty (so an index on each can serve); `body_column`
    /// only where items are addressed to bodies.
    fn sql_at(&self, column: &str, body_column: Option<&str>, params: &mut Vec<Value>) -> String {
        let Scope::Within { localities, bodies } = self else {
            return String::new();
        };
        let mut parts = Vec::new();
        let mut within = |col: &str, values: &[String], params: &mut Vec<Value>| {
            if !values.is_empty() {
                let list = placeholders(params.len() + 1, values.len());
                params.extend(values.iter().map(Value::from));
                parts.push(format!("{col} IN ({list})"));
            }
        };
        within(column, localities, params);
        if let Some(bc) = body_column {
            within(bc, bodies, params);
        }
        match parts.len() {
            0 => " AND 1 = 0".into(),
            1 => format!(" AND {}", parts[0]),
            _ => format!(" AND ({})", parts.join(" OR ")),
        }
    }
}

pub use crate::auth::Place;

/// The caller's scope for `roles` (admins everywhere they are granted),
/// the same grants `auth::require_role` checks when an op is applied.
/// Departments' grants are left out: they reach only appeals
/// ([`appeal_scope`]).
pub fn scope(c: &mut dyn Conn, actor: &Actor, roles: &[Role]) -> AppResult<Scope> {
    let mut roots = Vec::new();
    for g in &actor.roles {
        if g.role == Role::Citizen
            || g.body.is_some()
            || !(roles.contains(&g.role) || g.role == Role::Admin)
        {
            continue;
        }
        match &g.locality {
            None => return Ok(Scope::All),
            Some(l) => roots.push(l.clone()),
        }
    }
    let localities = if roots.is_empty() {
        Vec::new()
    } else {
        auth::locality_tree(c)?.subtree(&roots)
    };
    Ok(Scope::Within {
        localities,
        bodies: Vec::new(),
    })
}

/// Where the caller works on appeals: the localities of their officials'
/// grants and the bodies of their departments' grants (the appeals
/// `auth::require_role_at` lets them act on).
pub fn appeal_scope(c: &mut dyn Conn, actor: &Actor) -> AppResult<Scope> {
    let scope = scope(c, actor, APPEAL_ROLES)?;
    let Scope::Within { localities, .. } = scope else {
        return Ok(Scope::All);
    };
    let bodies = actor
        .roles
        .iter()
        .filter(|g| APPEAL_ROLES.contains(&g.role))
        .filter_map(|g| g.body.clone())
        .collect();
    Ok(Scope::Within { localities, bodies })
}

/// The caller's scope for `roles`, `None` when they hold none of them.
pub fn granted_scope(c: &mut dyn Conn, actor: &Actor, roles: &[Role]) -> AppResult<Option<Scope>> {
    Ok(Some(scope(c, actor, roles)?).filter(|s| !s.is_empty()))
}

/// [`appeal_scope`], `None` when the caller works on no appeals.
pub fn granted_appeal_scope(c: &mut dyn Conn, actor: &Actor) -> AppResult<Option<Scope>> {
    Ok(Some(appeal_scope(c, actor)?).filter(|s| !s.is_empty()))
}

/// Who may work on appeals, on moderation, on expert review.
pub const APPEAL_ROLES: &[Role] = &[Role::Official];
pub const MODERATION_ROLES: &[Role] = &[Role::Moderator, Role::Official];
pub const REVIEW_ROLES: &[Role] = &[Role::Expert, Role::Official];
/// Who administers staff (only administrators: `scope` lets admins in).
pub const ADMIN_ROLES: &[Role] = &[Role::Admin];

/// Proposals in scope with one of `statuses`.
pub fn count_proposals(
    c: &mut dyn Conn,
    scope: &Scope,
    statuses: &[ProposalStatus],
) -> AppResult<i64> {
    if scope.is_empty() || statuses.is_empty() {
        return Ok(0);
    }
    let mut params: Vec<Value> = statuses.iter().map(|s| Value::from(s.as_str())).collect();
    let list = placeholders(1, statuses.len());
    let within = scope.sql("locality", &mut params);
    count(
        c,
        &format!("SELECT COUNT(*) AS n FROM proposals WHERE status IN ({list}){within}"),
        &params,
    )
}

/// A proposal as the staff queues list it (unmoderated ones included,
/// which the public API shows to their authors only) — in the console's
/// pages and, as JSON, in `/v1/staff/proposals`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StaffProposal {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: i64,
    pub status: String,
    pub locality: String,
    pub created_at: i64,
    /// Implementation progress (%), once the project is being built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<i64>,
}

impl FromRow for StaffProposal {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(StaffProposal {
            id: r.get("id")?,
            title: r.get("title")?,
            description: r.get("description")?,
            category: r.get("category")?,
            cost: r.get("cost")?,
            status: r.get("status")?,
            locality: r.get("locality")?,
            created_at: r.get("created_at")?,
            progress: r.get("progress")?,
        })
    }
}

/// Proposals in scope with one of `statuses`, oldest first.
pub fn proposals(
    c: &mut dyn Conn,
    scope: &Scope,
    statuses: &[ProposalStatus],
    limit: i64,
) -> AppResult<Vec<StaffProposal>> {
    if scope.is_empty() || statuses.is_empty() {
        return Ok(Vec::new());
    }
    let mut params: Vec<Value> = statuses.iter().map(|s| Value::from(s.as_str())).collect();
    let list = placeholders(1, statuses.len());
    let within = scope.sql("locality", &mut params);
    params.push(limit.into());
    let sql = format!(
        "SELECT id, title, description, category, cost, status, locality, created_at, progress
         FROM proposals WHERE status IN ({list}){within} ORDER BY created_at, id LIMIT ${}",
        params.len()
    );
    let mut out = Vec::new();
    for r in c.query(&sql, &params)? {
        out.push(StaffProposal::from_row(&r)?);
    }
    Ok(out)
}

/// The applicant of an appeal as the console shows them: the masked IIN
/// (`••••••••1234`; '' when the census row predates it).
pub fn applicant_iin(c: &mut dyn Conn, appeal_id: &str) -> AppResult<String> {
    Ok(c.query_one(
        "SELECT r.iin_masked FROM appeals a JOIN residents r ON r.id = a.user_id WHERE a.id = $1",
        crate::params![appeal_id],
    )?
    .map(|r| r.get("iin_masked"))
    .transpose()?
    .unwrap_or_default())
}

/// A proposal's locality (for the scope check before an action).
pub fn proposal_locality(c: &mut dyn Conn, id: &str) -> AppResult<Option<String>> {
    Ok(c.query_one(
        "SELECT locality FROM proposals WHERE id = $1",
        crate::params![id],
    )?
    .map(|r| r.get("locality"))
    .transpose()?)
}

/// Proposals waiting for moderation.
pub const IN_MODERATION: &[ProposalStatus] =
    &[ProposalStatus::Submitted, ProposalStatus::InModeration];
/// Proposals waiting for an expert.
pub const IN_REVIEW: &[ProposalStatus] = &[ProposalStatus::Accepted, ProposalStatus::ExpertReview];
/// Selected projects being built.
pub const IN_IMPLEMENTATION: &[ProposalStatus] =
    &[ProposalStatus::Selected, ProposalStatus::InImplementation];

/// Ids of the cycles in scope, newest first.
pub fn cycle_ids(c: &mut dyn Conn, scope: &Scope) -> AppResult<Vec<String>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Vec::new();
    let within = scope.sql("locality", &mut params);
    Ok(c.query(
        &format!("SELECT id FROM cycles WHERE 1 = 1{within} ORDER BY created_at DESC, id"),
        &params,
    )?
    .iter()
    .map(|r| r.get("id"))
    .collect::<DbResult<_>>()?)
}

/// A staff grant as the admin page lists it.
#[derive(Debug, Clone)]
pub struct GrantRow {
    pub user_id: String,
    pub role: String,
    /// '' for an unscoped grant.
    pub locality: String,
    /// A department's grant: its body ('' otherwise).
    pub body: String,
    pub label: String,
    pub phone: String,
}

impl FromRow for GrantRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(GrantRow {
            user_id: r.get("user_id")?,
            role: r.get("role")?,
            locality: r.get("locality")?,
            body: r.get("body")?,
            label: r.get("label")?,
            phone: r.get("phone")?,
        })
    }
}

/// Staff grants in scope (unscoped grants only for an unscoped admin).
pub fn grants(c: &mut dyn Conn, scope: &Scope) -> AppResult<Vec<GrantRow>> {
    let mut params = vec![Value::from(Role::Citizen.as_str())];
    let within = scope.sql("g.locality", &mut params);
    let sql = format!(
        "SELECT g.user_id, g.role, g.locality, g.body, g.label, r.phone FROM roles g
         JOIN residents r ON r.id = g.user_id
         WHERE g.role <> $1{within} ORDER BY g.locality, g.role, g.body, g.label, g.user_id"
    );
    let mut out = Vec::new();
    for r in c.query(&sql, &params)? {
        out.push(GrantRow::from_row(&r)?);
    }
    Ok(out)
}

/// One line of the audit log, with the actor's label (from any grant).
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub op_id: String,
    pub user_id: String,
    pub label: String,
    pub kind: String,
    pub entity_id: String,
    pub outcome: String,
    pub at: i64,
}

impl FromRow for AuditRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(AuditRow {
            op_id: r.get("op_id")?,
            user_id: r.get("user_id")?,
            label: r.get("label")?,
            kind: r.get("kind")?,
            entity_id: r.get("entity_id")?,
            outcome: r.get("outcome")?,
            at: r.get("at")?,
        })
    }
}

/// Audit lines in scope, newest first, before the cursor `(at, op_id)`.
pub fn audit(
    c: &mut dyn Conn,
    scope: &Scope,
    before: Option<(i64, String)>,
    limit: i64,
) -> AppResult<Vec<AuditRow>> {
    let mut params: Vec<Value> = Vec::new();
    let mut cond = String::from("1 = 1");
    if let Some((at, op)) = before {
        params.push(at.into());
        params.push(op.into());
        cond = "(a.at < $1 OR (a.at = $1 AND a.op_id < $2))".into();
    }
    let within = scope.sql("a.locality", &mut params);
    params.push(limit.into());
    let sql = format!(
        "SELECT a.op_id, a.user_id, a.kind, a.entity_id, a.outcome, a.at,
           COALESCE((SELECT MAX(g.label) FROM roles g WHERE g.user_id = a.user_id), '') AS label
         FROM audit_log a WHERE {cond}{within} ORDER BY a.at DESC, a.op_id DESC LIMIT ${}",
        params.len()
    );
    let mut out = Vec::new();
    for r in c.query(&sql, &params)? {
        out.push(AuditRow::from_row(&r)?);
    }
    Ok(out)
}

/// A comment as the moderators' queue lists it (the console's page and
/// `/v1/staff/comments`).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StaffComment {
    pub id: String,
    pub target_kind: String,
    pub target_id: String,
    pub body: String,
    pub visible: bool,
    pub moderation_note: String,
    pub created_at: i64,
    /// How many residents reported it to the moderators.
    pub reports: i64,
}

impl FromRow for StaffComment {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(StaffComment {
            id: r.get("id")?,
            target_kind: r.get("target_kind")?,
            target_id: r.get("target_id")?,
            body: r.get("body")?,
            visible: r.get("visible")?,
            moderation_note: r.get("moderation_note")?,
            created_at: r.get("created_at")?,
            reports: r.get("reports")?,
        })
    }
}

/// The comments in scope waiting for a moderator: visible ones that
/// residents reported, most reported first; then the latest, newest first.
pub fn comments(c: &mut dyn Conn, scope: &Scope, limit: i64) -> AppResult<Vec<StaffComment>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Vec::new();
    let within = scope.sql("locality", &mut params);
    params.push(limit.into());
    let sql = format!(
        "SELECT id, target_kind, target_id, body, visible, moderation_note, created_at, reports
         FROM comments WHERE 1 = 1{within}
         ORDER BY CASE WHEN visible = 1 AND reports > 0 THEN reports ELSE 0 END DESC,
                  created_at DESC, id DESC LIMIT ${}",
        params.len()
    );
    let mut out = Vec::new();
    for r in c.query(&sql, &params)? {
        out.push(StaffComment::from_row(&r)?);
    }
    Ok(out)
}

/// A comment's locality (for the scope check before moderating).
pub fn comment_locality(c: &mut dyn Conn, id: &str) -> AppResult<Option<String>> {
    Ok(c.query_one(
        "SELECT locality FROM comments WHERE id = $1",
        crate::params![id],
    )?
    .map(|r| r.get("locality"))
    .transpose()?)
}
