//! PB proposals: submission, moderation, expert review, implementation;
//! proposals as comment targets.

use dauys_proto::budgets::{check_amount, in_moderation};
use dauys_proto::limits::{MAX_BODY_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS};
use dauys_proto::EntityKind;
use dauys_proto::{
    CommentTarget, ErrorCode, MediaAttachPayload, ModerationDecision, Phase,
    ProposalModeratePayload, ProposalProgressPayload, ProposalReviewPayload, ProposalRevisePayload,
    ProposalStatus, ProposalSubmitPayload, ProposalWithdrawPayload, Role,
};

use crate::auth::{require_role, Actor};
use crate::components::comments::{Commentable, CommentableItem};
use crate::db::{Conn, Value};
use crate::error::{AppResult, Reject};
use crate::kernel::ops::{
    check_media, not_found, record_change, set_status_with_history, text, to_json, Applied, Ctx,
    Tracked,
};
use crate::params;

/// Proposals become public once a moderator has passed or refused them;
/// one its author withdrew before that never does.
pub fn is_public(s: ProposalStatus) -> bool {
    !in_moderation(s) && s != ProposalStatus::Withdrawn
}

pub fn cycle_phase(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Option<(Phase, String)>> {
    Ok(
        match c.query_one(
            "SELECT phase, locality FROM cycles WHERE id = $1",
            params![cycle_id],
        )? {
            Some(r) => Some((
                Phase::parse(&r.get::<String>("phase")?).unwrap_or(Phase::Closed),
                r.get("locality")?,
            )),
            None => None,
        },
    )
}

pub fn submit(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    id: &str,
    p: ProposalSubmitPayload,
) -> AppResult<Applied> {
    let title = text("title", &p.title, MAX_TITLE_CHARS, true)?;
    let description = text("description", &p.description, MAX_BODY_CHARS, true)?;
    let category = text("category", &p.category, 50, true)?;
    check_amount("cost", p.cost)?;
    if p.location.is_some_and(|l| !l.is_valid()) {
        return Err(Reject::field("location", "coordinates out of range").into());
    }
    let (phase, locality) =
        cycle_phase(c, &p.cycle_id)?.ok_or_else(|| Reject::field("cycle_id", "no such cycle"))?;
    if phase != Phase::Collecting {
        return Err(Reject::new(
            ErrorCode::PhaseClosed,
            "this cycle is not collecting proposals",
        )
        .into());
    }
    let home = ctx.actor.locality.clone();
    if !ctx.locality_within(c, &home, &locality)? {
        return Err(Reject::new(
            ErrorCode::NotEligible,
            "proposals come from residents of the locality",
        )
        .into());
    }
    check_media(c, ctx, &p.media, "proposal", id)?;
    let history = crate::kernel::ops::submitted_history(ctx.now)?;
    c.exec(
        "INSERT INTO proposals (id, cycle_id, locality, author, title, description, category, cost, lat, lon,
           media, status, history, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', $12, $13, $13)",
        params![
            id,
            &p.cycle_id,
            &locality,
            &ctx.actor.user_id,
            title,
            description,
            category,
            p.cost,
            p.location.map(|l| l.lat),
            p.location.map(|l| l.lon),
            to_json(&p.media)?,
            history,
            ctx.now
        ],
    )?;
    record_change(
        c,
        ctx.now,
        EntityKind::Proposal,
        id,
        None,
        Some(&ctx.actor.user_id),
    )?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

struct ProposalRow {
    locality: String,
    author: String,
    status: ProposalStatus,
    history: String,
    /// Its cycle's phase.
    cycle_phase: Phase,
}

fn load(c: &mut dyn Conn, id: &str) -> AppResult<ProposalRow> {
    let r = c
        .query_one(
            "SELECT p.locality, p.author, p.status, p.history, c.phase FROM proposals p
               JOIN cycles c ON c.id = p.cycle_id WHERE p.id = $1",
            params![id],
        )?
        .ok_or_else(|| not_found("proposal"))?;
    Ok(ProposalRow {
        locality: r.get("locality")?,
        author: r.get("author")?,
        status: ProposalStatus::parse(&r.get::<String>("status")?)
            .unwrap_or(ProposalStatus::Submitted),
        history: r.get("history")?,
        cycle_phase: Phase::parse(&r.get::<String>("phase")?).unwrap_or(Phase::Closed),
    })
}

/// The ballot is fixed once voting opens: no proposal is moderated,
/// revised or reviewed onto (or off) it from then on.
fn before_voting(p: &ProposalRow) -> Result<(), Reject> {
    if p.cycle_phase >= Phase::Voting {
        return Err(Reject::new(
            ErrorCode::PhaseClosed,
            format!(
                "proposals are not changed once voting has begun (phase {})",
                p.cycle_phase.as_str()
            ),
        ));
    }
    Ok(())
}

fn invalid(from: ProposalStatus) -> Reject {
    Reject::new(
        ErrorCode::InvalidTransition,
        format!("not possible while the proposal is {}", from.as_str()),
    )
}

/// Moves a proposal to `status`, appending a public history note.
#[allow(clippy::too_many_arguments)]
fn set_status(
    c: &mut dyn Conn,
    ctx: &Ctx,
    id: &str,
    p: &ProposalRow,
    status: ProposalStatus,
    note: &str,
    set_sql: &str,
    extra: &[Value],
) -> AppResult<Applied> {
    set_status_with_history(
        c,
        ctx.now,
        Tracked::Proposals,
        id,
        status.as_str(),
        &p.history,
        note,
        set_sql,
        extra,
    )?;
    let public = is_public(status).then_some(p.locality.as_str());
    record_change(
        c,
        ctx.now,
        EntityKind::Proposal,
        id,
        public,
        Some(&p.author),
    )?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

pub fn moderate(c: &mut dyn Conn, ctx: &mut Ctx, m: ProposalModeratePayload) -> AppResult<Applied> {
    let p = load(c, &m.proposal_id)?;
    require_role(
        c,
        ctx.actor,
        &[Role::Moderator, Role::Official],
        &p.locality,
    )?;
    if !in_moderation(p.status) {
        return Err(invalid(p.status).into());
    }
    before_voting(&p)?;
    let reason = text(
        "reason",
        &m.reason,
        MAX_REASON_CHARS,
        m.decision != ModerationDecision::Accept,
    )?;
    let status = match m.decision {
        ModerationDecision::Accept => ProposalStatus::Accepted,
        ModerationDecision::NeedsChanges => ProposalStatus::NeedsChanges,
        ModerationDecision::Reject => ProposalStatus::Rejected,
    };
    set_status(c, ctx, &m.proposal_id, &p, status, &reason, "", &[])
}

/// The author revises a proposal sent back for changes; it returns to
/// moderation with the new content (the history keeps both steps).
pub fn revise(c: &mut dyn Conn, ctx: &mut Ctx, r: ProposalRevisePayload) -> AppResult<Applied> {
    let p = load(c, &r.proposal_id)?;
    if p.author != ctx.actor.user_id {
        // Someone else's proposal: as if it did not exist.
        return Err(not_found("proposal"));
    }
    if p.status != ProposalStatus::NeedsChanges {
        return Err(invalid(p.status).into());
    }
    before_voting(&p)?;
    let title = text("title", &r.title, MAX_TITLE_CHARS, true)?;
    let description = text("description", &r.description, MAX_BODY_CHARS, true)?;
    let category = text("category", &r.category, 50, true)?;
    check_amount("cost", r.cost)?;
    set_status(
        c,
        ctx,
        &r.proposal_id,
        &p,
        ProposalStatus::Submitted,
        "",
        "UPDATE proposals SET title = $2, description = $3, category = $4, cost = $5 WHERE id = $1",
        &[
            title.into(),
            description.into(),
            category.into(),
            r.cost.into(),
        ],
    )
}

/// The author takes back a proposal no moderator has passed yet. It
/// leaves the moderators' queue and is never published; the author's
/// own list keeps it, marked withdrawn.
pub fn withdraw(c: &mut dyn Conn, ctx: &mut Ctx, w: ProposalWithdrawPayload) -> AppResult<Applied> {
    let p = load(c, &w.proposal_id)?;
    if p.author != ctx.actor.user_id {
        // Someone else's proposal: as if it did not exist.
        return Err(not_found("proposal"));
    }
    if !in_moderation(p.status) {
        return Err(invalid(p.status).into());
    }
    set_status(
        c,
        ctx,
        &w.proposal_id,
        &p,
        ProposalStatus::Withdrawn,
        "",
        "",
        &[],
    )
}

pub fn review(c: &mut dyn Conn, ctx: &mut Ctx, r: ProposalReviewPayload) -> AppResult<Applied> {
    let p = load(c, &r.proposal_id)?;
    require_role(c, ctx.actor, &[Role::Expert, Role::Official], &p.locality)?;
    if !matches!(
        p.status,
        ProposalStatus::Accepted | ProposalStatus::ExpertReview
    ) {
        return Err(invalid(p.status).into());
    }
    before_voting(&p)?;
    check_amount("cost_estimate", r.cost_estimate)?;
    let note = text("note", &r.note, MAX_REASON_CHARS, !r.feasible)?;
    let status = if r.feasible {
        ProposalStatus::OnBallot
    } else {
        ProposalStatus::Rejected
    };
    set_status(
        c,
        ctx,
        &r.proposal_id,
        &p,
        status,
        &note,
        "UPDATE proposals SET expert_cost = $2, expert_note = $3 WHERE id = $1",
        &[r.cost_estimate.into(), note.clone().into()],
    )
}

pub fn progress(c: &mut dyn Conn, ctx: &mut Ctx, r: ProposalProgressPayload) -> AppResult<Applied> {
    let p = load(c, &r.proposal_id)?;
    require_role(c, ctx.actor, &[Role::Official], &p.locality)?;
    if !matches!(
        p.status,
        ProposalStatus::Selected | ProposalStatus::InImplementation
    ) {
        return Err(invalid(p.status).into());
    }
    if !(0..=100).contains(&r.progress) {
        return Err(Reject::field("progress", "progress is a percentage 0–100").into());
    }
    let note = text("note", &r.note, MAX_REASON_CHARS, false)?;
    check_media(c, ctx, &r.media, "proposal", &r.proposal_id)?;
    let mut media: Vec<String> = match c.query_one(
        "SELECT media FROM proposals WHERE id = $1",
        params![&r.proposal_id],
    )? {
        Some(row) => serde_json::from_str(&row.get::<String>("media")?).unwrap_or_default(),
        None => Vec::new(),
    };
    for m in &r.media {
        if !media.contains(m) {
            media.push(m.clone());
        }
    }
    if media.len() > dauys_proto::limits::MAX_MEDIA_PER_ITEM {
        return Err(Reject::field("media", "too many attachments").into());
    }
    let status = if r.progress == 100 {
        ProposalStatus::Done
    } else {
        ProposalStatus::InImplementation
    };
    let note = format!(
        "{}%{}{}",
        r.progress,
        if note.is_empty() { "" } else { " — " },
        note
    );
    set_status(
        c,
        ctx,
        &r.proposal_id,
        &p,
        status,
        &note,
        "UPDATE proposals SET progress = $2, media = $3 WHERE id = $1",
        &[r.progress.into(), to_json(&media)?.into()],
    )
}

/// Budgets proposals take comments once public (their author may comment
/// before): the comments component asks through this.
pub struct ProposalComments;

impl Commentable for ProposalComments {
    fn kind(&self) -> &'static str {
        CommentTarget::PROPOSAL
    }

    fn lookup(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
    ) -> AppResult<Option<CommentableItem>> {
        let Some(r) = c.query_one(
            "SELECT locality, author, status FROM proposals WHERE id = $1",
            params![id],
        )?
        else {
            return Ok(None);
        };
        let author: String = r.get("author")?;
        let status = ProposalStatus::parse(&r.get::<String>("status")?);
        if !status.is_some_and(is_public) && author != actor.user_id {
            return Ok(None);
        }
        Ok(Some(CommentableItem {
            locality: r.get("locality")?,
            accepts_comments: true,
        }))
    }

    fn visible(
        &self,
        c: &mut dyn Conn,
        ids: &[String],
        viewer: Option<&str>,
    ) -> AppResult<std::collections::HashSet<String>> {
        Ok(super::store::proposals(c, ids, viewer)?
            .into_iter()
            .map(|p| p.id)
            .collect())
    }
}

pub fn attach_media(c: &mut dyn Conn, ctx: &mut Ctx, m: MediaAttachPayload) -> AppResult<Applied> {
    // One fixed statement pair per attachable kind: no SQL built from names.
    let (kind, select, update) = match m.target_kind.as_str() {
        "appeal" => (
            EntityKind::Appeal,
            "SELECT media, locality FROM appeals WHERE id = $1 AND user_id = $2",
            "UPDATE appeals SET media = $2, updated_at = $3 WHERE id = $1",
        ),
        "proposal" => (
            EntityKind::Proposal,
            "SELECT media, locality FROM proposals WHERE id = $1 AND author = $2",
            "UPDATE proposals SET media = $2, updated_at = $3 WHERE id = $1",
        ),
        _ => return Err(Reject::field("target_kind", "appeal or proposal").into()),
    };
    check_media(
        c,
        ctx,
        std::slice::from_ref(&m.upload_id),
        &m.target_kind,
        &m.target_id,
    )?;
    let r = c
        .query_one(select, params![&m.target_id, &ctx.actor.user_id])?
        .ok_or_else(|| not_found(&m.target_kind))?;
    let mut media: Vec<String> =
        serde_json::from_str(&r.get::<String>("media")?).unwrap_or_default();
    if !media.contains(&m.upload_id) {
        media.push(m.upload_id.clone());
    }
    if media.len() > dauys_proto::limits::MAX_MEDIA_PER_ITEM {
        return Err(Reject::field("upload_id", "too many attachments").into());
    }
    c.exec(update, params![&m.target_id, to_json(&media)?, ctx.now])?;
    // Visibility is recomputed when the entity is read; the owner always sees it.
    let locality: String = r.get("locality")?;
    record_change(
        c,
        ctx.now,
        kind,
        &m.target_id,
        Some(&locality),
        Some(&ctx.actor.user_id),
    )?;
    Ok(Applied {
        entity_id: m.target_id,
        receipt: None,
    })
}
