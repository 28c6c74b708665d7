//! The desktop notification raised when a sync brings news for the user
//! while the window is in the background (in the foreground the badge and
//! the list say it). It names no appeal or project: the screen of a shared
//! computer may be seen by others.

use std::io::Write;

use dauys_core::Profile;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::commands::settings::plain_text;

/// Raises the notification if the main window is not focused. Each call is
/// also appended to `$DAUYS_NOTIFY_LOG` when set (what the E2E test reads:
/// a headless session has no notification daemon to ask).
pub fn news(app: &AppHandle, p: &Profile, unread_before: i64) {
    let focused = app
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false);
    if focused {
        return;
    }
    let unread = p.unread_notices().unwrap_or(0);
    let lang = app
        .try_state::<crate::state::AppState>()
        .and_then(|st| st.settings().lang)
        .unwrap_or_else(|| "kk".into());
    let title = plain_text(&lang, "app-name");
    let body = plain_text(&lang, "notice-os-body");
    if let Some(path) = std::env::var_os("DAUYS_NOTIFY_LOG") {
        let line = serde_json::json!({
            "title": title, "body": body, "unread": unread, "before": unread_before,
        });
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{line}");
        }
    }
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!("desktop notification not shown: {e}");
    }
}
