//! Notifications: what changed for me since I last looked, newest first.
//! Opening the list reads them (the badge clears); each opens its screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::dto::{NoticeItem, NoticeOpen};
use crate::i18n::{self, t, ta};
use crate::widgets::{ErrorBox, Loading};

#[derive(Serialize)]
struct ReadArgs {
    up_to: i64,
}

fn target(o: &NoticeOpen) -> Screen {
    match o {
        NoticeOpen::Appeal(id) => Screen::Appeal(id.clone()),
        NoticeOpen::Proposal(id) => Screen::Proposal(id.clone()),
        NoticeOpen::MyProposals => Screen::MyProposals,
        NoticeOpen::Results(id) => Screen::Results(id.clone()),
        NoticeOpen::Ballot(id) => Screen::Ballot(id.clone()),
        NoticeOpen::Outbox => Screen::Outbox,
    }
}

/// The notification's sentence in the user's language.
fn text(n: &NoticeItem) -> String {
    let status = n.status.as_deref().map(t).unwrap_or_default();
    ta(
        &n.message_key,
        &[
            ("subject", n.subject.clone().into()),
            ("status", status.into()),
        ],
    )
}

#[component]
pub fn NoticesScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<NoticeItem>, _>("notices", NoArgs {})
    });
    // What is shown is read: the badge clears (newer ones stay unread).
    Effect::new(move |_| {
        if let Some(Ok(items)) = list.get() {
            if let Some(newest) = items.iter().find(|n| !n.read) {
                let up_to = items.first().map_or(newest.seq, |n| n.seq);
                spawn_local(async move {
                    let _ = api::call::<(), _>("read_notices", ReadArgs { up_to }).await;
                });
            }
        }
    });
    view! {
        <h1 tabindex="-1">{t("notices-title")}</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p>{t("notices-none")}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="cards" role="list" data-testid="notices">
                    {items.into_iter().map(|n| {
                        let open = n.open.clone();
                        let words = text(&n);
                        view! {
                            <li class="card" class:unread=!n.read data-testid="notice" data-kind=n.message_key.clone()>
                                <p>
                                    {(!n.read).then(|| view! { <span class="badge">{t("notices-new")}</span> " " })}
                                    {match open {
                                        Some(o) => view! { <button type="button" class="link" on:click=move |_| go(target(&o))>{words.clone()}</button> }.into_any(),
                                        None => view! { <span>{words.clone()}</span> }.into_any(),
                                    }}
                                </p>
                                {(!n.note.is_empty()).then(|| view! { <p class="prewrap">{n.note.clone()}</p> })}
                                <p class="muted">{i18n::datetime(n.at)}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
