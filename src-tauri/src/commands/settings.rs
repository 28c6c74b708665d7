//! Start-up, language and app settings.

use tauri::{AppHandle, State};

use super::{io, profile_info, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn boot(st: State<'_, AppState>) -> R<Boot> {
    let profile = st.active().map(|p| profile_info(&p, true));
    let mut status = st.status();
    if let Some(p) = st.active() {
        status.unread = p.unread_notices().unwrap_or(0).max(0) as u32;
    }
    Ok(Boot {
        settings: st.settings(),
        profile,
        status,
        version: env!("CARGO_PKG_VERSION").to_string(),
        default_server: st.default_server.clone(),
        languages: LOCALES
            .iter()
            .map(|(tag, src)| LangName {
                tag: tag.to_string(),
                name: plain_message(src, "language-name"),
                choose: plain_message(src, "choose-language"),
            })
            .collect(),
    })
}

/// The Fluent bundles, embedded at compile time. The UI asks for its active
/// language's only (`locale`), so the wasm carries none of them.
const LOCALES: [(&str, &str); 3] = [
    ("kk", include_str!("../../../locales/kk/main.ftl")),
    ("ru", include_str!("../../../locales/ru/main.ftl")),
    ("en", include_str!("../../../locales/en/main.ftl")),
];

/// The text of a one-line message without placeables (`id = text`); the
/// i18n test keeps `language-name` and `choose-language` that simple.
fn plain_message(src: &str, id: &str) -> String {
    src.lines()
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == id).then_some(value)
        })
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| id.to_string())
}

/// A plain one-line message in `lang` (Kazakh when unknown): what the
/// shell itself says outside the UI (the desktop notification).
pub fn plain_text(lang: &str, id: &str) -> String {
    let src = LOCALES
        .iter()
        .find(|(tag, _)| *tag == lang)
        .unwrap_or(&LOCALES[0])
        .1;
    plain_message(src, id)
}

/// The Fluent source of one language (`kk`, `ru`, `en`).
#[tauri::command(rename_all = "snake_case")]
pub async fn locale(lang: String) -> R<String> {
    LOCALES
        .iter()
        .find(|(tag, _)| *tag == lang)
        .map(|(_, src)| src.to_string())
        .ok_or_else(|| CmdError::new("error-internal", format!("no locale {lang}")))
}

/// Called by the UI once its first screen is drawn: the first sync starts
/// (and, with `DAUYS_TIMING`, the start-up time is printed).
#[tauri::command(rename_all = "snake_case")]
pub async fn ui_ready(st: State<'_, AppState>) -> R<()> {
    st.first_screen.notify_one();
    if std::env::var_os("DAUYS_TIMING").is_some() {
        let ms = crate::STARTED
            .get()
            .map(|t| t.elapsed().as_millis())
            .unwrap_or(0);
        eprintln!("dauys-app: first screen rendered after {ms} ms");
    }
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_settings(
    app: AppHandle,
    st: State<'_, AppState>,
    settings: Settings,
) -> R<Settings> {
    let mut s = settings;
    s.text_scale = s.text_scale.clamp(100, 200);
    s.kiosk_idle_minutes = s.kiosk_idle_minutes.min(240);
    if let Some(l) = &s.lang {
        if !LANGS.contains(&l.as_str()) {
            s.lang = None;
        }
    }
    st.set_settings(s.clone()).map_err(io)?;
    st.refresh_pending(&app);
    Ok(s)
}
