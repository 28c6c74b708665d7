//! Outbox: every action waiting on this device, with retry, edit and discard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::dto::{Delivery, OutboxItem, Reopen};
use crate::i18n::{self, t, ta};
use crate::widgets::{DeliveryBadge, ErrorBox, Loading};

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[component]
pub fn OutboxScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(move || {
        c.refresh.track();
        c.status.with(|s| (s.pending, s.syncing));
        api::call::<Vec<OutboxItem>, _>("outbox", NoArgs {})
    });
    let act = move |cmd: &'static str, id: String| {
        spawn_local(async move {
            match api::call::<(), _>(cmd, IdArgs { id }).await {
                Ok(()) => c.refresh.update(|n| *n += 1),
                Err(e) => c.notice.set(Some(t(&e.key))),
            }
        });
    };
    view! {
        <h1 tabindex="-1">{t("outbox-title")}</h1>
        <p>{t("outbox-intro")}</p>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p data-testid="outbox-empty">{t("outbox-empty")}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="cards" role="list">
                    {items.into_iter().map(|o| {
                        let (id1, id2) = (o.id.clone(), o.id.clone());
                        // Only refused actions with a screen to change them are reopened.
                        let edit = match (&o.reopen, o.delivery) {
                            (Some(Reopen::AppealDraft { draft_id }), Delivery::Rejected) => Some(Screen::AppealEdit(Some(draft_id.clone()))),
                            (Some(Reopen::Ballot { cycle_id }), Delivery::Rejected) => Some(Screen::Ballot(cycle_id.clone())),
                            _ => None,
                        };
                        let can_retry = matches!(o.delivery, Delivery::Rejected | Delivery::Queued);
                        let can_discard = o.delivery != Delivery::Delivered && o.delivery != Delivery::Sending;
                        view! {
                            <li class="card" data-testid="outbox-item" data-kind=o.kind.clone()>
                                <h2 class="h3">{i18n::label("op", &o.kind.replace('.', "-"))}</h2>
                                {(!o.summary.is_empty()).then(|| view! { <p>{o.summary.clone()}</p> })}
                                {o.about.as_ref().map(|a| view! { <p class="muted">{i18n::loc(a)}</p> })}
                                <p><DeliveryBadge d=o.delivery/> " "
                                    <span class="muted">{i18n::datetime(o.created_at)}</span>
                                    {(o.attempts > 0).then(|| view! { " " <span class="muted">{ta("outbox-attempts", &[("count", o.attempts.into())])}</span> })}
                                </p>
                                {o.receipt.clone().map(|r| view! { <p>{t("ballot-receipt")} " " <span class="mono">{r}</span></p> })}
                                {o.error.clone().map(|e| view! { <ErrorBox err=e/> })}
                                <div class="actions">
                                    {can_retry.then(|| view! { <button type="button" on:click=move |_| act("outbox_retry", id1.clone())>{t("outbox-retry")}</button> })}
                                    {edit.map(|screen| view! {
                                        <button type="button" data-testid="outbox-edit" on:click=move |_| go(screen.clone())>{t("outbox-edit")}</button>
                                    })}
                                    {can_discard.then(|| view! { <button type="button" class="danger" on:click=move |_| act("outbox_discard", id2.clone())>{t("outbox-discard")}</button> })}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
