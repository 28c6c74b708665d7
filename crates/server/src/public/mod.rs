//! The public web: what Dauys knows, for anyone, without signing in —
//! per locality (and everything under it): its cycles and their results,
//! the public appeals with their answers, and how fast each akimat and
//! department answers. Server-rendered (askama templates in
//! `templates/public/`, strings from `locales/`), no JavaScript, small
//! enough for 2G, and cacheable: every page has an `ETag` (304 on
//! revalidation) and `Cache-Control: public`, and its language comes from
//! the URL (`?lang=`) or `Accept-Language` — never a cookie — so a proxy
//! can serve it.
//!
//! - `page.rs` the layout, language, rendering and caching headers
//! - `places.rs` the index of localities, a locality's home, public appeals
//! - `accountability.rs` answer figures per akimat and department
//! - `cycles.rs` a cycle: proposals with their history, results, chart

pub mod accountability;
pub mod cache;
pub mod cycles;
pub mod exports;
pub mod page;
pub mod places;
pub mod receipt;
pub mod store;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

/// The public pages' routes (merged into the API router by `http::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(places::index))
        .route("/style.css", get(css))
        .route("/l/{code}", get(places::home))
        .route("/l/{code}/appeals", get(places::appeals))
        .route("/l/{code}/accountability", get(accountability::page))
        .route(
            "/l/{code}/accountability.csv",
            get(exports::accountability_csv),
        )
        .route(
            "/l/{code}/accountability.json",
            get(exports::accountability_json),
        )
        .route("/cycles/{id}", get(cycles::page))
        .route("/cycles/{id}/receipt", get(receipt::page))
        .layer(axum::middleware::map_response(page::security_headers))
}

/// The public style sheet (shared look with the console, a few rules more).
async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        concat!(
            include_str!("../../templates/console/style.css"),
            include_str!("../../templates/public/extra.css")
        ),
    )
        .into_response()
}
