//! Appeals to akimats: submission by residents, the legal timeline by officials.

use dauys_proto::limits::{MAX_BODY_CHARS, MAX_REASON_CHARS, MAX_SUBJECT_CHARS};
use dauys_proto::workdays::{
    self, Calendar, ANSWER_WORKING_DAYS, MAX_EXTENSION_MONTHS, REDIRECT_WORKING_DAYS,
};
use dauys_proto::EntityKind;
use dauys_proto::{
    AppealAnswerPayload, AppealDismissPayload, AppealExtendPayload, AppealRedirectPayload,
    AppealRegisterPayload, AppealStatus, AppealSubmitPayload, ErrorCode, Op, Role,
};

use crate::auth::require_role_at;
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::kernel::ops::{
    check_media, not_found, record_change, set_status_with_history, text, to_json, Applied, Ctx,
    Tracked,
};
use crate::params;

/// The locality of a body that receives appeals.
fn body_locality(c: &mut dyn Conn, body: &str) -> AppResult<Option<String>> {
    Ok(
        c.query_one("SELECT locality FROM bodies WHERE id = $1", params![body])?
            .map(|r| r.get("locality"))
            .transpose()?,
    )
}

fn changed(
    c: &mut dyn Conn,
    ctx: &Ctx,
    id: &str,
    public: bool,
    locality: &str,
    owner: &str,
) -> AppResult<()> {
    record_change(
        c,
        ctx.now,
        EntityKind::Appeal,
        id,
        public.then_some(locality),
        Some(owner),
    )
}

pub fn submit(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    id: &str,
    p: AppealSubmitPayload,
    op: &Op,
) -> AppResult<Applied> {
    let subject = text("subject", &p.subject, MAX_SUBJECT_CHARS, true)?;
    let body = text("body", &p.body, MAX_BODY_CHARS, true)?;
    if p.location.is_some_and(|l| !l.is_valid()) {
        return Err(Reject::field("location", "coordinates out of range").into());
    }
    let locality = body_locality(c, &p.addressee)?
        .ok_or_else(|| Reject::field("addressee", "no such akimat or department"))?;
    check_media(c, ctx, &p.media, "appeal", id)?;
    let sms_lang = super::notify::sms_lang(p.sms_on_answer.as_deref())?;
    let history = crate::kernel::ops::submitted_history(ctx.now)?;
    c.exec(
        "INSERT INTO appeals (id, user_id, appeal_type, addressee, locality, subject, body, lat, lon, public,
           media, status, submitted_at, history, signature, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', $12, $13, $14, $12)",
        params![
            id,
            &ctx.actor.user_id,
            p.appeal_type.as_str(),
            &p.addressee,
            &locality,
            subject,
            body,
            p.location.map(|l| l.lat),
            p.location.map(|l| l.lon),
            p.public,
            to_json(&p.media)?,
            ctx.now,
            history,
            op.signature.clone().unwrap_or_default()
        ],
    )?;
    if let Some(lang) = sms_lang {
        c.exec(
            "UPDATE appeals SET sms_lang = $2 WHERE id = $1",
            params![id, lang],
        )?;
    }
    changed(c, ctx, id, p.public, &locality, &ctx.actor.user_id.clone())?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: Some(crate::crypto::receipt(&ctx.st.secret, "appeal", id)),
    })
}

struct AppealRow {
    user_id: String,
    addressee: String,
    locality: String,
    public: bool,
    status: AppealStatus,
    registered_on: Option<String>,
    due_date: Option<String>,
    history: String,
}

/// Loads an appeal and checks the actor is an official where it now lies.
fn load_for_official(c: &mut dyn Conn, ctx: &Ctx, id: &str) -> AppResult<AppealRow> {
    let r = c
        .query_one(
            "SELECT user_id, addressee, locality, public, status, registered_on, due_date, history
             FROM appeals WHERE id = $1",
            params![id],
        )?
        .ok_or_else(|| not_found("appeal"))?;
    let a = AppealRow {
        user_id: r.get("user_id")?,
        addressee: r.get("addressee")?,
        locality: r.get("locality")?,
        public: r.get("public")?,
        status: AppealStatus::parse(&r.get::<String>("status")?).unwrap_or(AppealStatus::Submitted),
        registered_on: r.get("registered_on")?,
        due_date: r.get("due_date")?,
        history: r.get("history")?,
    };
    require_role_at(
        c,
        ctx.actor,
        &[Role::Official],
        &a.locality,
        Some(&a.addressee),
    )?;
    Ok(a)
}

fn transition(from: AppealStatus, allowed: &[AppealStatus]) -> Result<(), Reject> {
    if allowed.contains(&from) {
        Ok(())
    } else {
        Err(Reject::new(
            ErrorCode::InvalidTransition,
            format!("not possible while the appeal is {}", from.as_str()),
        ))
    }
}

#[allow(clippy::too_many_arguments)]
fn save(
    c: &mut dyn Conn,
    ctx: &Ctx,
    id: &str,
    a: &AppealRow,
    status: AppealStatus,
    note: &str,
    set_sql: &str,
    extra: &[crate::db::Value],
) -> AppResult<Applied> {
    set_status_with_history(
        c,
        ctx.now,
        Tracked::Appeals,
        id,
        status.as_str(),
        &a.history,
        note,
        set_sql,
        extra,
    )?;
    changed(c, ctx, id, a.public, &a.locality, &a.user_id)?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

pub fn register(c: &mut dyn Conn, ctx: &mut Ctx, p: AppealRegisterPayload) -> AppResult<Applied> {
    let a = load_for_official(c, ctx, &p.appeal_id)?;
    transition(
        a.status,
        &[AppealStatus::Submitted, AppealStatus::Redirected],
    )?;
    let year = ctx.today.year();
    let counter = format!("reg:{}:{year}", a.addressee);
    let n = c
        .query_one(
            "INSERT INTO counters (name, value) VALUES ($1, 1)
             ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
            params![&counter],
        )?
        .map(|r| r.get::<i64>("value"))
        .transpose()?
        .unwrap_or(1);
    let number = format!("{}-{year}-{n:05}", a.addressee.to_uppercase());
    let today = workdays::format_date(ctx.today);
    let due = workdays::format_date(
        Calendar::kazakhstan().add_working_days(ctx.today, ANSWER_WORKING_DAYS),
    );
    let note = number.clone();
    save(
        c,
        ctx,
        &p.appeal_id,
        &a,
        AppealStatus::Registered,
        &note,
        "UPDATE appeals SET reg_number = $2, registered_on = $3, due_date = $4 WHERE id = $1",
        &[number.into(), today.into(), due.into()],
    )
}

pub fn redirect(c: &mut dyn Conn, ctx: &mut Ctx, p: AppealRedirectPayload) -> AppResult<Applied> {
    let a = load_for_official(c, ctx, &p.appeal_id)?;
    transition(
        a.status,
        &[AppealStatus::Submitted, AppealStatus::Registered],
    )?;
    let reason = text("reason", &p.reason, MAX_REASON_CHARS, true)?;
    if p.to == a.addressee {
        return Err(Reject::field("to", "the appeal is already with this body").into());
    }
    let to_locality =
        body_locality(c, &p.to)?.ok_or_else(|| Reject::field("to", "no such body"))?;
    if let Some(reg) = a.registered_on.as_deref().and_then(workdays::parse_date) {
        let limit = Calendar::kazakhstan().add_working_days(reg, REDIRECT_WORKING_DAYS);
        if ctx.today > limit {
            return Err(Reject::new(
                ErrorCode::DeadlinePassed,
                format!("redirection is allowed within {REDIRECT_WORKING_DAYS} working days of registration"),
            )
            .into());
        }
    }
    let note = format!("{} → {}: {reason}", a.addressee, p.to);
    save(
        c,
        ctx,
        &p.appeal_id,
        &a,
        AppealStatus::Redirected,
        &note,
        "UPDATE appeals SET addressee = $2, locality = $3, reg_number = NULL, registered_on = NULL,
           due_date = NULL WHERE id = $1",
        &[p.to.clone().into(), to_locality.into()],
    )
}

pub fn extend(c: &mut dyn Conn, ctx: &mut Ctx, p: AppealExtendPayload) -> AppResult<Applied> {
    let a = load_for_official(c, ctx, &p.appeal_id)?;
    transition(
        a.status,
        &[AppealStatus::Registered, AppealStatus::Extended],
    )?;
    let reason = text("reason", &p.reason, MAX_REASON_CHARS, true)?;
    let until = workdays::parse_date(&p.until)
        .ok_or_else(|| Reject::field("until", "expected YYYY-MM-DD"))?;
    let registered = a
        .registered_on
        .as_deref()
        .and_then(workdays::parse_date)
        .ok_or_else(|| Reject::new(ErrorCode::InvalidTransition, "appeal is not registered"))?;
    let due = a
        .due_date
        .as_deref()
        .and_then(workdays::parse_date)
        .unwrap_or(registered);
    if until <= due {
        return Err(Reject::field("until", "an extension must move the due date later").into());
    }
    if until > workdays::add_months(registered, MAX_EXTENSION_MONTHS) {
        return Err(
            Reject::field("until", "the term may be extended to two months at most").into(),
        );
    }
    let note = format!("{}: {reason}", p.until);
    save(
        c,
        ctx,
        &p.appeal_id,
        &a,
        AppealStatus::Extended,
        &note,
        "UPDATE appeals SET due_date = $2 WHERE id = $1",
        &[p.until.clone().into()],
    )
}

pub fn answer(c: &mut dyn Conn, ctx: &mut Ctx, p: AppealAnswerPayload) -> AppResult<Applied> {
    let a = load_for_official(c, ctx, &p.appeal_id)?;
    transition(
        a.status,
        &[AppealStatus::Registered, AppealStatus::Extended],
    )?;
    let answer = text("answer", &p.answer, MAX_BODY_CHARS, true)?;
    let applied = save(
        c,
        ctx,
        &p.appeal_id,
        &a,
        AppealStatus::Answered,
        "",
        "UPDATE appeals SET answer = $2 WHERE id = $1",
        &[answer.into()],
    )?;
    super::notify::queue_answered(c, ctx, &p.appeal_id)?;
    Ok(applied)
}

pub fn dismiss(c: &mut dyn Conn, ctx: &mut Ctx, p: AppealDismissPayload) -> AppResult<Applied> {
    let a = load_for_official(c, ctx, &p.appeal_id)?;
    transition(
        a.status,
        &[
            AppealStatus::Submitted,
            AppealStatus::Registered,
            AppealStatus::Extended,
        ],
    )?;
    let reason = text("reason", &p.reason, MAX_REASON_CHARS, true)?;
    save(
        c,
        ctx,
        &p.appeal_id,
        &a,
        AppealStatus::Dismissed,
        &reason,
        "",
        &[],
    )
}
