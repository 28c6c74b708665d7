//! Home: what is open in my locality, and my appeals.

use dauys_proto::{Cycle, Phase};
use leptos::prelude::*;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::dto::Home;
use crate::i18n::{self, t, ta};
use crate::widgets::{days_until, due_text, DeliveryBadge, ErrorBox, Loading};

/// Date the current phase ends: the planned start of the next phase.
pub fn phase_end(c: &Cycle) -> Option<String> {
    Phase::ALL
        .iter()
        .skip_while(|p| **p != c.phase)
        .skip(1)
        .find_map(|p| c.schedule.get(p.as_str()).cloned())
}

pub fn phase_label(p: Phase) -> String {
    t(&i18n::key("phase", p.as_str()))
}

#[component]
pub fn CycleCard(cycle: Cycle) -> impl IntoView {
    let id = cycle.id.clone();
    let (id2, id3) = (id.clone(), id.clone());
    let voting = cycle.phase == Phase::Voting;
    let collecting = cycle.phase == Phase::Collecting;
    let id4 = id.clone();
    let has_results = cycle.results.is_some();
    let deadline = phase_end(&cycle).map(|d| {
        let left = days_until(&d).unwrap_or(0).max(0);
        ta(
            "phase-until",
            &[("date", i18n::date(&d).into()), ("days", left.into())],
        )
    });
    view! {
        <li class="card" data-testid="cycle" data-phase=cycle.phase.as_str()>
            <h3>{i18n::loc(&cycle.title)}</h3>
            <p>
                <span class="badge phase">{phase_label(cycle.phase)}</span>
                {deadline.map(|d| view! { " " <span class="muted">{d}</span> })}
            </p>
            <p>{ta("cycle-budget", &[("amount", i18n::money(cycle.budget).into())])}</p>
            <div class="actions">
                <button type="button" on:click=move |_| go(Screen::Proposals(Some(id.clone())))>{t("cycle-proposals")}</button>
                {voting.then(|| view! {
                    <button type="button" class="primary" data-testid="open-ballot" on:click=move |_| go(Screen::Ballot(id2.clone()))>{t("cycle-vote")}</button>
                })}
                {collecting.then(|| view! {
                    <button type="button" class="primary" data-testid="propose" on:click=move |_| go(Screen::ProposalEdit(None, Some(id4.clone())))>{t("cycle-propose")}</button>
                })}
                {has_results.then(|| view! {
                    <button type="button" data-testid="open-results" on:click=move |_| go(Screen::Results(id3.clone()))>{t("cycle-results")}</button>
                })}
            </div>
        </li>
    }
}

#[component]
pub fn HomeScreen() -> impl IntoView {
    let c = ctx();
    let data = api::resource(move || {
        c.refresh.track();
        api::call::<Home, _>("home", NoArgs {})
    });
    view! {
        {move || match data.get() {
            None => view! { <h1 tabindex="-1">{t("nav-home")}</h1><Loading/> }.into_any(),
            Some(Err(e)) => view! { <h1 tabindex="-1">{t("nav-home")}</h1><ErrorBox err=e/> }.into_any(),
            Some(Ok(h)) => {
                let title = h.locality.as_ref().map(|l| i18n::loc(&l.name)).unwrap_or_else(|| t("nav-home"));
                let cycles = h.cycles.clone();
                let appeals = h.appeals.clone();
                view! {
                    <h1 tabindex="-1" data-testid="home-title">{title}</h1>
                    <section aria-labelledby="h-cycles">
                        <h2 id="h-cycles">{t("home-cycles")}</h2>
                        {if cycles.is_empty() {
                            view! { <p>{t("home-no-cycles")}</p> }.into_any()
                        } else {
                            view! { <ul class="cards" role="list">
                                {cycles.into_iter().map(|cy| view! { <CycleCard cycle=cy/> }).collect_view()}
                            </ul> }.into_any()
                        }}
                    </section>
                    <div class="actions">
                        <button type="button" data-testid="open-implementation" on:click=move |_| go(Screen::Implementation)>{t("implementation-title")}</button>
                    </div>
                    <section aria-labelledby="h-appeals">
                        <h2 id="h-appeals">{t("home-appeals")}</h2>
                        {if appeals.is_empty() {
                            view! { <p>{t("home-no-appeals")}</p> }.into_any()
                        } else {
                            view! { <ul class="cards" role="list">
                                {appeals.into_iter().map(|a| {
                                    let id = a.id.clone();
                                    let due = a.appeal.due_date.clone().filter(|_| a.appeal.status.is_open()).map(|d| due_text(&d));
                                    view! {
                                        <li class="card">
                                            <h3><button type="button" class="link" on:click=move |_| go(Screen::Appeal(id.clone()))>{a.appeal.subject.clone()}</button></h3>
                                            <p>
                                                <span class="badge">{t(&i18n::key("appeal-status", a.appeal.status.as_str()))}</span>
                                                " " <DeliveryBadge d=a.delivery/>
                                            </p>
                                            {due.map(|d| view! { <p class="muted">{d}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul> }.into_any()
                        }}
                        <div class="actions">
                            <button type="button" class="primary" data-testid="new-appeal" on:click=move |_| go(Screen::AppealEdit(None))>{t("appeal-new")}</button>
                        </div>
                    </section>
                }.into_any()
            }
        }}
    }
}
