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
    let Some(rule) = dauys_tally_rule(&p.rule) else {
        return Err(Reject::field("rule", "unknown counting rule").into());
    };
    // A threshold rule without its threshold would count as plain greedy
    // while its explanation promised a minimum; a threshold under another
    // rule would be ignored. Either is refused.
    match (rule == "greedy-threshold", p.min_votes) {
        (true, None) => {
            return Err(
                Reject::field("min_votes", "this rule needs the minimum number of votes").into(),
            )
        }
        (true, Some(n)) if !(1..=MAX_MIN_VOTES).contains(&n) => {
            return Err(Reject::field("min_votes", "from 1 to 10,000,000 votes").into())
        }
        (false, Some(_)) => {
            return Err(Reject::field(
                "min_votes",
                "only the threshold rule has a minimum of votes",
            )
            .into())
        }
        _ => {}
    }
    for (k, v) in &p.schedule {
        if Phase::parse(k).is_none() || dauys_proto::workdays::parse_date(v).is_none() {
            return Err(Reject::field("schedule", "phase name → YYYY-MM-DD").into());
        }
    }
    c.exec(
        "INSERT INTO cycles (id, locality, title_kk, title_ru, title_en, budget, max_projects, budget_limited,
           rule, min_age, phase, schedule, created_at, updated_at, min_votes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'collecting', $11, $12, $12, $13)",
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
            ctx.now,
            p.min_votes
        ],
    )?;
    record_change(c, ctx.now, EntityKind::Cycle, id, Some(&p.locality), None)?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

/// The largest minimum of votes a threshold cycle may set.
const MAX_MIN_VOTES: i64 = 10_000_000;

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
    // Opening the vote (from collecting, moderation or review, whether or
    // not those phases were gone through) needs every proposal decided: a
    // proposal still waiting would silently miss the ballot. Closing a
    // cycle outright is always possible.
    if cy.phase < Phase::Voting && p.phase >= Phase::Voting && p.phase != Phase::Closed {
        let waiting = undecided(c, &p.cycle_id)?;
        if waiting > 0 {
            return Err(Reject::new(
                ErrorCode::InvalidTransition,
                format!("{waiting} proposals still wait for moderation, revision or review"),
            )
            .into());
        }
    }
    // Voting is over: counted once this batch has committed (outside the
    // write lock, see `count_closed`), not inside its transaction.
    let closes_voting = p.phase >= Phase::Tallying && cy.phase < Phase::Tallying;
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
    if closes_voting {
        ctx.to_count.push(p.cycle_id.clone());
    }
    Ok(Applied {
        entity_id: p.cycle_id,
        receipt: None,
    })
}

/// Proposals of a cycle not yet decided: waiting for a moderator, for
/// their author's revision or for an expert.
fn undecided(c: &mut dyn Conn, cycle_id: &str) -> AppResult<i64> {
    let waiting = [
        ProposalStatus::Submitted,
        ProposalStatus::InModeration,
        ProposalStatus::NeedsChanges,
        ProposalStatus::Accepted,
        ProposalStatus::ExpertReview,
    ];
    let list = crate::db::placeholders(2, waiting.len());
    let mut args: Vec<crate::db::Value> = vec![cycle_id.into()];
    args.extend(waiting.iter().map(|s| crate::db::Value::from(s.as_str())));
    Ok(c.query_one(
        &format!("SELECT COUNT(*) AS n FROM proposals WHERE cycle_id = $1 AND status IN ({list})"),
        &args,
    )?
    .map(|r| r.get::<i64>("n"))
    .transpose()?
    .unwrap_or(0))
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
    // Only what the rule reads of the cycle and of its projects (read once
    // for a group of ballots: see `Memo`).
    let (cycle, chosen) = if ctx.memo.is_enabled() {
        let rules = ctx
            .memo
            .get_or_load(&format!("ballot-rules {}", p.cycle_id), || {
                super::store::ballot_rules(c, &p.cycle_id)
            })?;
        let (cycle, projects) = rules.as_ref().as_ref().ok_or_else(|| not_found("cycle"))?;
        let chosen: Vec<_> = projects
            .iter()
            .filter(|pr| p.proposal_ids.contains(&pr.id))
            .cloned()
            .collect();
        (cycle.clone(), chosen)
    } else {
        let cycle =
            super::store::ballot_cycle(c, &p.cycle_id)?.ok_or_else(|| not_found("cycle"))?;
        let chosen = super::store::ballot_choices(c, &p.cycle_id, &p.proposal_ids)?;
        (cycle, chosen)
    };
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
            // The device's clock orders a resident's ballots, but never
            // past the server's: a ballot dated in the future would stand
            // against every later one.
            op.client_ts.min(ctx.now),
            ctx.now,
            op.signature.clone().unwrap_or_default(),
            // The key that verified the ballot (not the session's device:
            // a ballot queued offline may be delivered by a later session).
            ctx.signed_by.clone().unwrap_or_default()
        ],
    )?;
    // The writers' lock is held from here to the commit. If it was taken
    // just now (the push's transaction deferred it), voting may have closed
    // since the cycle was read, and a ballot committed after the close
    // would be accepted yet never counted: the phase is read again. Phases
    // change only under the lock, so that reading stands until the commit.
    let locked_now = c.hold_write_lock()?;
    let voter = ctx.actor.user_id.clone();
    ctx.record_change(c, EntityKind::Ballot, &p.cycle_id, None, Some(&voter))?;
    if locked_now {
        let phase = c
            .query_one(
                "SELECT phase FROM cycles WHERE id = $1",
                params![&p.cycle_id],
            )?
            .map(|r| r.get::<String>("phase"))
            .transpose()?;
        if phase.as_deref() != Some(Phase::Voting.as_str()) {
            return Err(Reject::new(ErrorCode::VotingClosed, "voting has closed").into());
        }
    }
    Ok(Applied {
        entity_id: p.cycle_id,
        receipt: Some(receipt),
    })
}

/// A closed vote, counted: read and computed without writing anything.
pub struct Tally {
    cycle_id: String,
    /// On the ballot, in ballot order.
    projects: Vec<String>,
    voters: i64,
    votes: BTreeMap<String, i64>,
    outcome: super::results::Outcome,
}

/// Counts the ballots of a cycle with its rule. Only reads: run it outside
/// the write lock, once voting is closed (no ballot can change any more).
pub fn tally(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Tally> {
    let mut projects: Vec<String> = Vec::new();
    for r in c.query(
        "SELECT id FROM proposals WHERE cycle_id = $1 AND status = 'on_ballot' ORDER BY created_at, id",
        params![cycle_id],
    )? {
        projects.push(r.get("id")?);
    }
    let mut votes: BTreeMap<String, i64> = projects.iter().map(|id| (id.clone(), 0)).collect();
    let mut voters = 0;
    for r in c.query(
        "SELECT proposal_ids FROM ballots WHERE cycle_id = $1",
        params![cycle_id],
    )? {
        let ids: Vec<String> = serde_json::from_str(&r.get::<String>("proposal_ids")?)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        voters += 1;
        for id in ids {
            if let Some(v) = votes.get_mut(&id) {
                *v += 1;
            }
        }
    }
    let outcome = super::results::count(c, cycle_id)?;
    Ok(Tally {
        cycle_id: cycle_id.to_string(),
        projects,
        voters,
        votes,
        outcome,
    })
}

/// Counts every cycle whose voting a committed batch closed, each outside
/// the write lock and then stored in a short write transaction of its own.
/// Also run at start-up: a server stopped between the two finishes here.
pub fn count_closed(c: &mut dyn Conn, cycle_ids: &[String], now: i64) -> AppResult<()> {
    for id in cycle_ids {
        let counted = tally(c, id)?;
        crate::db::write_tx(c, |c| store_results(c, &counted, now))?;
    }
    Ok(())
}

/// Cycles past voting with no results yet.
pub fn uncounted(c: &mut dyn Conn) -> AppResult<Vec<String>> {
    let done: Vec<&str> = Phase::ALL
        .iter()
        .filter(|p| **p >= Phase::Tallying)
        .map(|p| p.as_str())
        .collect();
    let mut params = Vec::new();
    let list = crate::public::store::in_list(
        &mut params,
        &done.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    Ok(c.query(
        &format!("SELECT id FROM cycles WHERE results IS NULL AND phase IN ({list})"),
        &params,
    )?
    .iter()
    .map(|r| r.get("id"))
    .collect::<crate::db::DbResult<_>>()?)
}

/// Counts and stores in the caller's transaction (the demo seed, which
/// runs in one).
pub fn compute_results(c: &mut dyn Conn, cycle_id: &str, now: i64) -> AppResult<()> {
    let counted = tally(c, cycle_id)?;
    store_results(c, &counted, now)
}

/// Marks the projects selected or not and stores the results, once (a
/// second call finds them stored and does nothing).
fn store_results(c: &mut dyn Conn, t: &Tally, now: i64) -> AppResult<()> {
    let done = c
        .query_one(
            "SELECT results FROM cycles WHERE id = $1",
            params![&t.cycle_id],
        )?
        .ok_or_else(|| not_found("cycle"))?;
    if done.get::<Option<String>>("results")?.is_some() {
        return Ok(());
    }
    let (outcome, votes) = (&t.outcome, &t.votes);
    let projects: Vec<(String, ())> = t.projects.iter().map(|p| (p.clone(), ())).collect();
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
            &r.get::<String>("history")?,
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
            Some(&r.get::<String>("locality")?),
            Some(&r.get::<String>("author")?),
        )?;
    }
    let results = CycleResults {
        computed_at: now,
        voters: t.voters,
        rule: outcome.rule.clone(),
        selected: outcome.selected.clone(),
        cost: outcome.cost,
        votes: votes.clone(),
    };
    c.exec(
        "UPDATE cycles SET results = $2 WHERE id = $1",
        params![&t.cycle_id, to_json(&results)?],
    )?;
    Ok(())
}
