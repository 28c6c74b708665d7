//! Appeals: drafts that save themselves, the list, the form and a timeline
//! per appeal with the due date and working days left.

use dauys_proto::{AppealType, Body, GeoPoint};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::dto::{AppealDraft, AppealItem, CmdError, Delivery};
use crate::i18n::{self, t, ta};
use crate::screens::draft_parts::{Autosave, FormError, LocationFields, PhotoPicker};
use crate::widgets::{due_text, DeliveryBadge, ErrorBox, Loading, MapLink, Timeline};

const TYPES: [AppealType; 5] = [
    AppealType::Statement,
    AppealType::Complaint,
    AppealType::Proposal,
    AppealType::Request,
    AppealType::Response,
];

#[component]
pub fn AppealsScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<AppealItem>, _>("appeals", NoArgs {})
    });
    let drafts = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<AppealDraft>, _>("appeal_drafts", NoArgs {})
    });
    view! {
        <h1 tabindex="-1">{t("appeals-title")}</h1>
        <div class="actions">
            <button type="button" class="primary" data-testid="new-appeal" on:click=move |_| go(Screen::AppealEdit(None))>{t("appeal-new")}</button>
            <button type="button" data-testid="public-appeals" on:click=move |_| go(Screen::PublicAppeals)>{t("others-appeals-title")}</button>
        </div>
        {move || drafts.get().and_then(|r| r.ok()).filter(|d| !d.is_empty()).map(|ds| view! {
            <section aria-labelledby="h-drafts">
                <h2 id="h-drafts">{t("appeals-drafts")}</h2>
                <ul class="cards" role="list">
                    {ds.into_iter().map(|d| {
                        let id = d.id.clone();
                        let title = if d.subject.trim().is_empty() { t("appeal-untitled") } else { d.subject.clone() };
                        view! {
                            <li class="card" data-testid="draft">
                                <h3><button type="button" class="link" on:click=move |_| go(Screen::AppealEdit(Some(id.clone())))>{title}</button></h3>
                                <p class="muted">{t("appeal-draft-saved")}</p>
                                {d.rejected.map(|e| view! { <ErrorBox err=e/> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="h-mine">
            <h2 id="h-mine">{t("appeals-mine")}</h2>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p>{t("home-no-appeals")}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="cards" role="list">
                        {items.into_iter().map(|a| {
                            let id = a.id.clone();
                            view! {
                                <li class="card" data-testid="appeal" data-status=a.appeal.status.as_str()>
                                    <h3><button type="button" class="link" on:click=move |_| go(Screen::Appeal(id.clone()))>{a.appeal.subject.clone()}</button></h3>
                                    <p>
                                        <span class="badge">{t(&i18n::key("appeal-status", a.appeal.status.as_str()))}</span>
                                        " " <DeliveryBadge d=a.delivery/>
                                    </p>
                                    {a.appeal.registration_number.clone().map(|n| view! { <p>{ta("appeal-reg-number", &[("number", n.into())])}</p> })}
                                    {a.appeal.due_date.clone().filter(|_| a.appeal.status.is_open()).map(|d| view! { <p class="muted">{due_text(&d)}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[derive(Serialize)]
struct DraftArgs {
    id: Option<String>,
}
#[derive(Serialize)]
struct DraftIdArgs {
    draft_id: String,
}

#[derive(Serialize)]
struct TopicArgs {
    topic: String,
}

#[component]
pub fn AppealForm(draft_id: Option<String>) -> impl IntoView {
    let loaded = api::resource(move || {
        api::call::<AppealDraft, _>(
            "appeal_draft",
            DraftArgs {
                id: draft_id.clone(),
            },
        )
    });
    let bodies = api::resource(|| api::call::<Vec<Body>, _>("addressees", NoArgs {}));
    view! {
        <h1 tabindex="-1">{t("appeal-new")}</h1>
        {move || match (loaded.get(), bodies.get()) {
            (Some(Ok(d)), Some(Ok(b))) => view! { <DraftEditor draft=d bodies=b/> }.into_any(),
            (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <ErrorBox err=e/> }.into_any(),
            _ => view! { <Loading/> }.into_any(),
        }}
    }
}

#[component]
fn DraftEditor(draft: AppealDraft, bodies: Vec<Body>) -> impl IntoView {
    let c = ctx();
    let error = RwSignal::new(None::<CmdError>);
    let busy = RwSignal::new(false);
    let auto = Autosave::new(draft, "save_draft", error);
    let (d, saved) = (auto.draft, auto.saved);
    let changed = move |f: &dyn Fn(&mut AppealDraft)| auto.change(f);

    // The picker owns the list: photos live in the core, not in the draft.
    let photos = RwSignal::new(d.with_untracked(|x| x.photos.clone()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let draft = d.get_untracked();
        let missing = if draft.appeal_type.is_none() {
            Some("appeal-type")
        } else if draft.addressee.is_empty() {
            Some("appeal-to")
        } else if draft.subject.trim().is_empty() {
            Some("appeal-subject")
        } else if draft.body.trim().is_empty() {
            Some("appeal-body")
        } else {
            None
        };
        if let Some(field) = missing {
            error.set(Some(CmdError::new("error-required", field)));
            let _ = ta("error-required-field", &[("field", t(field).into())]);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            auto.save_now().await;
            match api::call::<AppealItem, _>(
                "submit_appeal",
                DraftIdArgs {
                    draft_id: draft.id.clone(),
                },
            )
            .await
            {
                Ok(item) => {
                    c.refresh.update(|n| *n += 1);
                    c.go(Screen::Appeals);
                    c.notice.set(Some(match item.delivery {
                        Delivery::Delivered => t("appeal-sent"),
                        _ => t("appeal-queued"),
                    }));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let discard = move |_| {
        let id = d.with_untracked(|x| x.id.clone());
        spawn_local(async move {
            let _ = api::call::<(), _>("discard_draft", DraftIdArgs { draft_id: id }).await;
            c.refresh.update(|n| *n += 1);
            c.go(Screen::Appeals);
        });
    };

    // The body the place's routing help suggested for the chosen topic.
    let suggested = RwSignal::new(None::<String>);

    let set_loc = Callback::new(move |g: Option<GeoPoint>| {
        changed(&move |x: &mut AppealDraft| x.location = g);
    });

    view! {
        {move || d.with(|x| x.rejected.clone()).map(|e| view! {
            <div class="state bad" role="alert"><p><strong>{t("appeal-rejected-edit")}</strong></p><ErrorBox err=e/></div>
        })}
        <form class="appeal-form" on:submit=submit novalidate>
            <fieldset>
                <legend>{t("appeal-type")}</legend>
                {TYPES.into_iter().map(|ty| {
                    let id = format!("type-{}", ty.as_str());
                    let help = format!("{id}-help");
                    view! {
                        <div class="choice">
                            <input type="radio" name="type" id=id.clone() value=ty.as_str() aria-describedby=help.clone()
                                prop:checked=move || d.with(|x| x.appeal_type == Some(ty))
                                on:change=move |_| changed(&move |x: &mut AppealDraft| x.appeal_type = Some(ty))/>
                            <label for=id>
                                <span class="title">{t(&i18n::key("appeal-type", ty.as_str()))}</span>
                                <span class="hint" id=help>{t(&format!("{}-help", i18n::key("appeal-type", ty.as_str())))}</span>
                            </label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <label for="topic">{t("appeal-topic")}</label>
            <select id="topic" data-testid="appeal-topic" aria-describedby="topic-help" on:change=move |ev| {
                let topic = event_target_value(&ev);
                suggested.set(None);
                if topic.is_empty() {
                    return;
                }
                spawn_local(async move {
                    if let Ok(Some(b)) = api::call::<Option<Body>, _>("suggest_addressee", TopicArgs { topic }).await {
                        let id = b.id.clone();
                        changed(&move |x: &mut AppealDraft| x.addressee = id.clone());
                        suggested.set(Some(i18n::loc(&b.name)));
                    }
                });
            }>
                <option value="">{t("appeal-topic-choose")}</option>
                {dauys_proto::APPEAL_TOPICS.iter().map(|tp| view! {
                    <option value=*tp>{t(&i18n::key("appeal-topic", tp))}</option>
                }).collect_view()}
            </select>
            <p class="hint" id="topic-help" role="status" data-testid="appeal-suggested">{move || match suggested.get() {
                Some(name) => ta("appeal-topic-suggested", &[("body", name.into())]),
                None => t("appeal-topic-help"),
            }}</p>
            <label for="to">{t("appeal-to")}</label>
            <select id="to" data-testid="appeal-to" prop:value=move || d.with(|x| x.addressee.clone()) on:change=move |ev| {
                let v = event_target_value(&ev);
                suggested.set(None);
                changed(&move |x: &mut AppealDraft| x.addressee = v.clone());
            }>
                <option value="">{t("appeal-to-choose")}</option>
                {bodies.into_iter().map(|b| {
                    let sel = d.with_untracked(|x| x.addressee == b.id);
                    view! { <option value=b.id.clone() selected=sel>{i18n::loc(&b.name)}</option> }
                }).collect_view()}
            </select>
            <label for="subject">{t("appeal-subject")}</label>
            <input id="subject" maxlength="200" data-testid="appeal-subject" prop:value=move || d.with(|x| x.subject.clone())
                on:input=move |ev| { let v = event_target_value(&ev); changed(&move |x: &mut AppealDraft| x.subject = v.clone()); }/>
            <label for="body">{t("appeal-body")}</label>
            <textarea id="body" rows="8" maxlength="10000" data-testid="appeal-body" prop:value=move || d.with(|x| x.body.clone())
                on:input=move |ev| { let v = event_target_value(&ev); changed(&move |x: &mut AppealDraft| x.body = v.clone()); }></textarea>
            <LocationFields initial=d.with_untracked(|x| x.location) on_change=set_loc prefix=""/>
            <PhotoPicker draft_id=d.with_untracked(|x| x.id.clone()) photos=photos error=error
                add="add_photo" remove="remove_photo" input_id="photos" testid="appeal-photo" hint="appeal-photos-hint"/>
            <div class="choice">
                <input type="checkbox" id="public" aria-describedby="public-help" prop:checked=move || d.with(|x| x.public)
                    on:change=move |ev| { let v = event_target_checked(&ev); changed(&move |x: &mut AppealDraft| x.public = v); }/>
                <label for="public"><span class="title">{t("appeal-public")}</span>
                    <span class="hint" id="public-help">{t("appeal-public-help")}</span></label>
            </div>
            <div class="choice">
                <input type="checkbox" id="sms" data-testid="appeal-sms" aria-describedby="sms-help" prop:checked=move || d.with(|x| x.sms_on_answer.is_some())
                    on:change=move |ev| {
                        let v = event_target_checked(&ev).then(|| i18n::lang().tag().to_string());
                        changed(&move |x: &mut AppealDraft| x.sms_on_answer = v.clone());
                    }/>
                <label for="sms"><span class="title">{t("appeal-sms")}</span>
                    <span class="hint" id="sms-help">{t("appeal-sms-help")}</span></label>
            </div>
            <p class="muted" role="status" data-testid="autosave">{move || if saved.get() { t("appeal-draft-saved") } else { t("appeal-draft-saving") }}</p>
            <FormError error=error/>
            <div class="actions">
                <button type="submit" class="primary" data-testid="appeal-submit" disabled=move || busy.get()>{t("appeal-submit")}</button>
                <button type="button" data-testid="appeal-discard" on:click=discard>{t("appeal-discard")}</button>
            </div>
        </form>
    }
}

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[component]
pub fn AppealScreen(id: String) -> impl IntoView {
    let c = ctx();
    let data = api::resource(move || {
        c.refresh.track();
        api::call::<AppealItem, _>("appeal", IdArgs { id: id.clone() })
    });
    move || match data.get() {
        None => view! { <h1 tabindex="-1">{t("appeal-title")}</h1><Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <h1 tabindex="-1">{t("appeal-title")}</h1><ErrorBox err=e/> }.into_any()
        }
        Some(Ok(item)) => {
            let a = item.appeal.clone();
            view! {
                <p><button type="button" class="link" on:click=move |_| go(Screen::Appeals)>{t("back-to-list")}</button></p>
                <h1 tabindex="-1">{a.subject.clone()}</h1>
                <p>
                    <span class="badge" data-testid="appeal-status">{t(&i18n::key("appeal-status", a.status.as_str()))}</span>
                    " " <DeliveryBadge d=item.delivery/>
                </p>
                {item.error.clone().map(|e| view! { <ErrorBox err=e/> })}
                <dl class="facts">
                    <dt>{t("appeal-type")}</dt><dd>{t(&i18n::key("appeal-type", a.appeal_type.as_str()))}</dd>
                    {a.registration_number.clone().map(|n| view! { <dt>{t("appeal-reg")}</dt><dd class="mono" data-testid="reg-number">{n}</dd> })}
                    {a.due_date.clone().map(|d| view! { <dt>{t("appeal-due")}</dt><dd>{if a.status.is_open() { due_text(&d) } else { i18n::date(&d) }}</dd> })}
                    <dt>{t("appeal-visibility")}</dt><dd>{if a.public { t("appeal-public") } else { t("appeal-private") }}</dd>
                    {a.location.map(|g| view! { <dt>{t("proposal-location")}</dt><dd><MapLink g=g/></dd> })}
                </dl>
                <p class="prewrap">{a.body.clone()}</p>
                {a.answer.clone().map(|ans| view! {
                    <section aria-labelledby="h-answer" class="answer"><h2 id="h-answer">{t("appeal-answer")}</h2><p class="prewrap">{ans}</p></section>
                })}
                <section aria-labelledby="h-timeline">
                    <h2 id="h-timeline">{t("appeal-timeline")}</h2>
                    <Timeline history=a.history.clone() prefix="appeal-status" testid="timeline"/>
                </section>
            }.into_any()
        }
    }
}
