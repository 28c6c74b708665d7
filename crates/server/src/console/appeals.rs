//! The appeals queue, the appeal page and its actions (register, answer,
//! redirect, extend, leave without consideration).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::workdays::{
    add_months, format_date, parse_date, Calendar, MAX_EXTENSION_MONTHS, REDIRECT_WORKING_DAYS,
};
use dauys_proto::{Appeal, AppealStatus, AppealType, Localized, OpKind};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::csrf::Checked;
use super::i18n::{Lang, Tr};
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, AppealFilter, QueueRow};
use crate::clock::date_of;
use crate::error::AppResult;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

/// Queue lines per page.
pub const PAGE_SIZE: i64 = 50;

pub fn localized(l: &Localized, lang: Lang) -> String {
    match lang {
        Lang::Kk => l.kk.clone(),
        Lang::Ru => l.ru.clone(),
        Lang::En => l.en.clone(),
    }
}

/// Body id → its name (all bodies; a few hundred at most).
pub fn body_names(c: &mut dyn crate::db::Conn, lang: Lang) -> AppResult<HashMap<String, String>> {
    Ok(read::localities(c)?
        .into_iter()
        .flat_map(|l| l.bodies)
        .map(|b| (b.id, localized(&b.name, lang)))
        .collect())
}

fn status_label(tr: Tr, s: &str) -> String {
    let id = format!("appeal-status-{}", s.replace('_', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        s.to_string()
    }
}

fn type_label(tr: Tr, t: &str) -> String {
    let id = format!("appeal-type-{}", t.replace('_', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        t.to_string()
    }
}

/// Working days past the due date (0 when not overdue).
pub fn days_over(status: &str, due: Option<&str>, today: time::Date) -> i64 {
    let open = AppealStatus::parse(status).is_some_and(AppealStatus::is_open);
    match due.and_then(parse_date) {
        Some(d) if open && d < today => Calendar::kazakhstan().working_days_between(d, today),
        _ => 0,
    }
}

/// One line of a queue, ready to show.
pub struct QueueItem {
    pub href: String,
    pub subject: String,
    pub kind: String,
    pub status: String,
    pub addressee: String,
    pub reg_number: String,
    pub due: String,
    pub over: String,
    /// The bulk-register checkbox's value `<appeal id>:<fresh op id>`, for
    /// appeals waiting to be registered.
    pub bulk: Option<String>,
}

pub fn queue_item(
    tr: Tr,
    r: QueueRow,
    bodies: &HashMap<String, String>,
    today: time::Date,
) -> QueueItem {
    let over = days_over(&r.status, r.due_date.as_deref(), today);
    let waiting = matches!(r.status.as_str(), "submitted" | "redirected");
    QueueItem {
        bulk: waiting.then(|| format!("{}:{}", r.id, action::new_op_id())),
        href: format!("/console/appeals/{}", r.id),
        kind: type_label(tr, &r.appeal_type),
        status: status_label(tr, &r.status),
        addressee: bodies.get(&r.addressee).cloned().unwrap_or(r.addressee),
        reg_number: r.reg_number.unwrap_or_default(),
        due: r.due_date.unwrap_or_default(),
        over: if over > 0 {
            tr.n("console-days-over", "days", over)
        } else {
            String::new()
        },
        subject: r.subject,
    }
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// A body to filter the queue by.
pub struct BodyFilter {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "console/appeals.html")]
pub struct QueuePage {
    pub page: Chrome,
    pub statuses: Vec<Choice>,
    pub types: Vec<Choice>,
    pub overdue: bool,
    pub q: String,
    /// Bodies to filter by, by name.
    pub bodies: Vec<BodyFilter>,
    /// The "due on or before" day chosen, `YYYY-MM-DD` or empty.
    pub due_before: String,
    pub items: Vec<QueueItem>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// Some line can be registered in bulk (the form and its button show).
    pub any_bulk: bool,
    /// "Any status" is chosen (the default is open appeals).
    pub any_status: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueArgs {
    #[serde(default)]
    pub status: String,
    #[serde(default, rename = "type")]
    pub appeal_type: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub q: String,
    /// A body's id (`pvl-akimat`).
    #[serde(default)]
    pub body: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_before: String,
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub flash: Option<String>,
}

impl QueueArgs {
    /// The filters asked for. The console's queue shows open appeals
    /// unless a status (or `any`) is chosen; the JSON inbox shows all.
    pub fn filter(&self) -> AppealFilter {
        AppealFilter {
            status: AppealStatus::parse(&self.status),
            open_only: false,
            appeal_type: AppealType::parse(&self.appeal_type),
            overdue: !self.overdue.is_empty() && self.overdue != "0",
            text: self.q.chars().take(200).collect(),
            addressee: Some(self.body.trim())
                .filter(|b| !b.is_empty())
                .map(|b| b.chars().take(100).collect()),
            due_before: dauys_proto::workdays::parse_date(self.due_before.trim()),
        }
    }

    /// The query string of these filters at `page`.
    fn href(&self, f: &AppealFilter, page: i64) -> String {
        let mut parts = vec![format!("page={page}")];
        if let Some(s) = f.status {
            parts.push(format!("status={}", s.as_str()));
        } else if !f.open_only {
            parts.push("status=any".into());
        }
        if let Some(t) = f.appeal_type {
            parts.push(format!("type={}", t.as_str()));
        }
        if f.overdue {
            parts.push("overdue=1".into());
        }
        if !f.text.is_empty() {
            parts.push(format!("q={}", encode(&f.text)));
        }
        if let Some(b) = &f.addressee {
            parts.push(format!("body={}", encode(b)));
        }
        if let Some(d) = f.due_before {
            parts.push(format!("due_before={}", format_date(d)));
        }
        format!("/console/appeals?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /console/appeals`: the queue, filtered, by due date, paginated.
pub async fn queue(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<QueueArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let args = args.map(|Query(a)| a).unwrap_or_default();
    let tr = staff.tr;
    let mut f = args.filter();
    f.open_only = args.status.is_empty();
    let page = args.page.unwrap_or(1).clamp(1, 100_000);
    let actor = staff.actor.clone();
    let f2 = f.clone();
    let loaded = blocking(&st, move |st, c| {
        let scope = store::appeal_scope(c, &actor)?;
        let today = st.clock.today();
        let rows =
            store::appeals_queue(c, &scope, &f2, today, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)?;
        Ok((rows, body_names(c, tr.lang)?, today))
    })
    .await;
    let (mut rows, bodies, today) = match loaded {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let statuses = AppealStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: status_label(tr, s.as_str()),
            selected: f.status == Some(*s),
        })
        .collect();
    let types = AppealType::ALL
        .iter()
        .map(|t| Choice {
            value: t.as_str(),
            label: type_label(tr, t.as_str()),
            selected: f.appeal_type == Some(*t),
        })
        .collect();
    let mut body_choices: Vec<BodyFilter> = bodies
        .iter()
        .map(|(id, name)| BodyFilter {
            value: id.clone(),
            label: name.clone(),
            selected: f.addressee.as_deref() == Some(id.as_str()),
        })
        .collect();
    body_choices.sort_by(|a, b| a.label.cmp(&b.label));
    let p = QueuePage {
        page: Chrome::signed_in(tr, "console-appeals-title", "/console/appeals", &staff)
            .with_flash(args.flash.as_deref()),
        any_status: args.status == "any",
        any_bulk: rows
            .iter()
            .any(|r| matches!(r.status.as_str(), "submitted" | "redirected")),
        statuses,
        types,
        overdue: f.overdue,
        q: f.text.clone(),
        bodies: body_choices,
        due_before: f.due_before.map(format_date).unwrap_or_default(),
        items: rows
            .into_iter()
            .map(|r| queue_item(tr, r, &bodies, today))
            .collect(),
        prev_href: (page > 1).then(|| args.href(&f, page - 1)),
        next_href: more.then(|| args.href(&f, page + 1)),
    };
    pages::render(StatusCode::OK, &p)
}

pub struct Event {
    pub date: String,
    pub status: String,
    pub note: String,
}

pub struct BodyChoice {
    pub id: String,
    pub name: String,
}

/// The forms an appeal in its status offers, each with a fresh op id.
pub struct Forms {
    pub register: Option<String>,
    pub answer: Option<String>,
    pub redirect: Option<String>,
    pub extend: Option<String>,
    pub dismiss: Option<String>,
}

#[derive(Template)]
#[template(path = "console/appeal.html")]
pub struct AppealPage {
    pub page: Chrome,
    pub id: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub status: String,
    pub reg_number: String,
    pub addressee: String,
    pub submitted: String,
    pub public: bool,
    pub lat: String,
    pub lon: String,
    pub map_href: String,
    /// The appeal's photos (links to their uploads) with their alt texts.
    pub photos: Vec<Photo>,
    pub answer: String,
    pub due: String,
    pub over: String,
    pub redirect_by: String,
    pub extension_cap: String,
    pub extend_min: String,
    pub events: Vec<Event>,
    pub forms: Forms,
    pub bodies: Vec<BodyChoice>,
    /// Answer templates for this appeal's type and place (links that
    /// reload the page with the answer pre-filled).
    pub templates: Vec<TemplateLink>,
    pub answer_prefill: String,
    /// The applicant's masked IIN (`••••••••1234`), '' when unknown.
    pub applicant_iin: String,
}

pub struct TemplateLink {
    pub title: String,
    pub href: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailArgs {
    #[serde(default)]
    pub flash: Option<String>,
    /// The answer template to start the answer from.
    #[serde(default)]
    pub template: Option<String>,
}

/// One photo of an appeal: its upload (a capability URL, as the app uses)
/// and a numbered, localized alt text.
pub struct Photo {
    pub href: String,
    pub alt: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct FlashArgs {
    #[serde(default)]
    pub flash: Option<String>,
}

/// The appeal if it lies in the caller's scope (else `None`: the caller
/// gets the same 404 as for an appeal that does not exist).
fn appeal_in_scope(
    st: &AppState,
    c: &mut dyn crate::db::Conn,
    staff_actor: &crate::auth::Actor,
    id: &str,
) -> AppResult<Option<Appeal>> {
    let Some(at) = read::appeal_place(c, id)? else {
        return Ok(None);
    };
    if !store::appeal_scope(c, staff_actor)?.holds(&at) {
        return Ok(None);
    }
    read::appeal(c, id, Some(&staff_actor.user_id), true, st.clock.today())
}

/// `GET /console/appeals/{id}`.
pub async fn detail(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    args: Result<Query<DetailArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let args = args.map(|Query(a)| a).unwrap_or_default();
    let flash = args.flash;
    let actor = staff.actor.clone();
    let id2 = id.clone();
    let loaded = blocking(&st, move |st, c| {
        let Some(a) = appeal_in_scope(st, c, &actor, &id2)? else {
            return Ok(None);
        };
        let all = read::localities(c)?;
        let templates = super::store::templates::for_appeal(c, a.appeal_type, &a.locality)?;
        let applicant = super::store::applicant_iin(c, &a.id)?;
        Ok(Some((a, all, templates, applicant, st.clock.today())))
    })
    .await;
    let (a, localities, templates, applicant_iin, today) = match pages::found(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut bodies: Vec<BodyChoice> = localities
        .iter()
        .flat_map(|l| l.bodies.iter())
        .map(|b| BodyChoice {
            id: b.id.clone(),
            name: localized(&b.name, tr.lang),
        })
        .collect();
    let addressee = bodies
        .iter()
        .find(|b| b.id == a.addressee)
        .map(|b| b.name.clone())
        .unwrap_or_else(|| a.addressee.clone());
    bodies.retain(|b| b.id != a.addressee);
    let cal = Calendar::kazakhstan();
    let registered = a.registered_on.as_deref().and_then(parse_date);
    let due = a.due_date.as_deref().and_then(parse_date);
    let over = days_over(a.status.as_str(), a.due_date.as_deref(), today);
    let s = a.status;
    let offer = |ok: bool| ok.then(action::new_op_id);
    use AppealStatus as S;
    let forms = Forms {
        register: offer(matches!(s, S::Submitted | S::Redirected)),
        answer: offer(matches!(s, S::Registered | S::Extended)),
        redirect: offer(matches!(s, S::Submitted | S::Registered)),
        extend: offer(matches!(s, S::Registered | S::Extended)),
        dismiss: offer(matches!(s, S::Submitted | S::Registered | S::Extended)),
    };
    let (lat, lon, map_href) = match &a.location {
        Some(p) => (
            format!("{:.6}", p.lat),
            format!("{:.6}", p.lon),
            format!(
                "https://www.openstreetmap.org/?mlat={:.6}&mlon={:.6}#map=17/{:.6}/{:.6}",
                p.lat, p.lon, p.lat, p.lon
            ),
        ),
        None => Default::default(),
    };
    let path = format!("/console/appeals/{}", a.id);
    let p = AppealPage {
        page: Chrome::signed_in(tr, "console-appeal-title", &path, &staff)
            .with_flash(flash.as_deref()),
        kind: type_label(tr, a.appeal_type.as_str()),
        status: status_label(tr, s.as_str()),
        reg_number: a.registration_number.clone().unwrap_or_default(),
        addressee,
        submitted: format_date(date_of(a.submitted_at)),
        public: a.public,
        lat,
        lon,
        map_href,
        photos: a
            .media
            .iter()
            .zip(1i64..)
            .map(|(m, n)| Photo {
                href: format!("/console/uploads/{m}"),
                alt: tr.n("console-photo-alt", "number", n),
            })
            .collect(),
        answer: a.answer.clone().unwrap_or_default(),
        due: a.due_date.clone().unwrap_or_default(),
        over: if over > 0 {
            tr.n("console-days-over", "days", over)
        } else {
            String::new()
        },
        redirect_by: registered
            .map(|r| format_date(cal.add_working_days(r, REDIRECT_WORKING_DAYS)))
            .unwrap_or_default(),
        extension_cap: registered
            .map(|r| format_date(add_months(r, MAX_EXTENSION_MONTHS)))
            .unwrap_or_default(),
        extend_min: due
            .map(|d| format_date(d + time::Duration::days(1)))
            .unwrap_or_default(),
        events: a
            .history
            .iter()
            .map(|e| Event {
                date: format_date(date_of(e.at)),
                status: status_label(tr, &e.status),
                note: e.note.clone(),
            })
            .collect(),
        forms,
        bodies,
        applicant_iin,
        answer_prefill: args
            .template
            .and_then(|t| templates.iter().find(|x| x.id == t))
            .map(|t| t.body.clone())
            .unwrap_or_default(),
        templates: templates
            .into_iter()
            .map(|t| TemplateLink {
                href: format!("/console/appeals/{}?template={}#answer-text", a.id, t.id),
                title: t.title,
            })
            .collect(),
        id: a.id,
        subject: a.subject,
        body: a.body,
    };
    pages::render(StatusCode::OK, &p)
}

/// Every field any appeal action form may send.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    until: String,
}

/// `POST /console/appeals/{id}/{action}`: CSRF first, then the scope (404
/// outside it), then the op through the app's op path.
pub async fn act(
    State(st): State<AppState>,
    Path((id, what)): Path<(String, String)>,
    Checked { staff, form }: Checked<ActionForm>,
) -> Response {
    let tr = staff.tr;
    let (kind, payload, done) = match what.as_str() {
        "register" => (
            OpKind::AppealRegister,
            json!({"appeal_id": id}),
            "console-flash-registered",
        ),
        "answer" => (
            OpKind::AppealAnswer,
            json!({"appeal_id": id, "answer": form.text}),
            "console-flash-answered",
        ),
        "redirect" => (
            OpKind::AppealRedirect,
            json!({"appeal_id": id, "to": form.to, "reason": form.text}),
            "console-flash-redirected",
        ),
        "extend" => (
            OpKind::AppealExtend,
            json!({"appeal_id": id, "until": form.until, "reason": form.text}),
            "console-flash-extended",
        ),
        "dismiss" => (
            OpKind::AppealDismiss,
            json!({"appeal_id": id, "reason": form.text}),
            "console-flash-dismissed",
        ),
        _ => return pages::not_found(tr),
    };
    if let Err(r) = action::appeal_in_scope(&st, &staff, &id).await {
        return r;
    }
    let outcome = action::run(&st, &staff, &form.op_id, kind, payload).await;
    action::after(&staff, &format!("/console/appeals/{id}"), done, outcome)
}

super::csrf::csrf_forms!(ActionForm);
