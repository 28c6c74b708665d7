//! Ballot: choose projects with a live budget meter, review, cast; then an
//! honest state: saved on this device, or counted with a receipt.

use dauys_proto::budgets::{ballot_cost, check_ballot};
use dauys_proto::{ErrorCode, Phase};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::ctx;
use crate::dto::{BallotState, BallotView, CastBallot, CmdError, ReceiptCheck};
use crate::i18n::{self, t, ta};
use crate::screens::home::phase_end;
use crate::widgets::{ErrorBox, Loading};

#[derive(Serialize)]
struct CycleArgs {
    cycle_id: String,
}

#[derive(Serialize)]
struct CastArgs {
    ballot: CastBallot,
}

#[component]
pub fn BallotScreen(cycle_id: String) -> impl IntoView {
    let c = ctx();
    let data = api::resource(move || {
        c.refresh.track();
        api::call::<BallotView, _>(
            "ballot",
            CycleArgs {
                cycle_id: cycle_id.clone(),
            },
        )
    });
    view! {
        {move || match data.get() {
            None => view! { <h1 tabindex="-1">{t("ballot-title")}</h1><Loading/> }.into_any(),
            Some(Err(e)) => view! { <h1 tabindex="-1">{t("ballot-title")}</h1><ErrorBox err=e/> }.into_any(),
            Some(Ok(b)) => view! { <BallotForm view=b/> }.into_any(),
        }}
    }
}

fn state_ids(s: &BallotState) -> Vec<String> {
    match s {
        BallotState::None => Vec::new(),
        BallotState::Saved { proposal_ids, .. }
        | BallotState::Counted { proposal_ids, .. }
        | BallotState::Rejected { proposal_ids, .. } => proposal_ids.clone(),
    }
}

#[component]
fn BallotForm(view: BallotView) -> impl IntoView {
    let c = ctx();
    let cycle = view.cycle.clone();
    let open = cycle.phase == Phase::Voting;
    let budget = cycle.budget;
    let limited = cycle.budget_limited_ballot;
    let max = cycle.max_projects;
    let rules = StoredValue::new(cycle.clone());
    let proposals = StoredValue::new(view.proposals.clone());
    let state = RwSignal::new(view.state.clone());
    let chosen = RwSignal::new(state_ids(&view.state));
    let message = RwSignal::new(None::<String>);
    let reviewing = RwSignal::new(false);
    let error = RwSignal::new(None::<CmdError>);
    let busy = RwSignal::new(false);
    let cycle_id = StoredValue::new(cycle.id.clone());

    // The meter and the refusals below come from the same rule the shell,
    // the core and the server apply (dauys_proto::budgets).
    let used = move || {
        chosen.with(|ids| proposals.with_value(|ps| ballot_cost(ps, ids).unwrap_or(i64::MAX)))
    };
    let toggle = move |ev: leptos::ev::Event, id: String, cost: i64| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if !input.checked() {
            chosen.update(|ids| ids.retain(|x| *x != id));
            message.set(None);
            return;
        }
        let mut next = chosen.get_untracked();
        next.push(id.clone());
        let verdict = rules.with_value(|cy| {
            proposals.with_value(|ps| check_ballot(cy, ps, &next).map_err(|e| e.code))
        });
        let refusal = match verdict {
            Err(ErrorCode::TooManyProjects) => Some(ta(
                "ballot-too-many",
                &[("max", max.unwrap_or_default().into())],
            )),
            Err(ErrorCode::OverBudget) if limited => {
                let left = budget.saturating_sub(used());
                Some(ta(
                    "ballot-over-budget",
                    &[
                        ("cost", i18n::money(cost).into()),
                        ("left", i18n::money(left).into()),
                    ],
                ))
            }
            _ => None,
        };
        if let Some(text) = refusal {
            input.set_checked(false);
            message.set(Some(text));
            return;
        }
        message.set(None);
        chosen.update(|ids| ids.push(id));
    };
    let cast = move || {
        busy.set(true);
        error.set(None);
        let ballot = CastBallot {
            cycle_id: cycle_id.get_value(),
            proposal_ids: chosen.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<BallotView, _>("cast_ballot", CastArgs { ballot }).await {
                Ok(v) => {
                    state.set(v.state);
                    reviewing.set(false);
                    c.refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let cycle_phase = cycle.phase;
    let cycle_id_for_check = cycle.id.clone();
    let closes = phase_end(&cycle).map(|d| ta("ballot-closes", &[("date", i18n::date(&d).into())]));
    let rules = match (max, limited) {
        (Some(m), true) => ta(
            "ballot-rules-both",
            &[("max", m.into()), ("budget", i18n::money(budget).into())],
        ),
        (Some(m), false) => ta("ballot-rules-max", &[("max", m.into())]),
        (None, _) => ta(
            "ballot-rules-budget",
            &[("budget", i18n::money(budget).into())],
        ),
    };

    view! {
        <h1 tabindex="-1">{t("ballot-title")} ": " {i18n::loc(&cycle.title)}</h1>
        <p>{rules}</p>
        <p class="muted" data-testid="counting-rule">{t(counting_rule_key(&cycle.rule))}</p>
        {closes.map(|c| view! { <p class="muted">{c}</p> })}
        <BallotStatus state=state/>
        {(!open).then(|| view! { <p class="notice" role="status">{t("ballot-closed")}</p> })}
        {move || (cycle_phase >= Phase::Tallying && matches!(state.get(), BallotState::Counted { .. }))
            .then(|| view! { <ReceiptCheckBox cycle_id=cycle_id_for_check.clone()/> })}
        <section class="meter" aria-labelledby="h-meter" data-testid="meter">
            <h2 id="h-meter" class="h3">{t("ballot-meter")}</h2>
            <meter min="0" max=budget.to_string() value=move || used().to_string() aria-labelledby="meter-text"></meter>
            <p id="meter-text" aria-live="polite" data-testid="meter-text">
                {move || ta("ballot-used", &[
                    ("used", i18n::money(used()).into()),
                    ("left", i18n::money(budget - used()).into()),
                ])}
                <br/>
                {move || {
                    let n = chosen.with(|c| c.len());
                    match max {
                        Some(m) => ta("ballot-chosen-of", &[("count", n.into()), ("max", m.into())]),
                        None => ta("ballot-chosen", &[("count", n.into())]),
                    }
                }}
            </p>
        </section>
        {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="ballot-message">{m}</p> })}
        {move || if reviewing.get() {
            let ids = chosen.get();
            view! {
                <section aria-labelledby="h-review">
                    <h2 id="h-review">{t("ballot-review")}</h2>
                    {if ids.is_empty() { Some(view! { <p>{t("ballot-review-empty")}</p> }) } else { None }}
                    <ul role="list" class="review">
                        {proposals.with_value(|ps| ps.iter().filter(|p| ids.contains(&p.id)).map(|p| view! {
                            <li>{p.title.clone()} " — " <span class="money">{i18n::money(p.effective_cost())}</span></li>
                        }).collect_view())}
                    </ul>
                    <p><strong>{ta("ballot-total", &[("amount", i18n::money(used()).into())])}</strong></p>
                    {move || error.get().map(|e| view! { <ErrorBox err=e/> })}
                    <div class="actions">
                        <button type="button" class="primary" data-testid="ballot-cast" disabled=move || busy.get()
                            on:click=move |_| cast()>{t("ballot-cast")}</button>
                        <button type="button" on:click=move |_| reviewing.set(false)>{t("ballot-back")}</button>
                    </div>
                </section>
            }.into_any()
        } else {
            view! {
                <fieldset class="choices" disabled=!open>
                    <legend>{t("ballot-choose")}</legend>
                    {proposals.with_value(|ps| ps.iter().map(|p| {
                        let id = p.id.clone();
                        let id2 = id.clone();
                        let cost = p.effective_cost();
                        let input_id = format!("b-{id}");
                        view! {
                            <div class="choice" data-testid="ballot-item" data-cost=cost.to_string()>
                                <input type="checkbox" id=input_id.clone() value=id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&id2))
                                    on:change=move |ev| toggle(ev, id.clone(), cost)/>
                                <label for=input_id>
                                    <span class="title">{p.title.clone()}</span>
                                    <span class="money">{i18n::money(cost)}</span>
                                </label>
                            </div>
                        }
                    }).collect_view())}
                </fieldset>
                {open.then(|| view! {
                    <div class="actions">
                        <button type="button" class="primary" data-testid="ballot-review"
                            on:click=move |_| { message.set(None); reviewing.set(true); }>{t("ballot-to-review")}</button>
                    </div>
                })}
            }.into_any()
        }}
    }
}

#[component]
fn BallotStatus(state: RwSignal<BallotState>) -> impl IntoView {
    move || {
        match state.get() {
        BallotState::None => None,
        BallotState::Saved { at, .. } => Some(view! {
            <div class="state queued" role="status" data-testid="ballot-state" data-state="saved">
                <p><strong>{t("ballot-saved")}</strong></p>
                <p class="muted">{ta("ballot-saved-at", &[("time", i18n::datetime(at).into())])}</p>
            </div>
        }.into_any()),
        BallotState::Counted { receipt, at, .. } => Some(view! {
            <div class="state ok" role="status" data-testid="ballot-state" data-state="counted">
                <p><strong>{t("ballot-counted")}</strong></p>
                <p>{t("ballot-receipt")} " " <span class="mono" data-testid="receipt">{receipt}</span></p>
                <p class="muted">{ta("ballot-counted-at", &[("time", i18n::datetime(at).into())])}</p>
                <p class="muted">{t("ballot-change-hint")}</p>
            </div>
        }.into_any()),
        BallotState::Rejected { error, .. } => Some(view! {
            <div class="state bad" role="alert" data-testid="ballot-state" data-state="rejected">
                <p><strong>{t("ballot-rejected")}</strong></p>
                <ErrorBox err=error/>
            </div>
        }.into_any()),
    }
    }
}

/// The message explaining, in plain words, how the cycle's rule picks
/// winners (one mapping, in proto: the public pages use it too).
pub use dauys_proto::budgets::counting_rule_key;

/// "Check my ballot": once voting is over, my receipt is looked up in the
/// cycle's published list — fetched whole, so the server does not learn
/// whose receipt is checked; it says only that my ballot was counted.
#[component]
pub fn ReceiptCheckBox(cycle_id: String) -> impl IntoView {
    let result = RwSignal::new(None::<Result<ReceiptCheck, CmdError>>);
    let busy = RwSignal::new(false);
    let check = move |_| {
        let cycle_id = cycle_id.clone();
        busy.set(true);
        spawn_local(async move {
            let r = api::call::<ReceiptCheck, _>("check_receipt", CycleArgs { cycle_id }).await;
            result.set(Some(r));
            busy.set(false);
        });
    };
    view! {
        <section class="receipt-check" aria-labelledby="h-receipt">
            <h2 id="h-receipt" class="h3">{t("receipt-check-title")}</h2>
            <p class="hint">{t("receipt-check-help")}</p>
            <button type="button" data-testid="receipt-check" on:click=check disabled=move || busy.get()>{t("receipt-check")}</button>
            <div role="status" aria-live="polite">
                {move || busy.get().then(|| view! { <Loading/> })}
                {move || match result.get() {
                    None => None,
                    Some(Ok(r)) if r.counted => Some(view! {
                        <p class="state ok" data-testid="receipt-verdict" data-counted="true">
                            {ta("receipt-counted", &[("count", r.published.into())])}
                        </p>
                    }.into_any()),
                    Some(Ok(_)) => Some(view! {
                        <p class="state bad" data-testid="receipt-verdict" data-counted="false">{t("receipt-missing")}</p>
                    }.into_any()),
                    Some(Err(e)) => Some(view! { <ErrorBox err=e/> }.into_any()),
                }}
            </div>
        </section>
    }
}
