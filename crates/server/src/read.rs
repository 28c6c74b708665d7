//! Loading entities as a given viewer may see them. Privacy is enforced
//! here, at read time, whatever the change feed pointed at.
//!
//! Every list is loaded with one query per kind (ids in chunks of
//! [`IN_CHUNK`](crate::db::IN_CHUNK)), never one query per item: a pull page
//! of 1,000 changes costs a handful of round trips on PostgreSQL.

use std::collections::HashMap;

use dauys_proto::workdays::parse_date;
use dauys_proto::{
    Appeal, AppealStatus, AppealType, Ballot, Body, BodyKind, Comment, CommentTarget, Cycle,
    Entity, GeoPoint, Locality, LocalityLevel, Localized, Phase, Proposal,
};

use crate::apply::proposals_public;
use crate::components::comments::store as comments_store;
use crate::db::{load_in, Conn, DbResult, FromRow, Row};
use crate::error::{AppError, AppResult};
use crate::params;

fn json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

fn enum_of<T: serde::de::DeserializeOwned>(s: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| AppError::Internal(format!("stored value {s}: {e}")))
}

fn point(lat: Option<f64>, lon: Option<f64>) -> Option<GeoPoint> {
    match (lat, lon) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        _ => None,
    }
}

struct BodyRow {
    id: String,
    locality: String,
    kind: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
}

impl FromRow for BodyRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(BodyRow {
            id: r.get("id")?,
            locality: r.get("locality")?,
            kind: r.get("kind")?,
            name_kk: r.get("name_kk")?,
            name_ru: r.get("name_ru")?,
            name_en: r.get("name_en")?,
        })
    }
}

struct LocalityRow {
    code: String,
    parent: Option<String>,
    level: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
}

impl FromRow for LocalityRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(LocalityRow {
            code: r.get("code")?,
            parent: r.get("parent")?,
            level: r.get("level")?,
            name_kk: r.get("name_kk")?,
            name_ru: r.get("name_ru")?,
            name_en: r.get("name_en")?,
        })
    }
}

fn rows<T: FromRow>(c: &mut dyn Conn, sql: &str, p: &[crate::db::Value]) -> AppResult<Vec<T>> {
    let mut out = Vec::new();
    for r in c.query(sql, p)? {
        out.push(T::from_row(&r)?);
    }
    Ok(out)
}

/// Every locality with its bodies (two queries).
pub fn localities(c: &mut dyn Conn) -> AppResult<Vec<Locality>> {
    let mut bodies: HashMap<String, Vec<Body>> = HashMap::new();
    let body_rows: Vec<BodyRow> = rows(
        c,
        "SELECT id, locality, kind, name_kk, name_ru, name_en FROM bodies ORDER BY sort, id",
        params![],
    )?;
    for b in body_rows {
        bodies.entry(b.locality.clone()).or_default().push(Body {
            kind: enum_of::<BodyKind>(&b.kind)?,
            name: Localized::new(&b.name_kk, &b.name_ru, &b.name_en),
            id: b.id,
            locality: b.locality,
        });
    }
    let loc_rows: Vec<LocalityRow> = rows(
        c,
        "SELECT code, parent, level, name_kk, name_ru, name_en FROM localities ORDER BY code",
        params![],
    )?;
    loc_rows
        .into_iter()
        .map(|l| {
            Ok(Locality {
                bodies: bodies.remove(&l.code).unwrap_or_default(),
                level: enum_of::<LocalityLevel>(&l.level)?,
                name: Localized::new(&l.name_kk, &l.name_ru, &l.name_en),
                code: l.code,
                parent: l.parent,
            })
        })
        .collect()
}

pub fn locality(c: &mut dyn Conn, code: &str) -> AppResult<Option<Locality>> {
    Ok(localities(c)?.into_iter().find(|l| l.code == code))
}

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
            min_age: r.get("min_age")?,
            phase: Phase::parse(&phase).unwrap_or(Phase::Closed),
            schedule: json(&schedule),
            results: results.and_then(|s| serde_json::from_str(&s).ok()),
        }))
    }
}

const CYCLE_SELECT: &str =
    "SELECT id, locality, title_kk, title_ru, title_en, budget, max_projects,
    budget_limited, rule, min_age, phase, schedule, results FROM cycles";

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

pub fn cycles_of(c: &mut dyn Conn, locality: &str) -> AppResult<Vec<Cycle>> {
    let rows: Vec<CycleRow> = rows(
        c,
        &format!("{CYCLE_SELECT} WHERE locality = $1 ORDER BY created_at DESC"),
        params![locality],
    )?;
    Ok(rows.into_iter().map(|r| r.0).collect())
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
    /// The proposal as `viewer` may see it, if at all.
    fn visible_to(self, viewer: Option<&str>) -> Option<Proposal> {
        let mut p = self.proposal;
        p.mine = viewer == Some(self.author.as_str());
        if !p.mine && !proposals_public(p.status) {
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
        .filter_map(|r| r.visible_to(viewer))
        .collect())
}

pub fn proposals_of(
    c: &mut dyn Conn,
    cycle_id: &str,
    viewer: Option<&str>,
) -> AppResult<Vec<Proposal>> {
    let rows: Vec<ProposalRow> = rows(
        c,
        &format!("{PROPOSAL_SELECT} WHERE p.cycle_id = $1 ORDER BY p.created_at, p.id"),
        params![cycle_id],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.visible_to(viewer))
        .collect())
}

/// Comments by id (any order).
pub fn comments(c: &mut dyn Conn, ids: &[String], viewer: Option<&str>) -> AppResult<Vec<Comment>> {
    comments_store::by_ids(c, ids, viewer)
}

pub fn comment(c: &mut dyn Conn, id: &str, viewer: Option<&str>) -> AppResult<Option<Comment>> {
    Ok(comments(c, &[id.to_string()], viewer)?.into_iter().next())
}

/// The comments on a proposal, oldest first.
pub fn comments_of(
    c: &mut dyn Conn,
    proposal_id: &str,
    viewer: Option<&str>,
) -> AppResult<Vec<Comment>> {
    comments_store::on_target(c, &CommentTarget::proposal(proposal_id), viewer)
}

struct AppealRow {
    id: String,
    user_id: String,
    appeal_type: String,
    addressee: String,
    locality: String,
    subject: String,
    body: String,
    lat: Option<f64>,
    lon: Option<f64>,
    public: bool,
    media: String,
    status: String,
    reg_number: Option<String>,
    submitted_at: i64,
    registered_on: Option<String>,
    due_date: Option<String>,
    answer: Option<String>,
    history: String,
}

impl FromRow for AppealRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(AppealRow {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            appeal_type: r.get("appeal_type")?,
            addressee: r.get("addressee")?,
            locality: r.get("locality")?,
            subject: r.get("subject")?,
            body: r.get("body")?,
            lat: r.get("lat")?,
            lon: r.get("lon")?,
            public: r.get("public")?,
            media: r.get("media")?,
            status: r.get("status")?,
            reg_number: r.get("reg_number")?,
            submitted_at: r.get("submitted_at")?,
            registered_on: r.get("registered_on")?,
            due_date: r.get("due_date")?,
            answer: r.get("answer")?,
            history: r.get("history")?,
        })
    }
}

impl AppealRow {
    /// The appeal as `viewer` may see it; `official` lets staff see private ones.
    fn visible_to(
        self,
        viewer: Option<&str>,
        official: bool,
        today: time::Date,
    ) -> AppResult<Option<Appeal>> {
        let mine = viewer == Some(self.user_id.as_str());
        if !mine && !self.public && !official {
            return Ok(None);
        }
        let status: AppealStatus = enum_of(&self.status)?;
        let overdue = status.is_open()
            && self
                .due_date
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d < today);
        Ok(Some(Appeal {
            appeal_type: enum_of::<AppealType>(&self.appeal_type)?,
            location: point(self.lat, self.lon),
            media: json(&self.media),
            history: json(&self.history),
            id: self.id,
            addressee: self.addressee,
            locality: self.locality,
            subject: self.subject,
            body: self.body,
            public: self.public,
            status,
            registration_number: self.reg_number,
            submitted_at: self.submitted_at,
            registered_on: self.registered_on,
            due_date: self.due_date,
            overdue,
            answer: self.answer,
            mine,
        }))
    }
}

const APPEAL_SELECT: &str = "SELECT id, user_id, appeal_type, addressee, locality, subject, body,
    lat, lon, public, media, status, reg_number, submitted_at, registered_on, due_date, answer,
    history FROM appeals";

/// An appeal as `viewer` may see it; `official` lets staff see private ones.
pub fn appeal(
    c: &mut dyn Conn,
    id: &str,
    viewer: Option<&str>,
    official: bool,
    today: time::Date,
) -> AppResult<Option<Appeal>> {
    Ok(appeals(c, &[id.to_string()], viewer, official, today)?
        .into_iter()
        .next())
}

/// Appeals by id that `viewer` may see (any order).
pub fn appeals(
    c: &mut dyn Conn,
    ids: &[String],
    viewer: Option<&str>,
    official: bool,
    today: time::Date,
) -> AppResult<Vec<Appeal>> {
    let rows: Vec<AppealRow> = load_in(c, ids, &[], |list| {
        format!("{APPEAL_SELECT} WHERE id IN ({list})")
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(r.visible_to(viewer, official, today)?);
    }
    Ok(out)
}

/// A user's own appeals, newest first.
pub fn appeals_of_user(
    c: &mut dyn Conn,
    user_id: &str,
    today: time::Date,
) -> AppResult<Vec<Appeal>> {
    let rows: Vec<AppealRow> = rows(
        c,
        &format!("{APPEAL_SELECT} WHERE user_id = $1 ORDER BY submitted_at DESC"),
        params![user_id],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(r.visible_to(Some(user_id), false, today)?);
    }
    Ok(out)
}

/// The locality an appeal is addressed in (for officials' access checks).
pub fn appeal_locality(c: &mut dyn Conn, id: &str) -> AppResult<Option<String>> {
    match c.query_one("SELECT locality FROM appeals WHERE id = $1", params![id])? {
        Some(r) => Ok(Some(r.get("locality")?)),
        None => Ok(None),
    }
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

/// Loads the entities change-feed rows point at, as the viewer may see them,
/// with one query per kind (per chunk). Keys are `(kind, id)`; entities the
/// viewer may not see, and unknown kinds, are simply absent.
pub fn entities(
    c: &mut dyn Conn,
    keys: &[(String, String)],
    viewer: Option<&str>,
    today: time::Date,
) -> AppResult<HashMap<(String, String), Entity>> {
    let mut by_kind: HashMap<&str, Vec<String>> = HashMap::new();
    for (kind, id) in keys {
        by_kind.entry(kind.as_str()).or_default().push(id.clone());
    }
    let mut out = HashMap::new();
    let mut put = |kind: &str, id: String, e: Entity| {
        out.insert((kind.to_string(), id), e);
    };
    for (kind, ids) in by_kind {
        match kind {
            "locality" => {
                for l in localities(c)? {
                    if ids.contains(&l.code) {
                        put(kind, l.code.clone(), Entity::Locality(l));
                    }
                }
            }
            "cycle" => {
                for x in cycles(c, &ids)? {
                    put(kind, x.id.clone(), Entity::Cycle(x));
                }
            }
            "proposal" => {
                for x in proposals(c, &ids, viewer)? {
                    put(kind, x.id.clone(), Entity::Proposal(x));
                }
            }
            "comment" => {
                for x in comments(c, &ids, viewer)? {
                    put(kind, x.id.clone(), Entity::Comment(x));
                }
            }
            "appeal" => {
                for x in appeals(c, &ids, viewer, false, today)? {
                    put(kind, x.id.clone(), Entity::Appeal(x));
                }
            }
            // A ballot change is keyed by its cycle and shown only to its voter.
            "ballot" => {
                if let Some(u) = viewer {
                    for x in ballots(c, &ids, u)? {
                        put(kind, x.cycle_id.clone(), Entity::Ballot(x));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Loads the entity a change-feed row points at, if the viewer may see it.
pub fn entity(
    c: &mut dyn Conn,
    kind: &str,
    id: &str,
    viewer: Option<&str>,
    today: time::Date,
) -> AppResult<Option<Entity>> {
    let key = (kind.to_string(), id.to_string());
    Ok(entities(c, std::slice::from_ref(&key), viewer, today)?.remove(&key))
}
