//! "How your input was used": the selected projects of my places, with
//! their progress, milestones and photos. Photos load only when asked for
//! (each costs bytes on a slow link), then stay on the device.

use dauys_proto::Proposal;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::i18n::{self, t, ta};
use crate::screens::proposals::status_label;
use crate::widgets::{ErrorBox, Loading, Timeline};

#[derive(Serialize)]
struct PhotoArgs {
    id: String,
}

/// An object URL for a photo's bytes (`blob:`, allowed by the app's CSP).
fn blob_url(bytes: &[u8]) -> Option<String> {
    let arr = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&arr);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

#[component]
pub fn ImplementationScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<Proposal>, _>("implementation", NoArgs {})
    });
    view! {
        <h1 tabindex="-1">{t("implementation-title")}</h1>
        <p class="hint">{t("implementation-help")}</p>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(ps)) if ps.is_empty() => view! { <p>{t("implementation-none")}</p> }.into_any(),
            Some(Ok(ps)) => view! {
                <ul class="cards" role="list">
                    {ps.into_iter().map(|p| view! { <ProjectCard p=p/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn ProjectCard(p: Proposal) -> impl IntoView {
    let id = p.id.clone();
    let progress = p.progress.unwrap_or(0).clamp(0, 100);
    let bar = format!("bar-{}", p.id);
    let photos = RwSignal::new(Vec::<(String, String)>::new());
    let loading = RwSignal::new(false);
    let media = p.media.clone();
    let title = p.title.clone();
    let show = move |_| {
        loading.set(true);
        for (n, mid) in media.clone().into_iter().enumerate() {
            let alt = ta(
                "implementation-photo-alt",
                &[("number", (n + 1).into()), ("name", title.clone().into())],
            );
            spawn_local(async move {
                if let Ok(bytes) = api::call::<Vec<u8>, _>("photo", PhotoArgs { id: mid }).await {
                    if let Some(url) = blob_url(&bytes) {
                        photos.update(|v| v.push((url, alt)));
                    }
                }
                loading.set(false);
            });
        }
    };
    let count = p.media.len();
    view! {
        <li class="card" data-testid="project" data-status=p.status.as_str()>
            <h2 class="h3"><button type="button" class="link" on:click=move |_| go(Screen::Proposal(id.clone()))>{p.title.clone()}</button></h2>
            <p><span class="badge">{status_label(&p)}</span></p>
            <label for=bar.clone()>{ta("implementation-progress", &[("count", progress.into())])}</label>
            <progress id=bar max="100" value=progress.to_string() data-testid="project-progress"></progress>
            <details>
                <summary>{t("implementation-milestones")}</summary>
                <Timeline history=p.history.clone() prefix="proposal-status"/>
            </details>
            {(count > 0).then(|| view! {
                <button type="button" class="small" data-testid="show-photos" on:click=show
                    disabled=move || loading.get() || !photos.with(Vec::is_empty)>
                    {ta("implementation-show-photos", &[("count", count.into())])}
                </button>
            })}
            <ul role="list" class="photos-shown">
                {move || photos.get().into_iter().map(|(url, alt)| view! {
                    <li><img src=url alt=alt data-testid="project-photo" loading="lazy"/></li>
                }).collect_view()}
            </ul>
            <p class="muted">{i18n::label("category", &p.category)}</p>
        </li>
    }
}
