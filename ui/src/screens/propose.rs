//! Proposing a project: a form that saves itself (photos sealed on the
//! device, as for appeals), queued offline like every action; the
//! resident's own proposals with where each stands and the moderator's
//! reason; revising one sent back for changes.

use dauys_proto::{GeoPoint, ProposalRevisePayload, ProposalStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, NoArgs, Screen};
use crate::dto::{CmdError, MyProposal, ProposalDraft, ProposalForm as Form};
use crate::i18n::{self, t, ta};
use crate::screens::draft_parts::{Autosave, FormError, LocationFields, PhotoPicker};
use crate::screens::proposals::status_label;
use crate::widgets::{DeliveryBadge, ErrorBox, Loading};

/// Tenge as residents type them: "2 500 000", "2500000 ₸", "2,500,000".
/// `None` when there is no digit or the number is too large.
pub fn parse_tenge(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

#[derive(Serialize)]
struct FormArgs {
    id: Option<String>,
    cycle_id: Option<String>,
}
#[derive(Serialize)]
struct DraftIdArgs {
    draft_id: String,
}
#[derive(Serialize)]
struct ReviseArgs {
    revision: ProposalRevisePayload,
}
#[derive(Serialize)]
struct WithdrawArgs {
    proposal_id: String,
}

/// The proposal form: a draft (new for `cycle`, or `draft_id` reopened).
#[component]
pub fn ProposeScreen(draft_id: Option<String>, cycle: Option<String>) -> impl IntoView {
    let loaded = api::resource(move || {
        api::call::<Form, _>(
            "proposal_form",
            FormArgs {
                id: draft_id.clone(),
                cycle_id: cycle.clone(),
            },
        )
    });
    view! {
        <h1 tabindex="-1">{t("propose-title")}</h1>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(f)) => view! {
                <p class="muted">{i18n::loc(&f.cycle.title)}</p>
                <ProposalEditor draft=f.draft categories=f.categories/>
            }.into_any(),
        }}
    }
}

#[component]
fn ProposalEditor(draft: ProposalDraft, categories: Vec<String>) -> impl IntoView {
    let c = ctx();
    let cost_text = RwSignal::new(draft.cost.map(i18n::number).unwrap_or_default());
    let error = RwSignal::new(None::<CmdError>);
    let busy = RwSignal::new(false);
    let auto = Autosave::new(draft, "save_proposal_draft", error);
    let (d, saved) = (auto.draft, auto.saved);
    let changed = move |f: &dyn Fn(&mut ProposalDraft)| auto.change(f);

    // The picker owns the list: photos live in the core, not in the draft.
    let photos = RwSignal::new(d.with_untracked(|x| x.photos.clone()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let draft = d.get_untracked();
        let missing = if draft.title.trim().is_empty() {
            Some("propose-name")
        } else if draft.description.trim().is_empty() {
            Some("propose-description")
        } else if draft.category.trim().is_empty() {
            Some("propose-category")
        } else if draft.cost.is_none_or(|c| c <= 0) {
            Some("propose-cost")
        } else {
            None
        };
        if let Some(field) = missing {
            error.set(Some(CmdError::new("error-required", field)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            auto.save_now().await;
            match api::call::<(), _>(
                "submit_proposal",
                DraftIdArgs {
                    draft_id: draft.id.clone(),
                },
            )
            .await
            {
                Ok(()) => {
                    c.refresh.update(|n| *n += 1);
                    c.go(Screen::MyProposals);
                    c.notice.set(Some(t("propose-queued")));
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
            c.go(Screen::MyProposals);
        });
    };

    let set_loc = Callback::new(move |g: Option<GeoPoint>| {
        changed(&move |x: &mut ProposalDraft| x.location = g);
    });
    let cats = categories.clone();

    view! {
        {move || d.with(|x| x.rejected.clone()).map(|e| view! {
            <div class="state bad" role="alert"><p><strong>{t("appeal-rejected-edit")}</strong></p><ErrorBox err=e/></div>
        })}
        <form class="appeal-form" on:submit=submit novalidate data-testid="propose-form">
            <label for="p-title">{t("propose-name")}</label>
            <input id="p-title" maxlength="200" data-testid="propose-title" prop:value=move || d.with(|x| x.title.clone())
                on:input=move |ev| { let v = event_target_value(&ev); changed(&move |x: &mut ProposalDraft| x.title = v.clone()); }/>
            <label for="p-desc">{t("propose-description")}</label>
            <p class="hint" id="p-desc-help">{t("propose-description-help")}</p>
            <textarea id="p-desc" rows="8" maxlength="10000" aria-describedby="p-desc-help" data-testid="propose-description"
                prop:value=move || d.with(|x| x.description.clone())
                on:input=move |ev| { let v = event_target_value(&ev); changed(&move |x: &mut ProposalDraft| x.description = v.clone()); }></textarea>
            <label for="p-cat">{t("propose-category")}</label>
            <input id="p-cat" list="p-cats" maxlength="50" data-testid="propose-category" prop:value=move || d.with(|x| x.category.clone())
                on:input=move |ev| { let v = event_target_value(&ev); changed(&move |x: &mut ProposalDraft| x.category = v.clone()); }/>
            <datalist id="p-cats">
                {cats.into_iter().map(|cat| view! { <option value=cat.clone()>{i18n::label("category", &cat)}</option> }).collect_view()}
            </datalist>
            <label for="p-cost">{t("propose-cost")}</label>
            <p class="hint" id="p-cost-help">{t("propose-cost-help")}</p>
            <input id="p-cost" inputmode="numeric" aria-describedby="p-cost-help p-cost-read" data-testid="propose-cost"
                prop:value=move || cost_text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    let n = parse_tenge(&v);
                    cost_text.set(v);
                    changed(&move |x: &mut ProposalDraft| x.cost = n);
                }/>
            <p class="muted" id="p-cost-read" data-testid="propose-cost-read">{move || d.with(|x| x.cost).map(i18n::money)}</p>
            <LocationFields initial=d.with_untracked(|x| x.location) on_change=set_loc prefix="p-"/>
            <PhotoPicker draft_id=d.with_untracked(|x| x.id.clone()) photos=photos error=error
                add="add_proposal_photo" remove="remove_proposal_photo" input_id="p-photos" testid="propose-photo" hint="propose-photos-hint"/>
            <p class="muted" role="status" data-testid="autosave">{move || if saved.get() { t("appeal-draft-saved") } else { t("appeal-draft-saving") }}</p>
            <FormError error=error/>
            <div class="actions">
                <button type="submit" class="primary" data-testid="propose-submit" disabled=move || busy.get()>{t("propose-submit")}</button>
                <button type="button" data-testid="propose-discard" on:click=discard>{t("appeal-discard")}</button>
            </div>
        </form>
    }
}

/// The resident's proposals: drafts, then each proposal with its status,
/// the moderator's or expert's published reason, and the revision form
/// when it was sent back for changes.
#[component]
pub fn MyProposalsScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<MyProposal>, _>("my_proposals", NoArgs {})
    });
    let drafts = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<ProposalDraft>, _>("proposal_drafts", NoArgs {})
    });
    view! {
        <h1 tabindex="-1">{t("my-proposals-title")}</h1>
        {move || drafts.get().and_then(|r| r.ok()).filter(|d| !d.is_empty()).map(|ds| view! {
            <section aria-labelledby="h-p-drafts">
                <h2 id="h-p-drafts">{t("appeals-drafts")}</h2>
                <ul class="cards" role="list">
                    {ds.into_iter().map(|d| {
                        let id = d.id.clone();
                        let title = if d.title.trim().is_empty() { t("appeal-untitled") } else { d.title.clone() };
                        view! {
                            <li class="card" data-testid="proposal-draft">
                                <h3><button type="button" class="link" on:click=move |_| go(Screen::ProposalEdit(Some(id.clone()), None))>{title}</button></h3>
                                <p class="muted">{t("appeal-draft-saved")}</p>
                                {d.rejected.map(|e| view! { <ErrorBox err=e/> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p>{t("my-proposals-none")}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="cards" role="list">
                    {items.into_iter().map(|m| view! { <MyProposalCard item=m/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn MyProposalCard(item: MyProposal) -> impl IntoView {
    let p = item.proposal.clone();
    let id = p.id.clone();
    let reason = p
        .history
        .last()
        .map(|h| h.note.clone())
        .filter(|n| !n.is_empty());
    let can_revise = p.status == ProposalStatus::NeedsChanges;
    let can_withdraw = dauys_proto::budgets::in_moderation(p.status);
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let wid = p.id.clone();
    let withdraw = move |_| {
        let proposal_id = wid.clone();
        spawn_local(async move {
            if api::call::<Vec<MyProposal>, _>("withdraw_proposal", WithdrawArgs { proposal_id })
                .await
                .is_ok()
            {
                confirming.set(false);
                let c = ctx();
                c.notice.set(Some(t("my-proposal-withdrawn")));
                c.refresh.update(|n| *n += 1);
            }
        });
    };
    view! {
        <li class="card" data-testid="my-proposal" data-status=p.status.as_str()>
            <h2 class="h3"><button type="button" class="link" on:click=move |_| go(Screen::Proposal(id.clone()))>{p.title.clone()}</button></h2>
            <p><span class="badge">{status_label(&p)}</span> " " <DeliveryBadge d=item.delivery/></p>
            {item.error.clone().map(|e| view! { <ErrorBox err=e/> })}
            {reason.map(|r| view! { <p data-testid="reason">{ta("my-proposal-reason", &[("reason", r.into())])}</p> })}
            <p class="money">{i18n::money(p.cost)}</p>
            {can_revise.then(|| view! {
                <div class="actions">
                    <button type="button" class="primary" data-testid="revise-open"
                        aria-expanded=move || editing.get().to_string()
                        on:click=move |_| editing.update(|e| *e = !*e)>{t("my-proposal-revise")}</button>
                </div>
            })}
            {move || editing.get().then(|| view! { <ReviseForm item=item.clone() editing=editing/> })}
            {can_withdraw.then(|| view! {
                <div class="actions">
                    <button type="button" data-testid="withdraw-open" aria-expanded=move || confirming.get().to_string()
                        on:click=move |_| confirming.update(|v| *v = !*v)>{t("my-proposal-withdraw")}</button>
                </div>
            })}
            {move || confirming.get().then(|| view! {
                <div class="state warn" role="group" aria-labelledby="withdraw-q" data-testid="withdraw-confirm">
                    <p id="withdraw-q">{t("my-proposal-withdraw-confirm")}</p>
                    <div class="actions">
                        <button type="button" class="danger" data-testid="withdraw-yes" on:click=withdraw.clone()>{t("my-proposal-withdraw-yes")}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{t("my-proposal-withdraw-no")}</button>
                    </div>
                </div>
            })}
        </li>
    }
}

#[component]
fn ReviseForm(item: MyProposal, editing: RwSignal<bool>) -> impl IntoView {
    let c = ctx();
    let p = item.proposal;
    let pid = p.id.clone();
    let title = RwSignal::new(p.title.clone());
    let description = RwSignal::new(p.description.clone());
    let category = RwSignal::new(p.category.clone());
    let cost = RwSignal::new(i18n::number(p.cost));
    let error = RwSignal::new(None::<CmdError>);
    let prefix = format!("rv-{}", p.id);
    let (f_title, f_desc, f_cat, f_cost) = (
        format!("{prefix}-title"),
        format!("{prefix}-desc"),
        format!("{prefix}-cat"),
        format!("{prefix}-cost"),
    );
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(amount) = parse_tenge(&cost.get_untracked()).filter(|n| *n > 0) else {
            error.set(Some(CmdError::new("error-required", "propose-cost")));
            return;
        };
        let revision = ProposalRevisePayload {
            proposal_id: pid.clone(),
            title: title.get_untracked().trim().to_string(),
            description: description.get_untracked().trim().to_string(),
            category: category.get_untracked().trim().to_string(),
            cost: amount,
        };
        spawn_local(async move {
            match api::call::<Vec<MyProposal>, _>("revise_proposal", ReviseArgs { revision }).await
            {
                Ok(_) => {
                    editing.set(false);
                    c.notice.set(Some(t("my-proposal-revised")));
                    c.refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="appeal-form" on:submit=send data-testid="revise-form">
            <label for=f_title.clone()>{t("propose-name")}</label>
            <input id=f_title maxlength="200" data-testid="revise-title" prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for=f_desc.clone()>{t("propose-description")}</label>
            <textarea id=f_desc rows="6" maxlength="10000" data-testid="revise-description" prop:value=move || description.get()
                on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            <label for=f_cat.clone()>{t("propose-category")}</label>
            <input id=f_cat maxlength="50" prop:value=move || category.get()
                on:input=move |ev| category.set(event_target_value(&ev))/>
            <label for=f_cost.clone()>{t("propose-cost")}</label>
            <input id=f_cost inputmode="numeric" prop:value=move || cost.get()
                on:input=move |ev| cost.set(event_target_value(&ev))/>
            <FormError error=error/>
            <div class="actions">
                <button type="submit" class="primary" data-testid="revise-submit">{t("my-proposal-send-revision")}</button>
            </div>
        </form>
    }
}
