//! Participatory budgeting cycles for officials: the cycles in scope with
//! their phase and the next phase's date, a form to create one
//! (`cycle.create`), and moving a cycle to its next phase through a
//! confirmation page (`cycle.phase`; leaving voting counts the ballots and
//! publishes the results, explained in plain words on the public page).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::budgets::counting_rule_key;
use dauys_proto::{Cycle, OpKind, Phase};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::admin::Choice;
use super::appeals::{localized, FlashArgs};
use super::csrf::Checked;
use super::i18n::Tr;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, Scope, APPEAL_ROLES};
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

/// The rules an official may choose, in the form's order.
const RULES: &[&str] = &["greedy", "greedy-threshold", "equalshares/add1"];

fn phase_label(tr: Tr, p: Phase) -> String {
    tr.t(&format!("phase-{}", p.as_str().replace('_', "-")))
}

/// The stage after `p` (none after the last).
pub fn next_phase(p: Phase) -> Option<Phase> {
    let all = Phase::ALL;
    all.iter()
        .position(|x| *x == p)
        .and_then(|i| all.get(i + 1))
        .copied()
}

pub struct Line {
    pub id: String,
    pub title: String,
    pub phase: String,
    pub next: Option<String>,
    pub next_date: String,
    pub budget: i64,
    pub public_href: String,
}

#[derive(Template)]
#[template(path = "console/cycles.html")]
pub struct CyclesPage {
    pub page: Chrome,
    pub lines: Vec<Line>,
    pub localities: Vec<Choice>,
    pub rules: Vec<Choice>,
    pub create_op: String,
}

async fn in_scope(st: &AppState, staff: &Staff) -> Result<(Scope, Vec<Cycle>), Response> {
    let actor = staff.actor.clone();
    let r = blocking(st, move |_, c| {
        let Some(scope) = store::granted_scope(c, &actor, APPEAL_ROLES)? else {
            return Ok(None);
        };
        let ids = store::cycle_ids(c, &scope)?;
        let mut cycles = read::cycles(c, &ids)?;
        cycles.sort_by_key(|cy| ids.iter().position(|i| *i == cy.id));
        Ok(Some((scope, cycles)))
    })
    .await;
    pages::found(staff.tr, r)
}

/// `GET /console/cycles`.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let (scope, cycles) = match in_scope(&st, &staff).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let all = match blocking(&st, |_, c| read::localities(c)).await {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let p = CyclesPage {
        page: Chrome::signed_in(tr, "console-cycles-title", "/console/cycles", &staff)
            .with_flash(flash.as_deref()),
        lines: cycles
            .iter()
            .map(|c| {
                let next = next_phase(c.phase);
                Line {
                    id: c.id.clone(),
                    title: localized(&c.title, tr.lang),
                    phase: phase_label(tr, c.phase),
                    next: next.map(|n| phase_label(tr, n)),
                    next_date: next
                        .and_then(|n| c.schedule.get(n.as_str()).cloned())
                        .unwrap_or_default(),
                    budget: c.budget,
                    public_href: format!("/cycles/{}?lang={}", c.id, tr.lang.code()),
                }
            })
            .collect(),
        localities: all
            .iter()
            .filter(|l| scope.contains(&l.code))
            .map(|l| Choice {
                value: l.code.clone(),
                label: localized(&l.name, tr.lang),
            })
            .collect(),
        rules: RULES
            .iter()
            .map(|r| Choice {
                value: r.to_string(),
                label: tr.t(counting_rule_key(r)),
            })
            .collect(),
        create_op: action::new_op_id(),
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    title_kk: String,
    #[serde(default)]
    title_ru: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    max_projects: String,
    #[serde(default)]
    min_votes: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    budget_limited: String,
    #[serde(default)]
    voting: String,
    #[serde(default)]
    tallying: String,
}

fn int(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    digits.parse().ok()
}

/// `POST /console/cycles`.
pub async fn create(
    State(st): State<AppState>,
    Checked { staff, form: f }: Checked<CreateForm>,
) -> Response {
    let mut schedule = BTreeMap::new();
    for (phase, date) in [("voting", &f.voting), ("tallying", &f.tallying)] {
        if !date.trim().is_empty() {
            schedule.insert(phase, date.trim().to_string());
        }
    }
    let payload = json!({
        "locality": f.locality,
        "title": {"kk": f.title_kk, "ru": f.title_ru, "en": f.title_en},
        "budget": int(&f.budget).unwrap_or(0),
        "rule": f.rule,
        "max_projects": int(&f.max_projects),
        "min_votes": int(&f.min_votes),
        "min_age": int(&f.min_age).unwrap_or(16),
        "budget_limited_ballot": !f.budget_limited.is_empty(),
        "schedule": schedule,
    });
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::CycleCreate, payload).await;
    action::after(
        &staff,
        "/console/cycles",
        "console-flash-cycle-created",
        outcome,
    )
}

#[derive(Template)]
#[template(path = "console/cycle_phase.html")]
pub struct PhasePage {
    pub page: Chrome,
    pub id: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub to_value: String,
    /// Leaving voting: the ballots are counted with this rule (in words).
    pub counting: Option<String>,
    pub op: String,
}

/// `GET /console/cycles/{id}/phase`: "move X from A to B?".
pub async fn confirm(State(st): State<AppState>, staff: Staff, Path(id): Path<String>) -> Response {
    let tr = staff.tr;
    let (_, cycles) = match in_scope(&st, &staff).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(c) = cycles.into_iter().find(|c| c.id == id) else {
        return pages::not_found(tr);
    };
    let Some(next) = next_phase(c.phase) else {
        return pages::not_found(tr);
    };
    let p = PhasePage {
        page: Chrome::signed_in(tr, "console-phase-title", "/console/cycles", &staff),
        title: localized(&c.title, tr.lang),
        from: phase_label(tr, c.phase),
        to: phase_label(tr, next),
        to_value: next.as_str().to_string(),
        counting: (c.phase < Phase::Tallying && next >= Phase::Tallying)
            .then(|| tr.counting_rule(&c.rule, c.min_votes)),
        op: action::new_op_id(),
        id: c.id,
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    phase: String,
}

/// `POST /console/cycles/{id}/phase`.
pub async fn move_phase(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Checked { staff, form: f }: Checked<PhaseForm>,
) -> Response {
    match in_scope(&st, &staff).await {
        Ok((_, cycles)) if cycles.iter().any(|c| c.id == id) => {}
        Ok(_) => return pages::not_found(staff.tr),
        Err(r) => return r,
    }
    let payload = json!({"cycle_id": id, "phase": f.phase});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::CyclePhase, payload).await;
    action::after(
        &staff,
        "/console/cycles",
        "console-flash-phase-moved",
        outcome,
    )
}

super::csrf::csrf_forms!(CreateForm, PhaseForm);
