//! Proposals: offline search and filter, and one proposal's detail with
//! its history and comments.

use dauys_proto::Proposal;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, go, Screen};
use crate::dto::{CmdError, CommentDraft, CommentItem, ProposalDetail, ProposalQuery};
use crate::i18n::{self, t, ta};
use crate::widgets::{DeliveryBadge, ErrorBox, Loading, MapLink, Timeline};

#[derive(Serialize)]
struct QueryArgs {
    query: ProposalQuery,
}

pub fn status_label(p: &Proposal) -> String {
    t(&i18n::key("proposal-status", p.status.as_str()))
}

#[component]
pub fn ProposalsScreen(cycle: Option<String>) -> impl IntoView {
    let c = ctx();
    let search = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let categories = RwSignal::new(Vec::<String>::new());
    let cycle2 = cycle.clone();
    let list = api::resource(move || {
        c.refresh.track();
        let q = ProposalQuery {
            cycle_id: cycle2.clone(),
            search: search.get(),
            category: Some(category.get()).filter(|c| !c.is_empty()),
        };
        async move {
            let r =
                api::call::<Vec<Proposal>, _>("proposals", QueryArgs { query: q.clone() }).await;
            if let Ok(ps) = &r {
                if q.search.is_empty() && q.category.is_none() {
                    let mut cats: Vec<String> = ps.iter().map(|p| p.category.clone()).collect();
                    cats.sort_unstable();
                    cats.dedup();
                    categories.set(cats);
                }
            }
            r
        }
    });
    view! {
        <h1 tabindex="-1">{t("proposals-title")}</h1>
        <div class="actions">
            <button type="button" data-testid="my-proposals" on:click=move |_| go(Screen::MyProposals)>{t("my-proposals-title")}</button>
        </div>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="q">{t("proposals-search")}</label>
                <input id="q" type="search" data-testid="search" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="cat">{t("proposals-category")}</label>
                <select id="cat" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{t("proposals-category-all")}</option>
                    {move || categories.get().into_iter().map(|cat| {
                        let sel = category.get_untracked() == cat;
                        view! { <option value=cat.clone() selected=sel>{i18n::label("category", &cat)}</option> }
                    }).collect_view()}
                </select>
            </div>
        </form>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
            Some(Ok(ps)) => view! {
                <p role="status" class="muted">{ta("proposals-count", &[("count", ps.len().into())])}</p>
                <ul class="cards" role="list">
                    {ps.into_iter().map(|p| {
                        let id = p.id.clone();
                        view! {
                            <li class="card" data-testid="proposal">
                                <h2 class="h3"><button type="button" class="link" on:click=move |_| go(Screen::Proposal(id.clone()))>{p.title.clone()}</button></h2>
                                <p>
                                    <span class="badge">{status_label(&p)}</span> " "
                                    <span class="muted">{i18n::label("category", &p.category)}</span>
                                </p>
                                <p class="money">{i18n::money(p.effective_cost())}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[derive(Serialize)]
struct CommentArgs {
    proposal_id: String,
    body: String,
}

#[component]
pub fn ProposalScreen(id: String) -> impl IntoView {
    let c = ctx();
    let id2 = id.clone();
    let data = api::resource(move || {
        c.refresh.track();
        api::call::<ProposalDetail, _>("proposal", IdArgs { id: id2.clone() })
    });
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CmdError>);
    // An unfinished comment survives a restart; a refused one comes back
    // here, editable, with the reason.
    let pid_draft = id.clone();
    spawn_local(async move {
        if let Ok(Some(d)) = api::call::<Option<CommentDraft>, _>(
            "comment_draft",
            ProposalArgs {
                proposal_id: pid_draft,
            },
        )
        .await
        {
            if text.get_untracked().is_empty() {
                text.set(d.body);
            }
            error.set(d.rejected);
        }
    });
    let generation = StoredValue::new(0u64);
    let pid_save = id.clone();
    let typed = move |v: String| {
        text.set(v);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let pid = pid_save.clone();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                let args = CommentArgs {
                    proposal_id: pid,
                    body: text.get_untracked(),
                };
                spawn_local(async move {
                    let _ = api::call::<(), _>("save_comment_draft", args).await;
                });
            },
            std::time::Duration::from_millis(500),
        );
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_string();
        if body.is_empty() {
            return;
        }
        let pid = id.clone();
        spawn_local(async move {
            match api::call::<CommentItem, _>(
                "add_comment",
                CommentArgs {
                    proposal_id: pid,
                    body,
                },
            )
            .await
            {
                Ok(_) => {
                    generation.update_value(|g| *g += 1);
                    text.set(String::new());
                    error.set(None);
                    c.refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        {move || match data.get() {
            None => view! { <h1 tabindex="-1">{t("proposal-title")}</h1><Loading/> }.into_any(),
            Some(Err(e)) => view! { <h1 tabindex="-1">{t("proposal-title")}</h1><ErrorBox err=e/> }.into_any(),
            Some(Ok(d)) => {
                let p = d.proposal.clone();
                let cycle = p.cycle_id.clone();
                view! {
                    <p><button type="button" class="link" on:click=move |_| go(Screen::Proposals(Some(cycle.clone())))>{t("back-to-list")}</button></p>
                    <h1 tabindex="-1">{p.title.clone()}</h1>
                    <p><span class="badge">{status_label(&p)}</span> " " <span class="muted">{i18n::label("category", &p.category)}</span></p>
                    <p class="prewrap">{p.description.clone()}</p>
                    <dl class="facts">
                        <dt>{t("proposal-cost")}</dt><dd>{i18n::money(p.cost)}</dd>
                        {p.expert_cost.map(|e| view! { <dt>{t("proposal-expert-cost")}</dt><dd>{i18n::money(e)}</dd> })}
                        {p.expert_note.clone().filter(|n| !n.is_empty()).map(|n| view! { <dt>{t("proposal-expert-note")}</dt><dd>{n}</dd> })}
                        {p.location.map(|g| view! {
                            <dt>{t("proposal-location")}</dt>
                            <dd><MapLink g=g/></dd>
                        })}
                        {p.votes.map(|v| view! { <dt>{t("proposal-votes")}</dt><dd>{i18n::number(v)}</dd> })}
                        {p.progress.map(|v| view! { <dt>{t("proposal-progress")}</dt><dd>{format!("{v}%")}</dd> })}
                    </dl>
                    <section aria-labelledby="h-history">
                        <h2 id="h-history">{t("proposal-history")}</h2>
                        <Timeline history=p.history.clone() prefix="proposal-status"/>
                    </section>
                    <section aria-labelledby="h-comments">
                        <h2 id="h-comments">{t("comments-title")}</h2>
                        {if d.comments.is_empty() { Some(view! { <p>{t("comments-none")}</p> }) } else { None }}
                        <ul class="comments" role="list">
                            {d.comments.iter().map(|ci| view! {
                                <li>
                                    <p class="prewrap">{if ci.comment.visible {
                                        ci.comment.body.clone()
                                    } else if ci.comment.moderation_note.is_empty() {
                                        t("comment-hidden")
                                    } else {
                                        ta("comment-hidden-reason", &[("reason", ci.comment.moderation_note.clone().into())])
                                    }}</p>
                                    <p class="muted">{i18n::datetime(ci.comment.created_at)} " "
                                        {ci.comment.mine.then(|| view! { <DeliveryBadge d=ci.delivery/> })}</p>
                                    {(!ci.comment.mine && ci.comment.visible).then(|| view! { <ReportComment comment_id=ci.comment.id.clone()/> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            }
        }}
        <form class="comment-form" on:submit=add>
            <label for="comment">{t("comment-add")}</label>
            <textarea id="comment" rows="3" maxlength="2000" data-testid="comment"
                prop:value=move || text.get() on:input=move |ev| typed(event_target_value(&ev))></textarea>
            {move || error.get().map(|e| view! { <ErrorBox err=e/> })}
            <button type="submit" class="primary">{t("comment-send")}</button>
        </form>
    }
}

#[derive(Serialize)]
struct ProposalArgs {
    proposal_id: String,
}

#[derive(Serialize)]
struct ReportArgs {
    comment_id: String,
    reason: String,
}

/// "Report to the moderators": a reason (optional), queued like every
/// action; the moderators decide whether to hide the comment.
#[component]
fn ReportComment(comment_id: String) -> impl IntoView {
    let c = ctx();
    let open = RwSignal::new(false);
    let done = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let field = format!("report-{comment_id}");
    let field2 = field.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let args = ReportArgs {
            comment_id: comment_id.clone(),
            reason: reason.get_untracked().trim().to_string(),
        };
        spawn_local(async move {
            match api::call::<(), _>("report_comment", args).await {
                Ok(()) => {
                    open.set(false);
                    done.set(true);
                    c.notice.set(Some(t("comment-reported")));
                }
                Err(e) => c.notice.set(Some(t(&e.key))),
            }
        });
    };
    view! {
        {move || (!done.get()).then(|| view! {
            <button type="button" class="small" data-testid="report-comment"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{t("comment-report")}</button>
        })}
        {move || open.get().then(|| {
            let field = field.clone();
            view! {
                <form class="report-form" on:submit=send.clone()>
                    <label for=field.clone()>{t("comment-report-reason")}</label>
                    <input id=field maxlength="500" data-testid="report-reason" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="submit" class="small" data-testid="report-send">{t("comment-report-send")}</button>
                </form>
            }
        })}
        {move || done.get().then(|| view! { <span class="muted" id=field2.clone()>{t("comment-reported")}</span> })}
    }
}
