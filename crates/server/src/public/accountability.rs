//! How fast each akimat and department answers (issue 11): per body of a
//! locality's subtree — appeals received, answered, the median working
//! days from registration to answer, the share answered within the legal
//! term, open ones overdue now, ones that came by redirection. Working
//! days come from Kazakhstan's calendar (holidays and weekend transfers,
//! `workdays::Calendar`). Private appeals count too: only numbers leave.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use dauys_proto::workdays::{parse_date, Calendar};
use dauys_proto::HistoryEvent;

use super::cache::{self, Stamp};
use super::page::{self, Chrome, LangArg};
use super::store::{self, AnswerFacts};
use crate::clock::date_of;
use crate::console::appeals::localized;
use crate::db::Conn;
use crate::error::AppResult;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

/// One body's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub received: i64,
    pub answered: i64,
    /// Median working days from registration to answer (answered ones).
    pub median_days: Option<f64>,
    /// Answered on or before the (possibly extended) due date.
    pub answered_in_term: i64,
    pub overdue_now: i64,
    /// Came to this body by redirection.
    pub redirected_in: i64,
}

impl Figures {
    /// Share of answered appeals answered within the term, in percent.
    pub fn in_term_percent(&self) -> Option<i64> {
        (self.answered > 0)
            .then(|| (self.answered_in_term * 100 + self.answered / 2) / self.answered)
    }
}

const OPEN: [&str; 4] = ["submitted", "registered", "redirected", "extended"];

/// The day an appeal was answered (its last `answered` event).
fn answered_on(history: &[HistoryEvent]) -> Option<time::Date> {
    history
        .iter()
        .rev()
        .find(|e| e.status == "answered")
        .map(|e| date_of(e.at))
}

/// A locality's figures in the three groupings the pages and exports show.
#[derive(Debug, Default)]
pub struct Summary {
    pub by_body: BTreeMap<String, Figures>,
    pub by_month: BTreeMap<String, Figures>,
    pub by_body_month: BTreeMap<(String, String), Figures>,
}

/// The figures of `code` and everything under it, computed once per change
/// of the data (`cache.rs`): reading and summing 100,000 appeals on every
/// request would cost each visitor hundreds of milliseconds.
pub fn summary(st: &AppState, c: &mut dyn Conn, code: &str) -> AppResult<Arc<Summary>> {
    let today = st.clock.today();
    let stamp = Stamp {
        seq: cache::last_seq(c)?,
        day: today,
        extra: 0,
    };
    st.figures
        .get_or(&format!("accountability:{code}"), &stamp, || {
            let codes = store::subtree(c, code)?;
            let facts = store::answer_facts(c, &codes)?;
            let cal = Calendar::kazakhstan();
            Ok(Summary {
                by_body: figures(&facts, cal, today),
                by_month: figures_by(&facts, cal, today, month_of),
                by_body_month: figures_by(&facts, cal, today, |a| {
                    (a.addressee.clone(), month_of(a))
                }),
            })
        })
}

/// Figures per body id, from the appeals' facts.
pub fn figures(
    facts: &[AnswerFacts],
    cal: &Calendar,
    today: time::Date,
) -> BTreeMap<String, Figures> {
    figures_by(facts, cal, today, |a| a.addressee.clone())
}

/// The month an appeal was received in (`YYYY-MM`, Kazakhstan's date).
pub fn month_of(a: &AnswerFacts) -> String {
    let d = date_of(a.submitted_at);
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// Figures grouped by `key` (a body, a month, a body and a month).
pub fn figures_by<K: Ord + Clone>(
    facts: &[AnswerFacts],
    cal: &Calendar,
    today: time::Date,
    key: impl Fn(&AnswerFacts) -> K,
) -> BTreeMap<K, Figures> {
    let mut out: BTreeMap<K, Figures> = BTreeMap::new();
    let mut days: BTreeMap<K, Vec<i64>> = BTreeMap::new();
    for a in facts {
        let k = key(a);
        let f = out.entry(k.clone()).or_default();
        f.received += 1;
        let history: Vec<HistoryEvent> = serde_json::from_str(&a.history).unwrap_or_default();
        if history.iter().any(|e| e.status == "redirected") {
            f.redirected_in += 1;
        }
        let due = a.due_date.as_deref().and_then(parse_date);
        if OPEN.contains(&a.status.as_str()) && due.is_some_and(|d| d < today) {
            f.overdue_now += 1;
        }
        if a.status != "answered" {
            continue;
        }
        f.answered += 1;
        let (Some(answered), Some(registered)) = (
            answered_on(&history),
            a.registered_on.as_deref().and_then(parse_date),
        ) else {
            continue;
        };
        if due.is_some_and(|d| answered <= d) {
            f.answered_in_term += 1;
        }
        days.entry(k)
            .or_default()
            .push(cal.working_days_between(registered, answered));
    }
    for (k, mut d) in days {
        d.sort_unstable();
        let n = d.len();
        let median = if !n.is_multiple_of(2) {
            d[n / 2] as f64
        } else {
            (d[n / 2 - 1] + d[n / 2]) as f64 / 2.0
        };
        if let Some(f) = out.get_mut(&k) {
            f.median_days = Some(median);
        }
    }
    out
}

pub struct Line {
    pub body: String,
    pub received: i64,
    pub answered: i64,
    pub median: String,
    pub in_term: String,
    pub overdue: i64,
    pub redirected: i64,
}

impl Line {
    /// A table row: `label`'s figures as the page shows them.
    pub fn of(label: String, f: &Figures) -> Line {
        Line {
            body: label,
            received: f.received,
            answered: f.answered,
            median: f
                .median_days
                .map(|m| format!("{m:.1}"))
                .unwrap_or_else(|| "—".into()),
            in_term: f
                .in_term_percent()
                .map(|p| format!("{p} %"))
                .unwrap_or_else(|| "—".into()),
            overdue: f.overdue_now,
            redirected: f.redirected_in,
        }
    }
}

/// Months shown on the page (the exports hold every month).
const MONTHS_SHOWN: usize = 12;

#[derive(Template)]
#[template(path = "public/accountability.html")]
pub struct AccountabilityPage {
    pub page: Chrome,
    pub code: String,
    pub lines: Vec<Line>,
    /// The whole subtree per month, newest first.
    pub months: Vec<Line>,
}

/// `GET /l/{code}/accountability`.
pub async fn page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<LangArg>,
) -> Response {
    let tr = page::tr_of(q.lang.as_deref(), &headers);
    let loaded = blocking(&st, move |st, c| {
        let Some(loc) = read::locality(c, &code)? else {
            return Ok(None);
        };
        let all = read::localities(c)?;
        let sum = summary(st, c, &code)?;
        Ok(Some((loc, all, sum)))
    })
    .await;
    let (loc, all, sum) = match page::loaded(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let name = localized(&loc.name, tr.lang);
    let body_name = |id: &str| {
        all.iter()
            .flat_map(|l| l.bodies.iter())
            .find(|b| b.id == id)
            .map(|b| localized(&b.name, tr.lang))
            .unwrap_or_else(|| id.to_string())
    };
    let lines = sum
        .by_body
        .iter()
        .map(|(body, f)| Line::of(body_name(body), f))
        .collect();
    let months = sum
        .by_month
        .iter()
        .rev()
        .take(MONTHS_SHOWN)
        .map(|(m, f)| Line::of(m.clone(), f))
        .collect();
    let path = format!("/l/{}/accountability", loc.code);
    let p = AccountabilityPage {
        page: Chrome::new(
            tr,
            tr.s("public-accountability-title", "name", &name),
            &path,
        )
        .crumb(format!("/l/{}?lang={}", loc.code, tr.lang.code()), name),
        code: loc.code,
        lines,
        months,
    };
    page::render(&headers, &p)
}
