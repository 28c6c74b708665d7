//! The index of localities, a locality's home (its cycles, the latest
//! answered public appeals, headline figures) and its public appeals with
//! their answers (searchable, in pages).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use dauys_proto::workdays::format_date;
use dauys_proto::{Appeal, Cycle};
use serde::Deserialize;

use super::accountability;
use super::page::{self, Chrome, LangArg};
use super::store;
use crate::clock::date_of;
use crate::console::appeals::localized;
use crate::console::i18n::Tr;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

/// Public appeals per page.
const PAGE: i64 = 20;

pub struct PlaceLink {
    pub href: String,
    pub name: String,
    /// Indentation level in the index (0: region).
    pub depth: usize,
}

#[derive(Template)]
#[template(path = "public/index.html")]
pub struct IndexPage {
    pub page: Chrome,
    pub places: Vec<PlaceLink>,
}

/// `GET /`: every locality, as a tree.
pub async fn index(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangArg>,
) -> Response {
    let tr = page::tr_of(q.lang.as_deref(), &headers);
    let all = match blocking(&st, |_, c| read::localities(c)).await {
        Ok(v) => v,
        Err(e) => return page::error(tr, &e),
    };
    // The shared locality walk (proto): a place's depth is its ancestors.
    let tree = dauys_proto::locality::LocalityTree::from_localities(&all);
    let depth_of = |code: &str| tree.ancestors(code).len().saturating_sub(1);
    // Depth-first: each locality right after its parent.
    let mut places = Vec::new();
    let mut stack: Vec<&dauys_proto::Locality> =
        all.iter().filter(|l| l.parent.is_none()).rev().collect();
    while let Some(l) = stack.pop() {
        places.push(PlaceLink {
            href: format!("/l/{}?lang={}", l.code, tr.lang.code()),
            name: localized(&l.name, tr.lang),
            depth: depth_of(&l.code),
        });
        stack.extend(
            all.iter()
                .filter(|k| k.parent.as_deref() == Some(l.code.as_str()))
                .rev(),
        );
    }
    let p = IndexPage {
        page: Chrome::new(tr, tr.t("public-index-title"), "/"),
        places,
    };
    page::render(&headers, &p)
}

pub struct CycleLine {
    pub href: String,
    pub title: String,
    pub phase: String,
    pub budget: String,
}

pub struct AppealLine {
    pub subject: String,
    pub body: String,
    pub answer: String,
    pub status: String,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "public/home.html")]
pub struct HomePage {
    pub page: Chrome,
    pub code: String,
    pub cycles: Vec<CycleLine>,
    pub answered: Vec<AppealLine>,
    pub received: i64,
    pub answered_count: i64,
    pub median: String,
    pub in_term: String,
}

pub fn cycle_line(tr: Tr, c: &Cycle) -> CycleLine {
    CycleLine {
        href: format!("/cycles/{}?lang={}", c.id, tr.lang.code()),
        title: localized(&c.title, tr.lang),
        phase: tr.t(&format!("phase-{}", c.phase.as_str().replace('_', "-"))),
        budget: page::tenge(tr, c.budget),
    }
}

fn appeal_line(tr: Tr, a: Appeal) -> AppealLine {
    AppealLine {
        status: tr.t(&format!(
            "appeal-status-{}",
            a.status.as_str().replace('_', "-")
        )),
        submitted: format_date(date_of(a.submitted_at)),
        subject: a.subject,
        body: a.body,
        answer: a.answer.unwrap_or_default(),
    }
}

/// Public appeals by id, in the ids' order.
/// Appeals in the order of `ids` (the loaders return any order).
pub fn ordered(mut appeals: Vec<Appeal>, ids: &[String]) -> Vec<Appeal> {
    appeals.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
    appeals
}

/// `GET /l/{code}`.
pub async fn home(
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
        let today = st.clock.today();
        let codes = store::subtree(c, &code)?;
        let cycle_ids = store::cycle_ids(c, &codes)?;
        let cycles = read::cycles(c, &cycle_ids)?;
        let ids = store::public_appeal_ids(c, &codes, true, "", 0, 5)?;
        let appeals = ordered(read::appeals(c, &ids, None, false, today)?, &ids);
        let fig = accountability::summary(st, c, &code)?;
        Ok(Some((
            loc,
            ordered_cycles(cycles, &cycle_ids),
            appeals,
            fig,
        )))
    })
    .await;
    let (loc, cycles, appeals, fig) = match page::loaded(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let total = fig
        .by_body
        .values()
        .fold(accountability::Figures::default(), |mut t, f| {
            t.received += f.received;
            t.answered += f.answered;
            t.answered_in_term += f.answered_in_term;
            t
        });
    let medians: Vec<f64> = fig.by_body.values().filter_map(|f| f.median_days).collect();
    let name = localized(&loc.name, tr.lang);
    let p = HomePage {
        page: Chrome::new(tr, name, &format!("/l/{}", loc.code)).crumb(
            format!("/?lang={}", tr.lang.code()),
            tr.t("public-index-title"),
        ),
        code: loc.code,
        cycles: cycles.iter().map(|c| cycle_line(tr, c)).collect(),
        answered: appeals.into_iter().map(|a| appeal_line(tr, a)).collect(),
        received: total.received,
        answered_count: total.answered,
        median: if medians.is_empty() {
            "—".into()
        } else {
            format!("{:.1}", medians.iter().sum::<f64>() / medians.len() as f64)
        },
        in_term: total
            .in_term_percent()
            .map(|p| format!("{p} %"))
            .unwrap_or_else(|| "—".into()),
    };
    page::render(&headers, &p)
}

fn ordered_cycles(mut cycles: Vec<Cycle>, ids: &[String]) -> Vec<Cycle> {
    cycles.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    cycles
}

#[derive(Debug, Default, Deserialize)]
pub struct AppealsArgs {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "public/appeals.html")]
pub struct AppealsPage {
    pub page: Chrome,
    pub code: String,
    pub q: String,
    pub appeals: Vec<AppealLine>,
    pub next_href: Option<String>,
}

/// `GET /l/{code}/appeals?q=&page=`.
pub async fn appeals(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(a): Query<AppealsArgs>,
) -> Response {
    let tr = page::tr_of(a.lang.as_deref(), &headers);
    let n = a.page.unwrap_or(1).clamp(1, 10_000);
    let text: String = a.q.chars().take(100).collect();
    let text2 = text.clone();
    let loaded = blocking(&st, move |st, c| {
        let Some(loc) = read::locality(c, &code)? else {
            return Ok(None);
        };
        let codes = store::subtree(c, &code)?;
        let ids = store::public_appeal_ids(c, &codes, false, &text2, (n - 1) * PAGE, PAGE + 1)?;
        let appeals = ordered(read::appeals(c, &ids, None, false, st.clock.today())?, &ids);
        Ok(Some((loc, appeals)))
    })
    .await;
    let (loc, mut appeals) = match page::loaded(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let more = appeals.len() as i64 > PAGE;
    appeals.truncate(PAGE as usize);
    let name = localized(&loc.name, tr.lang);
    let base = format!("/l/{}/appeals", loc.code);
    let query: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let p = AppealsPage {
        page: Chrome::new(tr, tr.s("public-appeals-title", "name", &name), &base)
            .crumb(format!("/l/{}?lang={}", loc.code, tr.lang.code()), name),
        code: loc.code.clone(),
        next_href: more.then(|| format!("{base}?lang={}&q={query}&page={}", tr.lang.code(), n + 1)),
        q: text,
        appeals: appeals.into_iter().map(|a| appeal_line(tr, a)).collect(),
    };
    page::render(&headers, &p)
}
