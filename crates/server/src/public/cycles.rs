//! A cycle's public page: its phase, budget and rule in plain words; every
//! public proposal with its status history (moderation reasons, the
//! experts' verdict and estimate) and progress; and once counted, the
//! results — budget used, votes per project as an SVG bar chart (no
//! script), the downloads and how to recount them yourself.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use dauys_proto::workdays::format_date;
use std::collections::HashMap;

use dauys_proto::{Comment, Cycle, Proposal};

use super::cache::{self, Stamp};
use super::page::{self, Chrome, LangArg};
use super::store;
use crate::clock::date_of;
use crate::console::appeals::localized;
use crate::console::i18n::Tr;
use crate::error::AppResult;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;
use std::sync::Arc;

pub struct Event {
    pub date: String,
    pub status: String,
    pub note: String,
}

pub struct ProposalView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: String,
    pub status: String,
    pub expert: Option<String>,
    pub expert_note: String,
    pub progress: Option<i64>,
    pub votes: Option<i64>,
    pub history: Vec<Event>,
    /// Photos: (upload URL, alt text).
    pub photos: Vec<(String, String)>,
    pub comments: Vec<CommentView>,
}

/// A comment under a proposal: its text, or the moderator's published
/// reason for hiding it.
pub struct CommentView {
    pub date: String,
    pub body: String,
    pub hidden: bool,
    pub note: String,
}

/// One bar of the results chart.
pub struct Bar {
    pub y: i64,
    pub width: i64,
    pub label: String,
    pub votes: i64,
    pub selected: bool,
}

pub struct Results {
    pub voters: i64,
    pub used: String,
    pub budget: String,
    pub bars: Vec<Bar>,
    pub height: i64,
}

/// Turnout in a locality (or all of them): eligible residents of the
/// census, counted ballots, the share.
pub struct TurnoutLine {
    pub name: String,
    pub eligible: i64,
    pub voted: i64,
    pub percent: String,
}

impl TurnoutLine {
    fn of(name: String, eligible: i64, voted: i64) -> TurnoutLine {
        let percent = if eligible > 0 {
            format!("{:.1} %", voted as f64 * 100.0 / eligible as f64)
        } else {
            "—".into()
        };
        TurnoutLine {
            name,
            eligible,
            voted,
            percent,
        }
    }
}

/// The last day anyone could vote (the tallying date, else today), minus
/// the cycle's minimum age: residents born by then were eligible.
fn born_by(c: &Cycle, today: time::Date) -> String {
    let day = c
        .schedule
        .get("tallying")
        .and_then(|d| dauys_proto::workdays::parse_date(d))
        .unwrap_or(today);
    let years = i32::try_from(c.min_age).unwrap_or(0);
    let d = day
        .replace_year(day.year() - years)
        .or_else(|_| {
            day.replace_day(28)
                .and_then(|d| d.replace_year(d.year() - years))
        })
        .unwrap_or(day);
    format_date(d)
}

#[derive(Template)]
#[template(path = "public/cycle.html")]
pub struct CyclePage {
    pub page: Chrome,
    pub id: String,
    pub phase: String,
    pub budget: String,
    pub rule: String,
    /// The rule as `dauys-tally --rule` names it.
    pub tally_rule: String,
    pub proposals: Vec<ProposalView>,
    pub results: Option<Results>,
    /// Once counted: the whole cycle first, then each locality.
    pub turnout: Vec<TurnoutLine>,
}

fn status(tr: Tr, s: &str) -> String {
    let id = format!("proposal-status-{}", s.replace('_', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        s.to_string()
    }
}

fn view(tr: Tr, p: Proposal, comments: &mut HashMap<String, Vec<Comment>>) -> ProposalView {
    ProposalView {
        comments: comments
            .remove(&p.id)
            .unwrap_or_default()
            .into_iter()
            .map(|c| CommentView {
                date: format_date(date_of(c.created_at)),
                hidden: !c.visible,
                body: c.body,
                note: c.moderation_note,
            })
            .collect(),
        cost: page::tenge(tr, p.cost),
        status: status(tr, p.status.as_str()),
        expert: p.expert_cost.map(|v| page::tenge(tr, v)),
        expert_note: p.expert_note.unwrap_or_default(),
        history: p
            .history
            .iter()
            .map(|e| Event {
                date: format_date(date_of(e.at)),
                status: status(tr, &e.status),
                note: e.note.clone(),
            })
            .collect(),
        photos: p
            .media
            .iter()
            .zip(1i64..)
            .map(|(m, n)| {
                (
                    format!("/v1/uploads/{m}"),
                    tr.n("console-photo-alt", "number", n),
                )
            })
            .collect(),
        id: p.id,
        title: p.title,
        description: p.description,
        category: p.category,
        progress: p.progress,
        votes: p.votes,
    }
}

/// Bars, most votes first; widths relative to the most voted (≤ 300 px).
fn results(tr: Tr, c: &Cycle, proposals: &[Proposal]) -> Option<Results> {
    let r = c.results.as_ref()?;
    let mut rows: Vec<(&Proposal, i64)> = proposals
        .iter()
        .filter_map(|p| r.votes.get(&p.id).map(|v| (p, *v)))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.title.cmp(&b.0.title)));
    let max = rows.first().map_or(1, |r| r.1.max(1));
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (p, v))| Bar {
            y: i as i64 * 28,
            width: (v * 300 / max).max(1),
            label: short(&p.title),
            votes: *v,
            selected: r.selected.contains(&p.id),
        })
        .collect();
    Some(Results {
        voters: r.voters,
        used: page::tenge(tr, r.cost),
        budget: page::tenge(tr, c.budget),
        height: bars.len() as i64 * 28,
        bars,
    })
}

/// A chart label that fits its 250 px (about 32 characters at 13 px).
fn short(title: &str) -> String {
    if title.chars().count() <= 32 {
        title.to_string()
    } else {
        format!("{}…", title.chars().take(31).collect::<String>())
    }
}

/// The cycle's turnout per locality, cached until ballots (the change
/// feed), the day or the census (its size) change.
fn turnout(
    st: &AppState,
    c: &mut dyn crate::db::Conn,
    cycle: &Cycle,
) -> AppResult<Arc<Vec<store::Turnout>>> {
    let today = st.clock.today();
    let stamp = Stamp {
        seq: cache::last_seq(c)?,
        day: today,
        extra: store::census_size(c)?,
    };
    st.figures
        .get_or(&format!("turnout:{}", cycle.id), &stamp, || {
            let codes = store::subtree(c, &cycle.locality)?;
            store::turnout(c, &cycle.id, &codes, &born_by(cycle, today))
        })
}

/// The whole cycle's turnout, then each locality's.
fn turnout_lines(tr: Tr, t: &[store::Turnout], all: &[dauys_proto::Locality]) -> Vec<TurnoutLine> {
    let (eligible, voted) = t
        .iter()
        .fold((0, 0), |(e, v), x| (e + x.eligible, v + x.voted));
    let mut out = vec![TurnoutLine::of(tr.t("public-turnout-all"), eligible, voted)];
    if t.len() > 1 {
        out.extend(t.iter().map(|x| {
            let name = all
                .iter()
                .find(|l| l.code == x.locality)
                .map(|l| localized(&l.name, tr.lang))
                .unwrap_or_else(|| x.locality.clone());
            TurnoutLine::of(name, x.eligible, x.voted)
        }));
    }
    out
}

/// `GET /cycles/{id}`.
pub async fn page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangArg>,
) -> Response {
    let tr = page::tr_of(q.lang.as_deref(), &headers);
    let loaded = blocking(&st, move |st, c| {
        let Some(cycle) = read::cycle(c, &id)? else {
            return Ok(None);
        };
        let proposals = read::proposals_of(c, &id, None)?;
        let ids: Vec<String> = proposals.iter().map(|p| p.id.clone()).collect();
        let mut comments: HashMap<String, Vec<Comment>> = HashMap::new();
        for cm in crate::components::comments::store::on_targets(c, "proposal", &ids, None)? {
            comments.entry(cm.target.id.clone()).or_default().push(cm);
        }
        let loc = read::locality(c, &cycle.locality)?;
        let turnout = if cycle.results.is_some() {
            Some((turnout(st, c, &cycle)?, read::localities(c)?))
        } else {
            None
        };
        Ok(Some((cycle, proposals, loc, turnout, comments)))
    })
    .await;
    let (cycle, proposals, loc, turnout, mut comments) = match page::loaded(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let title = localized(&cycle.title, tr.lang);
    let mut chrome = Chrome::new(tr, title, &format!("/cycles/{}", cycle.id));
    if let Some(l) = loc {
        chrome = chrome.crumb(
            format!("/l/{}?lang={}", l.code, tr.lang.code()),
            localized(&l.name, tr.lang),
        );
    }
    let p = CyclePage {
        page: chrome,
        phase: tr.t(&format!("phase-{}", cycle.phase.as_str().replace('_', "-"))),
        budget: page::tenge(tr, cycle.budget),
        rule: tr.counting_rule(&cycle.rule, cycle.min_votes),
        tally_rule: crate::components::budgets::cycles::dauys_tally_rule(&cycle.rule)
            .unwrap_or_else(|| cycle.rule.clone()),
        results: results(tr, &cycle, &proposals),
        proposals: proposals
            .into_iter()
            .map(|p| view(tr, p, &mut comments))
            .collect(),
        turnout: turnout
            .map(|(t, all)| turnout_lines(tr, &t, &all))
            .unwrap_or_default(),
        id: cycle.id,
    };
    page::render(&headers, &p)
}
