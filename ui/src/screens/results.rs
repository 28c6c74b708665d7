//! Results and implementation: votes per project as an SVG bar chart,
//! budget used, and implementation progress of selected projects.

use leptos::prelude::*;
use serde::Serialize;

use crate::api;
use crate::app::ctx;
use crate::dto::{BallotState, BallotView};
use crate::i18n::{self, t, ta};
use crate::screens::ballot::ReceiptCheckBox;
use crate::widgets::{ErrorBox, Loading};

#[derive(Serialize)]
struct CycleArgs {
    cycle_id: String,
}

#[component]
pub fn ResultsScreen(cycle_id: String) -> impl IntoView {
    let c = ctx();
    let data = api::resource(move || {
        c.refresh.track();
        api::call::<BallotView, _>(
            "results",
            CycleArgs {
                cycle_id: cycle_id.clone(),
            },
        )
    });
    move || match data.get() {
        None => view! { <h1 tabindex="-1">{t("results-title")}</h1><Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <h1 tabindex="-1">{t("results-title")}</h1><ErrorBox err=e/> }.into_any()
        }
        Some(Ok(v)) => {
            let Some(r) = v.cycle.results.clone() else {
                return view! { <h1 tabindex="-1">{t("results-title")}</h1><p>{t("results-none")}</p> }.into_any();
            };
            let mut rows: Vec<_> = v
                .proposals
                .iter()
                .map(|p| {
                    (
                        p.clone(),
                        r.votes.get(&p.id).copied().unwrap_or(0),
                        r.selected.contains(&p.id),
                    )
                })
                .collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1));
            let top = rows.iter().map(|x| x.1).max().unwrap_or(1).max(1);
            let bar_h = 28;
            let height = rows.len() as i64 * (bar_h + 8) + 8;
            view! {
                <h1 tabindex="-1">{t("results-title")} ": " {i18n::loc(&v.cycle.title)}</h1>
                <dl class="facts">
                    <dt>{t("results-voters")}</dt><dd>{i18n::number(r.voters)}</dd>
                    <dt>{t("results-budget-used")}</dt>
                    <dd>{ta("results-budget-of", &[("used", i18n::money(r.cost).into()), ("budget", i18n::money(v.cycle.budget).into())])}</dd>
                </dl>
                {matches!(v.state, BallotState::Counted { .. }).then(|| view! { <ReceiptCheckBox cycle_id=v.cycle.id.clone()/> })}
                <p class="muted">{t(crate::screens::ballot::counting_rule_key(&v.cycle.rule))}</p>
                <figure>
                    <svg class="chart" role="img" viewBox=format!("0 0 100 {height}") preserveAspectRatio="none"
                        width="100%" height=height.to_string() aria-labelledby="chart-cap">
                        {rows.iter().enumerate().map(|(i, (_, votes, sel))| {
                            let w = (*votes as f64 / top as f64 * 100.0).max(0.5);
                            let y = i as i64 * (bar_h + 8) + 4;
                            view! { <rect x="0" y=y.to_string() width=format!("{w:.1}") height=bar_h.to_string()
                                class=if *sel { "bar sel" } else { "bar" }></rect> }
                        }).collect_view()}
                    </svg>
                    <figcaption id="chart-cap">{t("results-chart-caption")}</figcaption>
                </figure>
                <table class="results">
                    <thead><tr><th scope="col">{t("results-project")}</th><th scope="col">{t("results-votes")}</th>
                        <th scope="col">{t("proposal-cost")}</th><th scope="col">{t("results-outcome")}</th><th scope="col">{t("proposal-progress")}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(p, votes, sel)| view! {
                            <tr>
                                <th scope="row">{p.title.clone()}</th>
                                <td>{i18n::number(votes)}</td>
                                <td class="money">{i18n::money(p.effective_cost())}</td>
                                <td>{if sel { t("results-selected") } else { t("results-not-selected") }}</td>
                                <td>{p.progress.map(|pr| view! {
                                    <progress max="100" value=pr.to_string()></progress> " " {format!("{pr}%")}
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }
    }
}
