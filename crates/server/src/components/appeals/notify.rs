//! Opt-in SMS to a resident when their appeal is answered.
//!
//! The resident asks for it when sending the appeal (`sms_on_answer`, the
//! message's language). The answer's transaction queues the message, so a
//! crash cannot lose it; after the commit it is claimed (`sent_at`) and
//! handed to the SMS gateway once, which retries the provider itself. The
//! message names only the appeal's number: an SMS may be read by others.

use crate::console::i18n::{Lang, Tr};
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::kernel::ops::Ctx;
use crate::params;
use crate::state::AppState;

/// Messages handed to the gateway per flush.
const BATCH: i64 = 100;

/// The checked language of an opt-in (`None`: no SMS wanted).
pub fn sms_lang(asked: Option<&str>) -> Result<Option<&'static str>, Reject> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(tag) => Lang::parse(tag)
            .filter(|l| l.code() == tag)
            .map(|l| Some(l.code()))
            .ok_or_else(|| Reject::field("sms_on_answer", "expected kk, ru or en")),
    }
}

/// Queues "your appeal is answered" if its author asked for it (once per
/// appeal: a second answer op finds it queued).
pub fn queue_answered(c: &mut dyn Conn, ctx: &mut Ctx, appeal_id: &str) -> AppResult<()> {
    let Some(r) = c.query_one(
        "SELECT user_id, sms_lang, reg_number FROM appeals WHERE id = $1 AND sms_lang IS NOT NULL",
        params![appeal_id],
    )?
    else {
        return Ok(());
    };
    let user: String = r.get("user_id")?;
    let lang: String = r.get("sms_lang")?;
    let number: Option<String> = r.get("reg_number")?;
    c.exec(
        "INSERT INTO sms_queue (id, user_id, lang, message, arg, created_at)
         VALUES ($1, $2, $3, 'sms-appeal-answered', $4, $5) ON CONFLICT (id) DO NOTHING",
        params![
            format!("answered:{appeal_id}"),
            user,
            lang,
            number.unwrap_or_default(),
            ctx.now
        ],
    )?;
    ctx.sms_waiting = true;
    Ok(())
}

/// Hands waiting messages to the gateway (after a commit, and hourly for
/// any a stopped server left). Each is claimed first, so two instances
/// never send one twice. Returns how many were handed over.
pub fn flush(st: &AppState, c: &mut dyn Conn) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let claimed = c.query(
        "UPDATE sms_queue SET sent_at = $1 WHERE id IN
           (SELECT id FROM sms_queue WHERE sent_at IS NULL ORDER BY created_at LIMIT $2)
           AND sent_at IS NULL
         RETURNING user_id, lang, message, arg",
        params![now, BATCH],
    )?;
    let mut sent = 0;
    for r in &claimed {
        let user: String = r.get("user_id")?;
        let Some(phone) = c
            .query_one("SELECT phone FROM residents WHERE id = $1", params![&user])?
            .map(|p| p.get::<String>("phone"))
            .transpose()?
        else {
            continue;
        };
        let lang = Lang::parse(&r.get::<String>("lang")?).unwrap_or(Lang::Kk);
        let text = Tr::new(lang).s(
            &r.get::<String>("message")?,
            "number",
            &r.get::<String>("arg")?,
        );
        st.sms.send_text(&phone, &text);
        sent += 1;
    }
    if sent > 0 {
        // Never the phone or the text in the log.
        tracing::info!(sent, "appeal SMS handed to the gateway");
    }
    Ok(sent)
}
