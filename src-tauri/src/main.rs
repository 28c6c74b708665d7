//! The desktop binary: the app is the library's [`dauys_app_lib::run`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    dauys_app_lib::run();
}
