//! Dauys citizen app: the Tauri shell. The UI (../ui, Leptos/wasm) calls
//! the commands in `commands/` (one module per component), a thin adapter over `dauys-core`; the
//! background task in `state.rs` syncs when online and emits status events.
//!
//! A library with one entry point, [`run`]: the desktop binary (`main.rs`)
//! calls it, and on Android and iOS it is the mobile entry point that the
//! generated Kotlin/Swift project loads.

#[path = "../../ui/src/dto.rs"]
mod dto;

mod commands;
mod notify;
mod state;

/// Process start, for the "first screen rendered" timing (`DAUYS_TIMING=1`).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

use tauri::Manager;

/// Runs the app until its window closes.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
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
        .plugin(tauri_plugin_notification::init())
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
            commands::settings::boot,
            commands::settings::locale,
            commands::settings::save_settings,
            commands::session::request_code,
            commands::session::verify_code,
            commands::session::localities,
            commands::session::follow,
            commands::budgets::home,
            commands::budgets::proposals,
            commands::budgets::proposal,
            commands::comments::add_comment,
            commands::comments::comment_draft,
            commands::comments::save_comment_draft,
            commands::comments::report_comment,
            commands::budgets::ballot,
            commands::budgets::cast_ballot,
            commands::budgets::results,
            commands::budgets::check_receipt,
            commands::budgets::implementation,
            commands::budgets::photo,
            commands::appeals::appeals,
            commands::appeals::appeal,
            commands::appeals::appeal_drafts,
            commands::appeals::appeal_draft,
            commands::appeals::addressees,
            commands::appeals::suggest_addressee,
            commands::appeals::home_centre,
            commands::appeals::save_draft,
            commands::appeals::add_photo,
            commands::appeals::remove_photo,
            commands::appeals::submit_appeal,
            commands::appeals::discard_draft,
            commands::appeals::public_appeals,
            commands::notices::notices,
            commands::notices::read_notices,
            commands::proposals::proposal_form,
            commands::proposals::proposal_drafts,
            commands::proposals::save_proposal_draft,
            commands::proposals::add_proposal_photo,
            commands::proposals::remove_proposal_photo,
            commands::proposals::submit_proposal,
            commands::proposals::my_proposals,
            commands::proposals::revise_proposal,
            commands::proposals::withdraw_proposal,
            commands::outbox::outbox,
            commands::outbox::outbox_retry,
            commands::outbox::outbox_discard,
            commands::session::profiles,
            commands::session::switch_profile,
            commands::session::sign_out,
            commands::outbox::sync_now,
            commands::settings::ui_ready,
            commands::map::open_map,
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
