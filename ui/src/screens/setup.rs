//! First start: language, server, sign-in with IIN + one-time code, and the
//! locality to follow.

use dauys_proto::Locality;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, focus_heading, save_settings, NoArgs};
use crate::dto::{CmdError, OtpSent, ProfileInfo};
use crate::i18n::{self, t, ta, Lang};
use crate::widgets::{ErrorBox, Loading};

#[component]
pub fn LanguageScreen() -> impl IntoView {
    let c = ctx();
    let pick = move |l: Lang| {
        let mut s = c.settings.get_untracked();
        s.lang = Some(l.tag().to_string());
        if s.server.is_empty() {
            s.server = c.default_server.get_untracked();
        }
        save_settings(s);
    };
    view! {
        <main id="main" class="narrow">
            <h1 tabindex="-1">
                {Lang::ALL.into_iter().map(|l| view! { <span lang=l.tag() class="block">{i18n::choose_language(l)}</span> }).collect_view()}
            </h1>
            <ul class="choices" role="list">
                {Lang::ALL.into_iter().map(|l| view! {
                    <li>
                        <button type="button" class="big" lang=l.tag() data-testid=format!("lang-{}", l.tag())
                            on:click=move |_| pick(l)>
                            {i18n::language_name(l)}
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </main>
    }
}

#[derive(Serialize)]
struct CodeReq {
    server: String,
    iin: String,
}

#[derive(Serialize)]
struct VerifyReq {
    iin: String,
    code: String,
}

#[component]
pub fn SignInScreen() -> impl IntoView {
    let c = ctx();
    let server = RwSignal::new({
        let s = c.settings.get_untracked().server;
        if s.is_empty() {
            c.default_server.get_untracked()
        } else {
            s
        }
    });
    let iin = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<OtpSent>);
    let error = RwSignal::new(None::<CmdError>);
    let busy = RwSignal::new(false);

    let request = move || {
        error.set(None);
        let value = iin.get_untracked().trim().to_string();
        if let Err(e) = dauys_proto::iin::Iin::parse(&value) {
            error.set(Some(CmdError::new(
                i18n::key("error", e.code()),
                e.to_string(),
            )));
            return;
        }
        let mut s = c.settings.get_untracked();
        s.server = server.get_untracked().trim().to_string();
        save_settings(s.clone());
        busy.set(true);
        spawn_local(async move {
            match api::call::<OtpSent, _>(
                "request_code",
                CodeReq {
                    server: s.server,
                    iin: value,
                },
            )
            .await
            {
                Ok(o) => sent.set(Some(o)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let verify = move || {
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let req = VerifyReq {
                iin: iin.get_untracked().trim().into(),
                code: code.get_untracked().trim().into(),
            };
            match api::call::<ProfileInfo, _>("verify_code", req).await {
                Ok(p) => {
                    c.setup_done.set(false);
                    c.profile.set(Some(p));
                    focus_heading();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <main id="main" class="narrow">
            <h1 tabindex="-1">{t("signin-title")}</h1>
            <p>{t("signin-intro")}</p>
            {move || c.notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <form on:submit=move |ev| { ev.prevent_default(); if sent.with(|s| s.is_some()) { verify() } else { request() } }>
                <details class="server">
                    <summary>{t("signin-server")}</summary>
                    <label for="server">{t("signin-server-label")}</label>
                    <input id="server" type="url" autocomplete="off" spellcheck="false"
                        prop:value=move || server.get() on:input=move |ev| server.set(event_target_value(&ev))/>
                    <p class="hint">{t("signin-server-hint")}</p>
                </details>
                <label for="iin">{t("signin-iin")}</label>
                <input id="iin" name="iin" inputmode="numeric" autocomplete="off" maxlength="12"
                    aria-describedby="iin-hint" data-testid="iin"
                    aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.key.contains("iin"))).to_string()
                    prop:value=move || iin.get()
                    on:input=move |ev| { iin.set(event_target_value(&ev)); sent.set(None); }/>
                <p class="hint" id="iin-hint">{t("signin-iin-hint")}</p>
                {move || sent.get().map(|o| view! {
                    <p role="status" data-testid="code-sent">
                        {match o.phone_hint {
                            Some(p) => ta("signin-code-sent", &[("phone", p.into())]),
                            None => t("signin-code-sent-unknown"),
                        }}
                    </p>
                    <label for="code">{t("signin-code")}</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8"
                        data-testid="code" prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))/>
                })}
                {move || error.get().map(|e| view! { <ErrorBox err=e/> })}
                <div class="actions">
                    <button type="submit" class="primary" data-testid="signin-submit" disabled=move || busy.get()>
                        {move || if sent.with(|s| s.is_some()) { t("signin-verify") } else { t("signin-get-code") }}
                    </button>
                    {move || sent.with(|s| s.is_some()).then(|| view! {
                        <button type="button" on:click=move |_| request()>{t("signin-resend")}</button>
                    })}
                </div>
            </form>
        </main>
    }
}

#[derive(Serialize)]
struct FollowReq {
    locality: String,
}

#[component]
pub fn LocalityScreen() -> impl IntoView {
    let c = ctx();
    let list = api::resource(|| api::call::<Vec<Locality>, _>("localities", NoArgs {}));
    let chosen = RwSignal::new(
        c.profile
            .get_untracked()
            .and_then(|p| p.locality)
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<CmdError>);
    let go_on = move |_| {
        let loc = chosen.get_untracked();
        spawn_local(async move {
            match api::call::<ProfileInfo, _>("follow", FollowReq { locality: loc }).await {
                Ok(p) => {
                    c.profile.set(Some(p));
                    c.setup_done.set(true);
                    c.refresh.update(|n| *n += 1);
                    focus_heading();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main id="main" class="narrow">
            <h1 tabindex="-1">{t("locality-title")}</h1>
            <p>{t("locality-intro")}</p>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
                Some(Ok(ls)) => view! {
                    <label for="locality">{t("locality-label")}</label>
                    <select id="locality" data-testid="locality" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {ls.into_iter().map(|l| {
                            let code = l.code.clone();
                            let sel = chosen.get_untracked() == code;
                            view! { <option value=code selected=sel>{i18n::loc(&l.name)}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <ErrorBox err=e/> })}
            <div class="actions">
                <button type="button" class="primary" data-testid="locality-continue" on:click=go_on>{t("continue")}</button>
            </div>
        </main>
    }
}
