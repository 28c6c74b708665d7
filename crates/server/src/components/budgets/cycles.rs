//! PB cycles: creation, phases, ballots and results.

use std::collections::{BTreeMap, HashSet};

use dauys_proto::budgets::check_ballot;
use dauys_proto::EntityKind;
use dauys_proto::{
    BallotCastPayload, CycleCreatePayload, CyclePhasePayload, CycleResults, ErrorCode, Op, Phase,
    ProposalStatus, Role,
};

use crate::auth::require_role;
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::ops::{not_found, record_change, text, to_json, Applied, Ctx};
use crate::params;

pub fn create(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    id: &str,
    p: CycleCreatePayload,
) -> AppResult<Applied> {
    require_role(c, ctx.actor, &[Role::Official], &p.locality)?;
    if c.query_one(
        "SELECT 1 FROM localities WHERE code = $1",
        params![&p.locality],
    )?
    .is_none()
    {
        return Err(Reject::field("locality", "no such locality").into());
    }
    for (f, v) in [
        ("title.kk", &p.title.kk),
        ("title.ru", &p.title.ru),
        ("title.en", &p.title.en),
    ] {
        text(f, v, 200, true)?;
    }
    dauys_proto::budgets::check_amount("budget", p.budget)?;
    if p.max_projects.is_some_and(|m| m < 1) {
        return Err(Reject::field("max_projects", "at least one project per ballot").into());
    }
    if !(0..=120).contains(&p.min_age) {
        return Err(Reject::field("min_age", "age out of range").into());
    }
    if dauys_tally_rule(&p.rule).is_none() {
        return Err(Reject::field("rule", "unknown counting rule").into());
    }
    for (k, v) in &p.schedule {
        if Phase::parse(k).is_none() || dauys_proto::workdays::parse_date(v).is_none() {
            return Err(Reject::field("schedule", "phase name → YYYY-MM-DD").into());
        }
    }
    c.exec(
        "INSERT INTO cycles (id, locality, title_kk, title_ru, title_en, budget, max_projects, budget_limited,
           rule, min_age, phase, schedule, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'collecting', $11, $12, $12)",
        params![
            id,
            &p.locality,
            p.title.kk.trim(),
            p.title.ru.trim(),
            p.title.en.trim(),
            p.budget,
            p.max_projects,
            p.budget_limited_ballot,
            &p.rule,
            p.min_age,
            to_json(&p.schedule)?,
            ctx.now
        ],
    )?;
    record_change(c, ctx.now, EntityKind::Cycle, id, Some(&p.locality), None)?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

/// Normalized rule name if the tally engine knows it.
pub fn dauys_tally_rule(rule: &str) -> Option<String> {
    super::results::normalize_rule(rule)
}

pub fn phase(c: &mut dyn Conn, ctx: &mut Ctx, p: CyclePhasePayload) -> AppResult<Applied> {
    let cy = crate::read::cycle(c, &p.cycle_id)?.ok_or_else(|| not_found("cycle"))?;
    require_role(c, ctx.actor, &[Role::Official], &cy.locality)?;
    if p.phase <= cy.phase {
        return Err(Reject::new(
            ErrorCode::InvalidTransition,
            format!("phases only move forward (now {})", cy.phase.as_str()),
        )
        .into());
    }
    if p.phase >= Phase::Tallying && cy.phase < Phase::Tallying {
        // Voting is over: count now, inside this transaction.
        compute_results(c, &p.cycle_id, ctx.now)?;
    }
    c.exec(
        "UPDATE cycles SET phase = $2, updated_at = $3 WHERE id = $1",
        params![&p.cycle_id, p.phase.as_str(), ctx.now],
    )?;
    record_change(
        c,
        ctx.now,
        EntityKind::Cycle,
        &p.cycle_id,
        Some(&cy.locality),
        None,
    )?;
    Ok(Applied {
        entity_id: p.cycle_id,
        receipt: None,
    })
}

/// Validates and stores a ballot. The latest cast (by the device's time,
/// then op id) is the one counted; an older cast arriving late is accepted
/// as delivered but does not replace the newer one.
pub fn cast(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op_id: &str,
    p: BallotCastPayload,
    op: &Op,
) -> AppResult<Applied> {
    // Only what the rule reads of the cycle and of the chosen projects.
    let cycle = super::store::ballot_cycle(c, &p.cycle_id)?.ok_or_else(|| not_found("cycle"))?;
    let chosen = super::store::ballot_choices(c, &p.cycle_id, &p.proposal_ids)?;
    // The shared ballot rule (the same code the app and `dauys vote` run).
    // Its first check (voting open) comes before eligibility and age, the
    // rest after them: the order of rejections clients have always seen.
    let verdict = check_ballot(&cycle, &chosen, &p.proposal_ids);
    if let Err(e) = &verdict {
        if e.code == ErrorCode::VotingClosed {
            return Err(e.clone().into());
        }
    }
    let home = ctx.actor.locality.clone();
    if !ctx.locality_within(c, &home, &cycle.locality)? {
        return Err(Reject::new(
            ErrorCode::NotEligible,
            "only residents of the locality vote in this cycle",
        )
        .into());
    }
    let age = dauys_proto::iin::age_on(ctx.actor.birth_date, ctx.today);
    if i64::from(age) < cycle.min_age {
        return Err(Reject::new(
            ErrorCode::UnderAge,
            format!("voting in this cycle starts at {} years", cycle.min_age),
        )
        .into());
    }
    verdict?;
    let receipt = crate::crypto::receipt(&ctx.st.secret, "ballot", op_id);
    let mut ids = p.proposal_ids.clone();
    ids.sort();
    c.exec(
        "INSERT INTO ballots (cycle_id, user_id, op_id, proposal_ids, receipt, client_ts, cast_at, signature, device_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (cycle_id, user_id) DO UPDATE SET op_id = excluded.op_id,
           proposal_ids = excluded.proposal_ids, receipt = excluded.receipt, client_ts = excluded.client_ts,
           cast_at = excluded.cast_at, signature = excluded.signature, device_key = excluded.device_key
         WHERE ballots.client_ts < excluded.client_ts
            OR (ballots.client_ts = excluded.client_ts AND ballots.op_id < excluded.op_id)",
        params![
            &p.cycle_id,
            &ctx.actor.user_id,
            op_id,
            to_json(&ids)?,
            &receipt,
            op.client_ts,
            ctx.now,
            op.signature.clone().unwrap_or_default(),
            &ctx.actor.device_id
        ],
    )?;
    record_change(
        c,
        ctx.now,
        EntityKind::Ballot,
        &p.cycle_id,
        None,
        Some(&ctx.actor.user_id),
    )?;
    Ok(Applied {
        entity_id: p.cycle_id,
        receipt: Some(receipt),
    })
}

/// Counts the ballots of a cycle with its rule, marks proposals selected or
/// not, and stores the results. Runs inside the phase-change transaction.
pub fn compute_results(c: &mut dyn Conn, cycle_id: &str, now: i64) -> AppResult<CycleResults> {
    let cy = c
        .query_one(
            "SELECT budget, rule FROM cycles WHERE id = $1",
            params![cycle_id],
        )?
        .ok_or_else(|| not_found("cycle"))?;
    let _ = (cy.i64(0)?, cy.str(1)?);
    let mut projects = Vec::new();
    for r in c.query(
        "SELECT id FROM proposals WHERE cycle_id = $1 AND status = 'on_ballot' ORDER BY created_at, id",
        params![cycle_id],
    )? {
        projects.push((r.str(0)?, ()));
    }
    let mut ballots: Vec<Vec<String>> = Vec::new();
    for r in c.query(
        "SELECT proposal_ids FROM ballots WHERE cycle_id = $1",
        params![cycle_id],
    )? {
        ballots
            .push(serde_json::from_str(&r.str(0)?).map_err(|e| AppError::Internal(e.to_string()))?);
    }
    let outcome = super::results::count(c, cycle_id)?;
    let mut votes = BTreeMap::new();
    for (id, _) in &projects {
        votes.insert(id.clone(), 0i64);
    }
    for b in &ballots {
        for id in b {
            if let Some(v) = votes.get_mut(id) {
                *v += 1;
            }
        }
    }
    let selected: HashSet<&String> = outcome.selected.iter().collect();
    for (id, _) in &projects {
        let status = if selected.contains(id) {
            ProposalStatus::Selected
        } else {
            ProposalStatus::NotSelected
        };
        let r = c
            .query_one(
                "SELECT history, locality, author FROM proposals WHERE id = $1",
                params![id],
            )?
            .ok_or_else(|| not_found("proposal"))?;
        let history = crate::kernel::ops::push_history(
            &r.str(0)?,
            dauys_proto::HistoryEvent {
                at: now,
                status: status.as_str().into(),
                note: format!("{} votes", votes.get(id).copied().unwrap_or(0)),
            },
        )?;
        c.exec(
            "UPDATE proposals SET status = $2, votes = $3, history = $4, updated_at = $5 WHERE id = $1",
            params![id, status.as_str(), votes.get(id).copied().unwrap_or(0), history, now],
        )?;
        record_change(
            c,
            now,
            EntityKind::Proposal,
            id,
            Some(&r.str(1)?),
            Some(&r.str(2)?),
        )?;
    }
    let results = CycleResults {
        computed_at: now,
        voters: ballots.len() as i64,
        rule: outcome.rule,
        selected: outcome.selected,
        cost: outcome.cost,
        votes,
    };
    c.exec(
        "UPDATE cycles SET results = $2 WHERE id = $1",
        params![cycle_id, to_json(&results)?],
    )?;
    Ok(results)
}
