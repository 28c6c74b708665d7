//! `GET /cycles/{id}/receipt?r=`: a voter checks that their ballot was
//! counted (inclusion only: see `components/budgets/receipts.rs`). A plain
//! GET form, so it works without JavaScript; the answer is never cached.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use serde::Deserialize;

use super::page::{self, Chrome};
use crate::components::budgets::receipts;
use crate::console::appeals::localized;
use crate::error::AppError;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct ReceiptArgs {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    r: String,
}

#[derive(Template)]
#[template(path = "public/receipt.html")]
pub struct ReceiptPage {
    pub page: Chrome,
    pub id: String,
    pub receipt: String,
    /// The answer's text, and whether it is good news.
    pub answer: String,
    pub counted: bool,
}

pub async fn page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(a): Query<ReceiptArgs>,
) -> Response {
    let tr = page::tr_of(a.lang.as_deref(), &headers);
    let typed: String = a.r.trim().chars().take(40).collect();
    let (id2, r2) = (id.clone(), typed.clone());
    let loaded = blocking(&st, move |_, c| {
        let Some(cycle) = read::cycle(c, &id2)? else {
            return Ok(None);
        };
        let check = if r2.is_empty() {
            None
        } else {
            Some(receipts::check(c, &id2, &r2))
        };
        Ok(Some((cycle, check)))
    })
    .await;
    let (cycle, check) = match page::loaded(tr, loaded) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (answer, counted) = match check {
        None => (String::new(), false),
        Some(Ok(c)) if c.counted => (tr.n("public-receipt-counted", "count", c.ballots), true),
        Some(Ok(_)) => (tr.t("public-receipt-not-counted"), false),
        Some(Err(AppError::Reject(r))) if r.code == dauys_proto::ErrorCode::PhaseClosed => {
            (tr.t("public-receipt-not-yet"), false)
        }
        Some(Err(AppError::Reject(_))) => (tr.t("public-receipt-invalid"), false),
        Some(Err(e)) => return page::error(tr, &e),
    };
    let title = localized(&cycle.title, tr.lang);
    let p = ReceiptPage {
        page: Chrome::new(
            tr,
            tr.t("public-receipt-title"),
            &format!("/cycles/{id}/receipt"),
        )
        .crumb(format!("/cycles/{id}?lang={}", tr.lang.code()), title),
        id,
        receipt: typed,
        answer,
        counted,
    };
    let mut r = page::render(&headers, &p);
    // A receipt is the voter's own: no proxy or shared browser keeps it.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().remove(header::ETAG);
    r.headers_mut().remove(header::LAST_MODIFIED);
    r
}
