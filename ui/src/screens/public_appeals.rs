//! Other residents' public appeals of my places, with their answers,
//! searched on the device (offline too): "has someone already asked about
//! this street light?".

use dauys_proto::Appeal;
use leptos::prelude::*;
use serde::Serialize;

use crate::api;
use crate::app::ctx;
use crate::dto::PublicAppealQuery;
use crate::i18n::{self, t, ta};
use crate::widgets::{ErrorBox, Loading};

#[derive(Serialize)]
struct QueryArgs {
    query: PublicAppealQuery,
}

#[component]
pub fn PublicAppealsScreen() -> impl IntoView {
    let c = ctx();
    let search = RwSignal::new(String::new());
    let answered = RwSignal::new(false);
    let list = api::resource(move || {
        c.refresh.track();
        let query = PublicAppealQuery {
            search: search.get(),
            answered: answered.get(),
        };
        api::call::<Vec<Appeal>, _>("public_appeals", QueryArgs { query })
    });
    view! {
        <h1 tabindex="-1">{t("others-appeals-title")}</h1>
        <p class="hint">{t("others-appeals-help")}</p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="pa-q">{t("others-appeals-search")}</label>
                <input id="pa-q" type="search" data-testid="public-search" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <div class="choice">
                <input type="checkbox" id="pa-answered" prop:checked=move || answered.get()
                    on:change=move |ev| answered.set(event_target_checked(&ev))/>
                <label for="pa-answered">{t("others-appeals-answered")}</label>
            </div>
        </form>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(items)) => view! {
                <p role="status" class="muted">{ta("others-appeals-count", &[("count", items.len().into())])}</p>
                <ul class="cards" role="list">
                    {items.into_iter().map(|a| view! {
                        <li class="card" data-testid="public-appeal" data-status=a.status.as_str()>
                            <h2 class="h3">{a.subject.clone()}</h2>
                            <p>
                                <span class="badge">{t(&i18n::key("appeal-status", a.status.as_str()))}</span>
                                " " <span class="muted">{i18n::datetime(a.submitted_at)}</span>
                            </p>
                            <p class="prewrap">{a.body.clone()}</p>
                            {a.answer.clone().map(|ans| view! {
                                <div class="answer">
                                    <h3>{t("appeal-answer")}</h3>
                                    <p class="prewrap">{ans}</p>
                                </div>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
