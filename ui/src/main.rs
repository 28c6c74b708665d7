//! Dauys citizen app UI: Leptos (client-side rendering) inside the Tauri
//! webview. It talks only to the Tauri commands in `src-tauri`, which call
//! the offline-first client core.

mod api;
mod app;
mod dto;
mod i18n;
mod screens;
mod widgets;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
