//! Dauys citizen app: the Tauri shell. The UI (../ui, Leptos/wasm) calls
//! the commands in `commands.rs`, a thin adapter over `dauys-core`; the
//! background task in `state.rs` syncs when online and emits status events.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[path = "../../ui/src/dto.rs"]
mod dto;

mod commands;
mod state;

/// Process start, for the "first screen rendered" timing (`DAUYS_TIMING=1`).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

use tauri::Manager;

fn main() {
    let started = *STARTED.get_or_init(std::time::Instant::now);
    lean_webview();
    tauri::Builder::default()
        // Only for `open_map` (Rust API). No script that turns link clicks
        // into opener calls: the webview has no opener permission anyway.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .setup(move |app| {
            let state = state::open(app.handle())?;
            app.manage(state.clone());
            state::spawn_sync_loop(app.handle().clone(), state);
            if std::env::var_os("DAUYS_TIMING").is_some() {
                eprintln!(
                    "dauys-app: setup done after {} ms",
                    started.elapsed().as_millis()
                );
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::boot,
            commands::locale,
            commands::save_settings,
            commands::request_code,
            commands::verify_code,
            commands::localities,
            commands::follow,
            commands::home,
            commands::proposals,
            commands::proposal,
            commands::add_comment,
            commands::ballot,
            commands::cast_ballot,
            commands::results,
            commands::appeals,
            commands::appeal,
            commands::appeal_drafts,
            commands::appeal_draft,
            commands::addressees,
            commands::save_draft,
            commands::add_photo,
            commands::remove_photo,
            commands::submit_appeal,
            commands::discard_draft,
            commands::outbox,
            commands::outbox_retry,
            commands::outbox_discard,
            commands::profiles,
            commands::switch_profile,
            commands::sign_out,
            commands::sync_now,
            commands::ui_ready,
            commands::open_map,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Dauys app");
}

/// WebKitGTK without accelerated compositing: the app's screens are static
/// forms that gain nothing from GPU layers, and without them the web process
/// idles at ~108 MB PSS instead of ~180 MB (software GL under Xvfb; whole app
/// ~218 MB instead of ~289 MB, scripts/bench/app_memory.sh). It also avoids
/// the blank windows some GPU drivers give WebKit. Runs before GTK starts;
/// `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment turns it back on.
fn lean_webview() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
