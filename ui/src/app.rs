//! Root component: app-wide state, first-start flow, the shell (banner,
//! navigation, main area), text size, contrast and kiosk idle sign-out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api;
use crate::dto::{Boot, ProfileInfo, Settings, SyncStatus, EVENT_DATA, EVENT_STATUS};
use crate::i18n::{self, t, ta, Lang};
use crate::screens;
use crate::widgets::ErrorBox;

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Home,
    Proposals(Option<String>),
    Proposal(String),
    Ballot(String),
    Results(String),
    Appeals,
    AppealEdit(Option<String>),
    Appeal(String),
    Outbox,
    Settings,
    /// Proposing a project: a draft reopened, or a new one for a cycle.
    ProposalEdit(Option<String>, Option<String>),
    MyProposals,
    Notices,
    PublicAppeals,
    /// "How your input was used": selected projects and their progress.
    Implementation,
}

/// App-wide state, provided as context. All fields are `Copy` signals.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub screen: RwSignal<Screen>,
    pub lang: RwSignal<Lang>,
    pub settings: RwSignal<Settings>,
    pub profile: RwSignal<Option<ProfileInfo>>,
    pub status: RwSignal<SyncStatus>,
    /// Bumped when local data changed: screens reload.
    pub refresh: RwSignal<u64>,
    pub version: RwSignal<String>,
    pub default_server: RwSignal<String>,
    /// Polite announcement for screen readers and sighted users alike.
    pub notice: RwSignal<Option<String>>,
    /// Set once the locality to follow was confirmed on first start.
    pub setup_done: RwSignal<bool>,
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    /// Goes to a screen and moves focus to its heading. Use this form in
    /// async tasks (`spawn_local`): after an `.await` there is no reactive
    /// owner, so `ctx()`/`go()` would panic and take the whole UI down.
    pub fn go(self, screen: Screen) {
        self.notice.set(None);
        self.screen.set(screen);
        focus_heading();
    }
}

/// Goes to a screen and moves focus to its heading (event handlers and
/// component bodies only: see [`Ctx::go`] for async tasks).
pub fn go(screen: Screen) {
    ctx().go(screen);
}

pub fn focus_heading() {
    request_animation_frame(|| {
        if let Some(el) = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Saves settings through the core and applies them to the page. A new
/// language is loaded first and then switched to, so no screen ever shows
/// message ids.
pub fn save_settings(s: Settings) {
    let c = ctx();
    let new_lang = s
        .lang
        .as_deref()
        .and_then(Lang::parse)
        // Setting the same language would re-render every screen.
        .filter(|l| c.lang.get_untracked() != *l || !i18n::loaded(*l));
    if new_lang.is_none() {
        let first_choice = c.settings.with_untracked(|o| o.lang.is_none()) && s.lang.is_some();
        c.settings.set(s.clone());
        if first_choice {
            focus_heading();
        }
    }
    spawn_local(async move {
        if let Some(l) = new_lang {
            if let Err(e) = i18n::load(l).await {
                c.notice.set(Some(t(&e.key)));
                return;
            }
            c.lang.set(l);
            c.settings.set(s.clone());
            // Every screen is drawn anew in the new language.
            focus_heading();
        }
        let r: Result<Settings, _> = api::call("save_settings", Args { settings: s }).await;
        if let Err(e) = r {
            web_sys::console::error_1(&e.to_string().into());
        }
    });
}

#[derive(serde::Serialize)]
struct Args<T> {
    settings: T,
}

#[derive(serde::Serialize)]
pub struct NoArgs {}

fn apply_page(s: &Settings, lang: Lang) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = root.set_attribute("lang", lang.tag());
    let scale = s.text_scale.clamp(100, 200);
    if let Some(html) = root.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.style().set_property("font-size", &format!("{scale}%"));
    }
    let _ = if s.high_contrast {
        root.class_list().add_1("hc")
    } else {
        root.class_list().remove_1("hc")
    };
}

#[component]
pub fn App() -> impl IntoView {
    let c = Ctx {
        screen: RwSignal::new(Screen::Home),
        lang: RwSignal::new(Lang::Kk),
        settings: RwSignal::new(Settings::default()),
        profile: RwSignal::new(None),
        status: RwSignal::new(SyncStatus::default()),
        refresh: RwSignal::new(0),
        version: RwSignal::new(String::new()),
        default_server: RwSignal::new(String::new()),
        notice: RwSignal::new(None),
        setup_done: RwSignal::new(true),
    };
    provide_context(c);
    i18n::init(c.lang);
    let booted = RwSignal::new(None::<Result<(), crate::dto::CmdError>>);

    spawn_local(async move {
        match api::call::<Boot, _>("boot", NoArgs {}).await {
            Ok(b) => {
                // Until a language is chosen the first screen shows all
                // three names; errors, if any, then show in Kazakh.
                let l = b
                    .settings
                    .lang
                    .as_deref()
                    .and_then(Lang::parse)
                    .unwrap_or(Lang::Kk);
                i18n::set_names(b.languages);
                if let Err(e) = i18n::load(l).await {
                    booted.set(Some(Err(e)));
                    return;
                }
                c.lang.set(l);
                c.settings.set(b.settings);
                c.setup_done
                    .set(b.profile.as_ref().is_some_and(|p| p.locality.is_some()));
                c.profile.set(b.profile);
                c.status.set(b.status);
                c.version.set(b.version);
                c.default_server.set(b.default_server);
                booted.set(Some(Ok(())));
                request_animation_frame(|| {
                    spawn_local(async {
                        let _ = api::call::<(), _>("ui_ready", NoArgs {}).await;
                    })
                });
            }
            Err(e) => {
                let _ = i18n::load(Lang::Kk).await;
                booted.set(Some(Err(e)));
            }
        }
    });
    api::on_event(EVENT_STATUS, move |v| {
        if let Ok(s) = serde_wasm_bindgen::from_value::<SyncStatus>(v) {
            c.status.set(s);
        }
    });
    api::on_event(EVENT_DATA, move |_| c.refresh.update(|n| *n += 1));

    Effect::new(move |_| apply_page(&c.settings.get(), c.lang.get()));
    kiosk_watch(c);

    let lang_chosen = Memo::new(move |_| c.settings.with(|s| s.lang.is_some()));
    let signed_in = Memo::new(move |_| c.profile.with(|p| p.is_some()));
    move || {
        // Re-render everything when the language changes: every text is
        // then simply a call of `t` with the message id.
        let _ = c.lang.get();
        match booted.get() {
            // No text before the language's messages are loaded (a few ms).
            None => view! { <main id="main" aria-busy="true"></main> }.into_any(),
            Some(Err(e)) => {
                view! { <main id="main"><h1>{t("app-name")}</h1><ErrorBox err=e/></main> }
                    .into_any()
            }
            Some(Ok(())) => {
                if !lang_chosen.get() {
                    view! { <screens::setup::LanguageScreen/> }.into_any()
                } else if !signed_in.get() {
                    view! { <screens::setup::SignInScreen/> }.into_any()
                } else if !c.setup_done.get() {
                    view! { <screens::setup::LocalityScreen/> }.into_any()
                } else {
                    view! { <Shell/> }.into_any()
                }
            }
        }
    }
}

/// Kiosk mode: sign out after the configured idle time.
fn kiosk_watch(c: Ctx) {
    let last = StoredValue::new(js_sys::Date::now());
    let bump = move || last.set_value(js_sys::Date::now());
    let h1 = window_event_listener(leptos::ev::keydown, move |_| bump());
    let h2 = window_event_listener(leptos::ev::pointerdown, move |_| bump());
    let h3 = window_event_listener(leptos::ev::input, move |_| bump());
    std::mem::forget((h1, h2, h3));
    set_interval(
        move || {
            let mins = c.settings.with_untracked(|s| s.kiosk_idle_minutes);
            if mins == 0 || c.profile.with_untracked(|p| p.is_none()) {
                return;
            }
            if js_sys::Date::now() - last.get_value() > f64::from(mins) * 60_000.0 {
                last.set_value(js_sys::Date::now());
                sign_out(true);
            }
        },
        std::time::Duration::from_secs(5),
    );
}

/// Signs the current profile out (kiosk: and wipes it once synced).
pub fn sign_out(idle: bool) {
    let c = ctx();
    spawn_local(async move {
        let r: Result<(), _> = api::call("sign_out", NoArgs {}).await;
        match r {
            Ok(()) => {
                c.profile.set(None);
                c.screen.set(Screen::Home);
                c.notice.set(Some(if idle {
                    t("kiosk-signed-out-idle")
                } else {
                    t("signed-out")
                }));
            }
            Err(e) => c.notice.set(Some(t(&e.key))),
        }
    });
}

#[component]
fn Shell() -> impl IntoView {
    let c = ctx();
    view! {
        <a class="skip" href="#main">{t("skip-to-content")}</a>
        <header class="top">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◉"</span>
                <span class="name">{t("app-name")}</span>
            </div>
            <Banner/>
        </header>
        <Nav/>
        <main id="main" tabindex="-1">
            {move || c.notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {move || match c.screen.get() {
                Screen::Home => view! { <screens::home::HomeScreen/> }.into_any(),
                Screen::Proposals(cycle) => view! { <screens::proposals::ProposalsScreen cycle=cycle/> }.into_any(),
                Screen::Proposal(id) => view! { <screens::proposals::ProposalScreen id=id/> }.into_any(),
                Screen::Ballot(id) => view! { <screens::ballot::BallotScreen cycle_id=id/> }.into_any(),
                Screen::Results(id) => view! { <screens::results::ResultsScreen cycle_id=id/> }.into_any(),
                Screen::Appeals => view! { <screens::appeals::AppealsScreen/> }.into_any(),
                Screen::AppealEdit(id) => view! { <screens::appeals::AppealForm draft_id=id/> }.into_any(),
                Screen::Appeal(id) => view! { <screens::appeals::AppealScreen id=id/> }.into_any(),
                Screen::Outbox => view! { <screens::outbox::OutboxScreen/> }.into_any(),
                Screen::Settings => view! { <screens::settings::SettingsScreen/> }.into_any(),
                Screen::ProposalEdit(draft, cycle) => view! { <screens::propose::ProposeScreen draft_id=draft cycle=cycle/> }.into_any(),
                Screen::MyProposals => view! { <screens::propose::MyProposalsScreen/> }.into_any(),
                Screen::Notices => view! { <screens::notices::NoticesScreen/> }.into_any(),
                Screen::PublicAppeals => view! { <screens::public_appeals::PublicAppealsScreen/> }.into_any(),
                Screen::Implementation => view! { <screens::implementation::ImplementationScreen/> }.into_any(),
            }}
        </main>
    }
}

/// Connection banner and the outbox counter.
#[component]
fn Banner() -> impl IntoView {
    let c = ctx();
    let sync_now = move |_| {
        spawn_local(async move {
            let r: Result<(), _> = api::call("sync_now", NoArgs {}).await;
            if let Err(e) = r {
                c.notice.set(Some(t(&e.key)));
            }
        });
    };
    view! {
        <div class="banner" role="status" aria-live="polite" data-testid="connection"
            class:offline=move || !c.status.with(|s| s.online)>
            <span class="conn">
                {move || {
                    let s = c.status.get();
                    if s.syncing {
                        ta("conn-syncing", &[("sent", s.sent.into())])
                    } else if s.online {
                        match s.last_sync {
                            Some(ms) => ta("conn-online-synced", &[("time", i18n::datetime(ms).into())]),
                            None => t("conn-online"),
                        }
                    } else {
                        match s.offline_since {
                            Some(ms) => ta("conn-offline-since", &[("time", i18n::datetime(ms).into())]),
                            None => t("conn-offline"),
                        }
                    }
                }}
            </span>
            <button type="button" class="link" on:click=move |_| go(Screen::Outbox) data-testid="outbox-count">
                {move || ta("outbox-waiting", &[("count", c.status.with(|s| s.pending).into())])}
            </button>
            <button type="button" class="small" on:click=sync_now>{t("sync-now")}</button>
        </div>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let c = ctx();
    let item = move |label: String, target: Screen, testid: &'static str| {
        let t2 = target.clone();
        let current = move || {
            let s = c.screen.get();
            std::mem::discriminant(&s) == std::mem::discriminant(&t2)
                || (matches!(t2, Screen::Appeals)
                    && matches!(
                        s,
                        Screen::Appeal(_) | Screen::AppealEdit(_) | Screen::PublicAppeals
                    ))
                || (matches!(t2, Screen::Proposals(_))
                    && matches!(
                        s,
                        Screen::Proposal(_)
                            | Screen::Ballot(_)
                            | Screen::Results(_)
                            | Screen::ProposalEdit(..)
                            | Screen::MyProposals
                            | Screen::Implementation
                    ))
        };
        view! {
            <li>
                <button type="button" data-testid=testid
                    aria-current=move || if current() { Some("page") } else { None }
                    on:click=move |_| go(target.clone())>
                    {label}
                </button>
            </li>
        }
    };
    let notices_current = move || matches!(c.screen.get(), Screen::Notices);
    view! {
        <nav aria-label=t("nav-label")>
            <ul>
                {item(t("nav-home"), Screen::Home, "nav-home")}
                {item(t("nav-proposals"), Screen::Proposals(None), "nav-proposals")}
                {item(t("nav-appeals"), Screen::Appeals, "nav-appeals")}
                <li>
                    // The count is part of the button's name, so a screen
                    // reader says "Notifications, 2 new".
                    <button type="button" data-testid="nav-notices"
                        aria-current=move || if notices_current() { Some("page") } else { None }
                        on:click=move |_| go(Screen::Notices)>
                        {t("nav-notices")}
                        {move || {
                            let n = c.status.with(|s| s.unread);
                            (n > 0).then(|| view! {
                                " " <span class="count" data-testid="notices-badge">{ta("notices-unread", &[("count", n.into())])}</span>
                            })
                        }}
                    </button>
                </li>
                {item(t("nav-outbox"), Screen::Outbox, "nav-outbox")}
                {item(t("nav-settings"), Screen::Settings, "nav-settings")}
            </ul>
        </nav>
    }
}
