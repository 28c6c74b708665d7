//! Loading entities as a given viewer may see them. Privacy is enforced
//! here, at read time, whatever the change feed pointed at.

use dauys_proto::workdays::parse_date;
use dauys_proto::{
    Appeal, AppealStatus, AppealType, Ballot, Body, BodyKind, Comment, Cycle, Entity, GeoPoint,
    Locality, LocalityLevel, Localized, Phase, Proposal, ProposalStatus,
};

use crate::apply::proposals_public;
use crate::db::{Conn, Row};
use crate::error::{AppError, AppResult};
use crate::params;

fn json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

fn enum_of<T: serde::de::DeserializeOwned>(s: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| AppError::Internal(format!("stored value {s}: {e}")))
}

fn point(r: &Row, lat: usize) -> AppResult<Option<GeoPoint>> {
    Ok(match (r.opt_f64(lat)?, r.opt_f64(lat + 1)?) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        _ => None,
    })
}

pub fn localities(c: &mut dyn Conn) -> AppResult<Vec<Locality>> {
    let mut bodies: Vec<Body> = Vec::new();
    for r in c.query(
        "SELECT id, locality, kind, name_kk, name_ru, name_en FROM bodies ORDER BY sort, id",
        params![],
    )? {
        bodies.push(Body {
            id: r.str(0)?,
            locality: r.str(1)?,
            kind: enum_of::<BodyKind>(&r.str(2)?)?,
            name: Localized::new(&r.str(3)?, &r.str(4)?, &r.str(5)?),
        });
    }
    let mut out = Vec::new();
    for r in c.query(
        "SELECT code, parent, level, name_kk, name_ru, name_en FROM localities ORDER BY code",
        params![],
    )? {
        let code = r.str(0)?;
        out.push(Locality {
            bodies: bodies
                .iter()
                .filter(|b| b.locality == code)
                .cloned()
                .collect(),
            code,
            parent: r.opt_str(1)?,
            level: enum_of::<LocalityLevel>(&r.str(2)?)?,
            name: Localized::new(&r.str(3)?, &r.str(4)?, &r.str(5)?),
        });
    }
    Ok(out)
}

pub fn locality(c: &mut dyn Conn, code: &str) -> AppResult<Option<Locality>> {
    Ok(localities(c)?.into_iter().find(|l| l.code == code))
}

pub fn cycle(c: &mut dyn Conn, id: &str) -> AppResult<Option<Cycle>> {
    let Some(r) = c.query_one(
        "SELECT id, locality, title_kk, title_ru, title_en, budget, max_projects, budget_limited, rule, min_age,
           phase, schedule, results FROM cycles WHERE id = $1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Cycle {
        id: r.str(0)?,
        locality: r.str(1)?,
        title: Localized::new(&r.str(2)?, &r.str(3)?, &r.str(4)?),
        budget: r.i64(5)?,
        max_projects: r.opt_i64(6)?,
        budget_limited_ballot: r.bool(7)?,
        rule: r.str(8)?,
        min_age: r.i64(9)?,
        phase: Phase::parse(&r.str(10)?).unwrap_or(Phase::Closed),
        schedule: json(&r.str(11)?),
        results: r.opt_str(12)?.and_then(|s| serde_json::from_str(&s).ok()),
    }))
}

pub fn cycles_of(c: &mut dyn Conn, locality: &str) -> AppResult<Vec<Cycle>> {
    let ids: Vec<String> = c
        .query(
            "SELECT id FROM cycles WHERE locality = $1 ORDER BY created_at DESC",
            params![locality],
        )?
        .iter()
        .map(|r| r.str(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(cycle(c, &id)?);
    }
    Ok(out)
}

pub fn proposal(c: &mut dyn Conn, id: &str, viewer: Option<&str>) -> AppResult<Option<Proposal>> {
    let Some(r) = c.query_one(
        "SELECT p.id, p.cycle_id, p.locality, p.author, p.title, p.description, p.category, p.cost, p.lat, p.lon,
           p.media, p.status, p.expert_cost, p.expert_note, p.votes, p.progress, p.history, p.created_at,
           p.updated_at, c.phase FROM proposals p JOIN cycles c ON c.id = p.cycle_id WHERE p.id = $1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let status: ProposalStatus = enum_of(&r.str(11)?)?;
    let mine = viewer == Some(r.str(3)?.as_str());
    if !mine && !proposals_public(status) {
        return Ok(None);
    }
    // Tallies stay secret until voting is over.
    let counted = Phase::parse(&r.str(19)?).is_some_and(|p| p >= Phase::Tallying);
    Ok(Some(Proposal {
        id: r.str(0)?,
        cycle_id: r.str(1)?,
        locality: r.str(2)?,
        title: r.str(4)?,
        description: r.str(5)?,
        category: r.str(6)?,
        cost: r.i64(7)?,
        location: point(&r, 8)?,
        media: json(&r.str(10)?),
        status,
        expert_cost: r.opt_i64(12)?,
        expert_note: r.opt_str(13)?,
        votes: if counted { r.opt_i64(14)? } else { None },
        progress: r.opt_i64(15)?,
        history: json(&r.str(16)?),
        mine,
        created_at: r.i64(17)?,
        updated_at: r.i64(18)?,
    }))
}

pub fn proposals_of(
    c: &mut dyn Conn,
    cycle_id: &str,
    viewer: Option<&str>,
) -> AppResult<Vec<Proposal>> {
    let ids: Vec<String> = c
        .query(
            "SELECT id FROM proposals WHERE cycle_id = $1 ORDER BY created_at, id",
            params![cycle_id],
        )?
        .iter()
        .map(|r| r.str(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(proposal(c, &id, viewer)?);
    }
    Ok(out)
}

pub fn comment(c: &mut dyn Conn, id: &str, viewer: Option<&str>) -> AppResult<Option<Comment>> {
    let Some(r) = c.query_one(
        "SELECT id, proposal_id, locality, author, body, visible, created_at FROM comments WHERE id = $1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let mine = viewer == Some(r.str(3)?.as_str());
    let visible = r.bool(5)?;
    let target = dauys_proto::CommentTarget::proposal(&r.str(1)?);
    Ok(Some(Comment {
        id: r.str(0)?,
        proposal_id: target.proposal_id(),
        target,
        locality: r.str(2)?,
        body: if visible || mine {
            r.str(4)?
        } else {
            String::new()
        },
        visible,
        mine,
        created_at: r.i64(6)?,
    }))
}

pub fn comments_of(
    c: &mut dyn Conn,
    proposal_id: &str,
    viewer: Option<&str>,
) -> AppResult<Vec<Comment>> {
    let ids: Vec<String> = c
        .query(
            "SELECT id FROM comments WHERE proposal_id = $1 ORDER BY created_at, id",
            params![proposal_id],
        )?
        .iter()
        .map(|r| r.str(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(comment(c, &id, viewer)?);
    }
    Ok(out)
}

/// An appeal as `viewer` may see it; `official` lets staff see private ones.
pub fn appeal(
    c: &mut dyn Conn,
    id: &str,
    viewer: Option<&str>,
    official: bool,
    today: time::Date,
) -> AppResult<Option<Appeal>> {
    let Some(r) = c.query_one(
        "SELECT id, user_id, appeal_type, addressee, locality, subject, body, lat, lon, public, media, status,
           reg_number, submitted_at, registered_on, due_date, answer, history FROM appeals WHERE id = $1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let mine = viewer == Some(r.str(1)?.as_str());
    let public = r.bool(9)?;
    if !mine && !public && !official {
        return Ok(None);
    }
    let status: AppealStatus = enum_of(&r.str(11)?)?;
    let due_date = r.opt_str(15)?;
    let overdue = status.is_open()
        && due_date
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|d| d < today);
    Ok(Some(Appeal {
        id: r.str(0)?,
        appeal_type: enum_of::<AppealType>(&r.str(2)?)?,
        addressee: r.str(3)?,
        locality: r.str(4)?,
        subject: r.str(5)?,
        body: r.str(6)?,
        location: point(&r, 7)?,
        public,
        media: json(&r.str(10)?),
        status,
        registration_number: r.opt_str(12)?,
        submitted_at: r.i64(13)?,
        registered_on: r.opt_str(14)?,
        due_date,
        overdue,
        answer: r.opt_str(16)?,
        history: json(&r.str(17)?),
        mine,
    }))
}

pub fn ballot(c: &mut dyn Conn, cycle_id: &str, user_id: &str) -> AppResult<Option<Ballot>> {
    let Some(r) = c.query_one(
        "SELECT cycle_id, proposal_ids, receipt, op_id, cast_at FROM ballots WHERE cycle_id = $1 AND user_id = $2",
        params![cycle_id, user_id],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Ballot {
        cycle_id: r.str(0)?,
        proposal_ids: json(&r.str(1)?),
        receipt: r.str(2)?,
        op_id: r.str(3)?,
        cast_at: r.i64(4)?,
    }))
}

/// Loads the entity a change-feed row points at, if the viewer may see it.
pub fn entity(
    c: &mut dyn Conn,
    kind: &str,
    id: &str,
    viewer: Option<&str>,
    today: time::Date,
) -> AppResult<Option<Entity>> {
    Ok(match kind {
        "locality" => locality(c, id)?.map(Entity::Locality),
        "cycle" => cycle(c, id)?.map(Entity::Cycle),
        "proposal" => proposal(c, id, viewer)?.map(Entity::Proposal),
        "comment" => comment(c, id, viewer)?.map(Entity::Comment),
        "appeal" => appeal(c, id, viewer, false, today)?.map(Entity::Appeal),
        "ballot" => match viewer {
            Some(u) => ballot(c, id, u)?.map(Entity::Ballot),
            None => None,
        },
        _ => None,
    })
}
