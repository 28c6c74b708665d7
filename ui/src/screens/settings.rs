//! Settings: language, text size, contrast, kiosk mode, profiles, server,
//! and what is stored where.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::app::{ctx, save_settings, sign_out, NoArgs};
use crate::dto::ProfileInfo;
use crate::i18n::{self, t, ta, Lang};
use crate::widgets::{ErrorBox, Loading};

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[component]
pub fn SettingsScreen() -> impl IntoView {
    let c = ctx();
    let update = move |f: &dyn Fn(&mut crate::dto::Settings)| {
        let mut s = c.settings.get_untracked();
        f(&mut s);
        save_settings(s);
    };
    let profiles = api::resource(move || {
        c.refresh.track();
        api::call::<Vec<ProfileInfo>, _>("profiles", NoArgs {})
    });
    let server = RwSignal::new(c.settings.get_untracked().server);
    view! {
        <h1 tabindex="-1">{t("settings-title")}</h1>
        <section aria-labelledby="h-lang">
            <h2 id="h-lang">{t("settings-language")}</h2>
            <fieldset class="inline">
                <legend class="sr-only">{t("settings-language")}</legend>
                {Lang::ALL.into_iter().map(|l| {
                    let id = format!("lang-{}", l.tag());
                    view! {
                        <div class="choice">
                            <input type="radio" name="lang" id=id.clone() data-testid=format!("set-{id}")
                                prop:checked=move || c.lang.get() == l
                                on:change=move |_| update(&|s| s.lang = Some(l.tag().into()))/>
                            <label for=id lang=l.tag()>{i18n::language_name(l)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        </section>
        <section aria-labelledby="h-view">
            <h2 id="h-view">{t("settings-display")}</h2>
            <label for="scale">{t("settings-text-size")}</label>
            <select id="scale" data-testid="text-size" on:change=move |ev| {
                let v: u16 = event_target_value(&ev).parse().unwrap_or(100);
                update(&|s| s.text_scale = v);
            }>
                {[100u16, 125, 150, 175, 200].into_iter().map(|v| view! {
                    <option value=v.to_string() selected=move || c.settings.with(|s| s.text_scale == v)>{format!("{v}%")}</option>
                }).collect_view()}
            </select>
            <div class="choice">
                <input type="checkbox" id="hc" data-testid="contrast" prop:checked=move || c.settings.with(|s| s.high_contrast)
                    on:change=move |ev| { let v = event_target_checked(&ev); update(&|s| s.high_contrast = v); }/>
                <label for="hc">{t("settings-contrast")}</label>
            </div>
        </section>
        <section aria-labelledby="h-kiosk">
            <h2 id="h-kiosk">{t("settings-kiosk")}</h2>
            <p class="hint" id="kiosk-help">{t("settings-kiosk-help")}</p>
            <label for="idle">{t("settings-kiosk-minutes")}</label>
            <input id="idle" type="number" min="0" max="240" inputmode="numeric" aria-describedby="kiosk-help" data-testid="kiosk-minutes"
                prop:value=move || c.settings.with(|s| s.kiosk_idle_minutes.to_string())
                on:change=move |ev| { let v: u32 = event_target_value(&ev).parse().unwrap_or(0); update(&|s| s.kiosk_idle_minutes = v.min(240)); }/>
        </section>
        <section aria-labelledby="h-profiles">
            <h2 id="h-profiles">{t("settings-profiles")}</h2>
            {move || match profiles.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
                Some(Ok(ps)) => view! {
                    <ul role="list" class="profiles">
                        {ps.into_iter().map(|p| {
                            let id = p.id.clone();
                            view! {
                                <li>
                                    <span class="mono">{p.label.clone()}</span> " "
                                    {if p.active {
                                        view! { <span class="badge ok">{t("settings-profile-active")}</span> }.into_any()
                                    } else {
                                        view! { <button type="button" class="small" on:click=move |_| {
                                            let id = id.clone();
                                            spawn_local(async move {
                                                if let Ok(p) = api::call::<ProfileInfo, _>("switch_profile", IdArgs { id }).await {
                                                    c.profile.set(Some(p));
                                                    c.refresh.update(|n| *n += 1);
                                                }
                                            });
                                        }>{ta("settings-profile-switch", &[("name", p.label.clone().into())])}</button> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <div class="actions">
                <button type="button" data-testid="sign-out" on:click=move |_| sign_out(false)>{t("settings-sign-out")}</button>
            </div>
        </section>
        <section aria-labelledby="h-server">
            <h2 id="h-server">{t("signin-server")}</h2>
            <label for="server-url">{t("signin-server-label")}</label>
            <input id="server-url" type="url" spellcheck="false" prop:value=move || server.get()
                on:input=move |ev| server.set(event_target_value(&ev))
                on:change=move |_| { let v = server.get_untracked(); update(&|s| s.server = v.trim().to_string()); }/>
        </section>
        <section aria-labelledby="h-about">
            <h2 id="h-about">{t("settings-about")}</h2>
            <p>{move || ta("settings-version", &[("version", c.version.get().into())])}</p>
            <h3>{t("privacy-title")}</h3>
            <ul class="plain">
                <li>{t("privacy-device")}</li>
                <li>{t("privacy-server")}</li>
                <li>{t("privacy-kiosk")}</li>
                <li>{t("privacy-iin")}</li>
            </ul>
        </section>
    }
}
