//! Budgets storage: cycles, proposals and ballots as a viewer may see them,
//! loaded in batches (one query per list or per chunk of ids).

use dauys_proto::{Ballot, Cycle, Localized, Phase, Proposal};

use super::proposals::is_public as proposals_public;
use crate::db::{load_in, Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::params;
use crate::read::{enum_of, json, point, rows};

struct CycleRow(Cycle);

impl FromRow for CycleRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        let phase: String = r.get("phase")?;
        let schedule: String = r.get("schedule")?;
        let results: Option<String> = r.get("results")?;
        Ok(CycleRow(Cycle {
            id: r.get("id")?,
            locality: r.get("locality")?,
            title: Localized::new(
                &r.get::<String>("title_kk")?,
                &r.get::<String>("title_ru")?,
                &r.get::<String>("title_en")?,
            ),
            budget: r.get("budget")?,
            max_projects: r.get("max_projects")?,
            budget_limited_ballot: r.get("budget_limited")?,
            rule: r.get("rule")?,
            min_votes: r.get("min_votes")?,
            min_age: r.get("min_age")?,
            phase: Phase::parse(&phase).unwrap_or(Phase::Closed),
            schedule: json(&schedule),
            results: results.and_then(|s| serde_json::from_str(&s).ok()),
        }))
    }
}

const CYCLE_SELECT: &str =
    "SELECT id, locality, title_kk, title_ru, title_en, budget, max_projects,
    budget_limited, rule, min_votes, min_age, phase, schedule, results FROM cycles";

pub fn cycle(c: &mut dyn Conn, id: &str) -> AppResult<Option<Cycle>> {
    Ok(cycles(c, &[id.to_string()])?.into_iter().next())
}

/// Cycles by id (any order).
pub fn cycles(c: &mut dyn Conn, ids: &[String]) -> AppResult<Vec<Cycle>> {
    let rows: Vec<CycleRow> = load_in(c, ids, &[], |list| {
        format!("{CYCLE_SELECT} WHERE id IN ({list})")
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A page of a locality's cycles, newest first; whether more follow.
pub fn cycles_of(
    c: &mut dyn Conn,
    locality: &str,
    page: crate::db::Page,
) -> AppResult<(Vec<Cycle>, bool)> {
    let mut rows: Vec<CycleRow> = rows(
        c,
        &format!(
            "{CYCLE_SELECT} WHERE locality = $1 ORDER BY created_at DESC, id{}",
            page.sql()
        ),
        params![locality],
    )?;
    let more = page.trim(&mut rows);
    Ok((rows.into_iter().map(|r| r.0).collect(), more))
}

/// A proposal as stored, with what deciding its visibility needs.
struct ProposalRow {
    proposal: Proposal,
    author: String,
    cycle_phase: String,
}

impl FromRow for ProposalRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        let status: String = r.get("status")?;
        Ok(ProposalRow {
            author: r.get("author")?,
            cycle_phase: r.get("cycle_phase")?,
            proposal: Proposal {
                id: r.get("id")?,
                cycle_id: r.get("cycle_id")?,
                locality: r.get("locality")?,
                title: r.get("title")?,
                description: r.get("description")?,
                category: r.get("category")?,
                cost: r.get("cost")?,
                location: point(r.get("lat")?, r.get("lon")?),
                media: json(&r.get::<String>("media")?),
                status: enum_of(&status).map_err(|e| crate::db::DbError::Other(e.to_string()))?,
                expert_cost: r.get("expert_cost")?,
                expert_note: r.get("expert_note")?,
                votes: r.get("votes")?,
                progress: r.get("progress")?,
                history: json(&r.get::<String>("history")?),
                mine: false,
                created_at: r.get("created_at")?,
                updated_at: r.get("updated_at")?,
            },
        })
    }
}

impl ProposalRow {
    /// The proposal as `viewer` may see it, if at all (`staff`: the viewer
    /// works on it, see [`item_visible`]).
    fn visible_to(self, viewer: Option<&str>, staff: bool) -> Option<Proposal> {
        let mut p = self.proposal;
        p.mine = viewer == Some(self.author.as_str());
        if !p.mine && !staff && !proposals_public(p.status) {
            return None;
        }
        // Tallies stay secret until voting is over.
        let counted = Phase::parse(&self.cycle_phase).is_some_and(|ph| ph >= Phase::Tallying);
        if !counted {
            p.votes = None;
        }
        Some(p)
    }
}

const PROPOSAL_SELECT: &str = "SELECT p.id, p.cycle_id, p.locality, p.author, p.title,
    p.description, p.category, p.cost, p.lat, p.lon, p.media, p.status, p.expert_cost,
    p.expert_note, p.votes, p.progress, p.history, p.created_at, p.updated_at,
    c.phase AS cycle_phase FROM proposals p JOIN cycles c ON c.id = p.cycle_id";

pub fn proposal(c: &mut dyn Conn, id: &str, viewer: Option<&str>) -> AppResult<Option<Proposal>> {
    Ok(proposals(c, &[id.to_string()], viewer)?.into_iter().next())
}

/// One proposal as `viewer` may see it: published ones to anyone, others
/// to their author and to the staff who work on them in their scope
/// (moderators, experts, officials: [`item_visible`], the photos' rule).
pub fn proposal_for(
    c: &mut dyn Conn,
    id: &str,
    viewer: Option<&crate::auth::Actor>,
) -> AppResult<Option<Proposal>> {
    let rows: Vec<ProposalRow> = rows(
        c,
        &format!("{PROPOSAL_SELECT} WHERE p.id = $1"),
        params![id],
    )?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let user = viewer.map(|v| v.user_id.as_str());
    let open = user == Some(row.author.as_str()) || proposals_public(row.proposal.status);
    let staff = !open && item_visible(c, "proposal", id, viewer)? == Some(true);
    Ok(row.visible_to(user, staff))
}

/// What the ballot rule reads of a cycle (phase, budget, limits, locality,
/// minimum age), without its titles, schedule or results: see
/// [`ballot_choices`].
pub fn ballot_cycle(c: &mut dyn Conn, id: &str) -> AppResult<Option<Cycle>> {
    struct Rules(Cycle);
    impl FromRow for Rules {
        fn from_row(r: &Row) -> DbResult<Self> {
            let phase: String = r.get("phase")?;
            Ok(Rules(Cycle {
                id: r.get("id")?,
                locality: r.get("locality")?,
                title: Localized::default(),
                budget: r.get("budget")?,
                max_projects: r.get("max_projects")?,
                budget_limited_ballot: r.get("budget_limited")?,
                rule: r.get("rule")?,
                min_votes: None,
                min_age: r.get("min_age")?,
                phase: Phase::parse(&phase).unwrap_or(Phase::Closed),
                schedule: Default::default(),
                results: None,
            }))
        }
    }
    let rows: Vec<Rules> = rows(
        c,
        "SELECT id, locality, budget, max_projects, budget_limited, rule, min_age, phase
         FROM cycles WHERE id = $1",
        params![id],
    )?;
    Ok(rows.into_iter().next().map(|r| r.0))
}

/// A proposal as the ballot rule reads it.
struct Choice(Proposal);
impl FromRow for Choice {
    fn from_row(r: &Row) -> DbResult<Self> {
        let status: String = r.get("status")?;
        Ok(Choice(Proposal {
            id: r.get("id")?,
            cycle_id: r.get("cycle_id")?,
            locality: String::new(),
            title: String::new(),
            description: String::new(),
            category: String::new(),
            cost: r.get("cost")?,
            location: None,
            media: Vec::new(),
            status: enum_of(&status).map_err(|e| crate::db::DbError::Other(e.to_string()))?,
            expert_cost: r.get("expert_cost")?,
            expert_note: None,
            votes: None,
            progress: None,
            history: Vec::new(),
            mine: false,
            created_at: 0,
            updated_at: 0,
        }))
    }
}

/// What the ballot rule reads of the chosen projects of `cycle_id` — id,
/// cycle, status and costs — and nothing else: casting is the hot path
/// (thousands of ballots a minute on the last evening of voting), so the
/// texts, media and histories are not read or parsed. Other fields are empty.
pub fn ballot_choices(
    c: &mut dyn Conn,
    cycle_id: &str,
    ids: &[String],
) -> AppResult<Vec<Proposal>> {
    let rows: Vec<Choice> = load_in(c, ids, params![cycle_id], |list| {
        format!(
            "SELECT id, cycle_id, status, cost, expert_cost FROM proposals
             WHERE cycle_id = $1 AND id IN ({list})"
        )
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// What the ballot rule reads of a cycle and of all its projects, in one
/// go: kept for a group of ballots (`Memo`); `None` for no such cycle.
pub fn ballot_rules(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Option<(Cycle, Vec<Proposal>)>> {
    let Some(cycle) = ballot_cycle(c, cycle_id)? else {
        return Ok(None);
    };
    let all: Vec<Choice> = rows(
        c,
        "SELECT id, cycle_id, status, cost, expert_cost FROM proposals WHERE cycle_id = $1",
        params![cycle_id],
    )?;
    Ok(Some((cycle, all.into_iter().map(|r| r.0).collect())))
}

/// Proposals by id that `viewer` may see (any order).
pub fn proposals(
    c: &mut dyn Conn,
    ids: &[String],
    viewer: Option<&str>,
) -> AppResult<Vec<Proposal>> {
    let rows: Vec<ProposalRow> = load_in(c, ids, &[], |list| {
        format!("{PROPOSAL_SELECT} WHERE p.id IN ({list})")
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.visible_to(viewer, false))
        .collect())
}

/// Every proposal of a cycle the viewer may see, in ballot order.
pub fn proposals_of(
    c: &mut dyn Conn,
    cycle_id: &str,
    viewer: Option<&str>,
) -> AppResult<Vec<Proposal>> {
    Ok(proposals_window(c, cycle_id, viewer, None)?.0)
}

/// A page of [`proposals_of`] (the page counts the cycle's proposals, so
/// one may hold fewer than the viewer may see); whether more follow.
pub fn proposals_page(
    c: &mut dyn Conn,
    cycle_id: &str,
    viewer: Option<&str>,
    page: crate::db::Page,
) -> AppResult<(Vec<Proposal>, bool)> {
    proposals_window(c, cycle_id, viewer, Some(page))
}

fn proposals_window(
    c: &mut dyn Conn,
    cycle_id: &str,
    viewer: Option<&str>,
    page: Option<crate::db::Page>,
) -> AppResult<(Vec<Proposal>, bool)> {
    let mut rows: Vec<ProposalRow> = rows(
        c,
        &format!(
            "{PROPOSAL_SELECT} WHERE p.cycle_id = $1 ORDER BY p.created_at, p.id{}",
            page.map(|p| p.sql()).unwrap_or_default()
        ),
        params![cycle_id],
    )?;
    let more = page.is_some_and(|p| p.trim(&mut rows));
    Ok((
        rows.into_iter()
            .filter_map(|r| r.visible_to(viewer, false))
            .collect(),
        more,
    ))
}

struct BallotRow(Ballot);

impl FromRow for BallotRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(BallotRow(Ballot {
            cycle_id: r.get("cycle_id")?,
            proposal_ids: json(&r.get::<String>("proposal_ids")?),
            receipt: r.get("receipt")?,
            op_id: r.get("op_id")?,
            cast_at: r.get("cast_at")?,
        }))
    }
}

pub fn ballot(c: &mut dyn Conn, cycle_id: &str, user_id: &str) -> AppResult<Option<Ballot>> {
    Ok(ballots(c, &[cycle_id.to_string()], user_id)?
        .into_iter()
        .next())
}

/// A user's ballots in the given cycles (any order).
pub fn ballots(c: &mut dyn Conn, cycle_ids: &[String], user_id: &str) -> AppResult<Vec<Ballot>> {
    let rows: Vec<BallotRow> = load_in(c, cycle_ids, params![user_id], |list| {
        format!(
            "SELECT cycle_id, proposal_ids, receipt, op_id, cast_at FROM ballots
             WHERE user_id = $1 AND cycle_id IN ({list})"
        )
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// [`crate::components::Component::item_visible`] for proposals: a
/// published one (on the ballot, selected, …) to anyone; one in moderation,
/// review or rejected to its author and the staff who handle it in scope.
pub fn item_visible(
    c: &mut dyn Conn,
    kind: &str,
    id: &str,
    viewer: Option<&crate::auth::Actor>,
) -> AppResult<Option<bool>> {
    use dauys_proto::Role;
    if kind != "proposal" {
        return Ok(None);
    }
    let item = c
        .query_one(
            "SELECT author, status, locality FROM proposals WHERE id = $1",
            params![id],
        )?
        .map(|r| -> DbResult<_> {
            Ok(crate::auth::ItemAccess {
                public: enum_of(&r.get::<String>("status")?).is_ok_and(proposals_public),
                owner: r.get("author")?,
                locality: r.get("locality")?,
                body: None,
            })
        })
        .transpose()?;
    let staff = [Role::Moderator, Role::Expert, Role::Official];
    crate::auth::may_see_item(c, item, viewer, &staff).map(Some)
}
