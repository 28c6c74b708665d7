//! The akimat staff console: server-rendered HTML under `/console`
//! (askama templates in `templates/console/`, strings from the Fluent
//! files of `locales/`). Works without JavaScript: forms, POST, 303 back.
//!
//! - `session.rs` console sessions (cookie, idle timeout) and the `Staff` extractor
//! - `csrf.rs` the synchronizer token checked on every POST
//! - `login.rs` sign-in with the app's OTP flow, sign-out, language switch
//! - `action.rs` staff actions as ops through the app's op path
//! - `dashboard.rs`, `appeals.rs`, `proposals.rs` the pages; `store/` their SQL
//!   (queues and counts; `sessions.rs`, `templates.rs`)
//! - `bulk.rs` bulk registration from the appeals queue
//! - `reviews.rs` experts' review and implementation updates of proposals
//! - `cycles.rs` PB cycles: create, move to the next phase (confirmed)
//! - `comments.rs` comment moderation with a published reason
//! - `resume.rs` a form sent after the session expired survives the sign-in
//! - `admin.rs` staff grants and the census import; `partners.rs` Open311
//!   partner apps' API keys; `audit.rs` the audit log;
//!   `templates.rs` answer templates
//! - `inbox.rs` the JSON inbox `GET /v1/staff/{appeals,proposals,comments,cycles}`
//!   (in the OpenAPI document)
//! - `pages.rs` layout, rendering, headers, message pages; `i18n.rs` Fluent

pub mod action;
pub mod admin;
pub mod appeals;
pub mod audit;
pub mod bulk;
pub mod comments;
pub mod csrf;
pub mod cycles;
pub mod dashboard;
pub mod i18n;
pub mod inbox;
pub mod login;
pub mod media;
pub mod pages;
pub mod partners;
pub mod proposals;
pub mod resume;
pub mod reviews;
pub mod routing;
pub mod session;
pub mod store;
pub mod templates;

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The console's routes (merged into the API router by `http::router`).
pub fn router(st: &AppState) -> Router<AppState> {
    Router::new()
        .route("/console", get(dashboard::page))
        .route("/console/", get(|| async { Redirect::to("/console") }))
        .route("/console/style.css", get(css))
        .route("/console/login", get(login::form).post(login::request_code))
        .route("/console/login/code", post(login::verify))
        .route("/console/logout", post(login::logout))
        .route("/console/lang", get(login::switch_lang))
        .route("/console/appeals", get(appeals::queue))
        .route("/console/appeals/register", post(bulk::register))
        .route("/console/appeals/{id}", get(appeals::detail))
        .route("/console/uploads/{id}", get(media::photo))
        .route("/console/appeals/{id}/{action}", post(appeals::act))
        .route("/console/proposals", get(proposals::queue))
        .route(
            "/console/proposals/{id}/{decision}",
            post(proposals::moderate),
        )
        .route("/console/admin", get(admin::page))
        .route("/console/admin/grant", post(admin::grant))
        .route("/console/admin/revoke", post(admin::revoke))
        .route(
            "/console/admin/census",
            get(admin::census_form).post(admin::census_import).layer(
                axum::extract::DefaultBodyLimit::max(admin::CENSUS_MAX_BYTES + 4096),
            ),
        )
        .route(
            "/console/admin/templates",
            get(templates::page).post(templates::save),
        )
        .route("/console/admin/templates/delete", post(templates::delete))
        .route(
            "/console/admin/partners",
            get(partners::page).post(partners::issue),
        )
        .route("/console/admin/partners/revoke", post(partners::revoke))
        .route("/console/admin/routes", get(routing::choose))
        .route(
            "/console/admin/routes/{code}",
            get(routing::page).post(routing::save),
        )
        .route("/console/audit", get(audit::page))
        .route("/console/cycles", get(cycles::page).post(cycles::create))
        .route(
            "/console/cycles/{id}/phase",
            get(cycles::confirm).post(cycles::move_phase),
        )
        .route("/console/comments", get(comments::page))
        .route("/console/comments/{id}/{what}", post(comments::moderate))
        .route("/console/reviews", get(reviews::reviews))
        .route("/console/implementation", get(reviews::implementation))
        .route("/console/work/{id}/{what}", post(reviews::act))
        .route(
            "/console/work/{id}/progress",
            post(reviews::progress).layer(axum::extract::DefaultBodyLimit::max(
                reviews::PHOTO_MAX_BYTES + 16 * 1024,
            )),
        )
        .layer(axum::middleware::from_fn_with_state(
            st.clone(),
            resume::keep_form,
        ))
        .layer(axum::middleware::map_response(pages::security_headers))
}

/// The one style sheet (small, no framework).
async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../templates/console/style.css"),
    )
        .into_response()
}
