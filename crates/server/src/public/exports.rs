//! Open data: the accountability figures per body per month, as CSV and
//! JSON, under CC BY 4.0 (the licence is in a `Link: rel="license"` header
//! of both, and in the JSON itself). The same figures as the page, from the
//! same cached summary (`accountability::summary`); cacheable like the pages.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::accountability::Figures;
use crate::http::blocking;
use crate::read;
use crate::state::AppState;

pub const LICENCE: &str = "CC BY 4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// One body in one month.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub body: String,
    pub month: String,
    pub received: i64,
    pub answered: i64,
    pub median_working_days: Option<f64>,
    pub answered_in_term: i64,
    pub in_term_percent: Option<i64>,
    pub overdue_now: i64,
    pub redirected_in: i64,
}

fn row(body: &str, month: &str, f: &Figures) -> Row {
    Row {
        body: body.to_string(),
        month: month.to_string(),
        received: f.received,
        answered: f.answered,
        median_working_days: f.median_days,
        answered_in_term: f.answered_in_term,
        in_term_percent: f.in_term_percent(),
        overdue_now: f.overdue_now,
        redirected_in: f.redirected_in,
    }
}

#[derive(Serialize)]
struct Document<'a> {
    licence: &'static str,
    licence_url: &'static str,
    source: String,
    locality: &'a str,
    computed_on: String,
    rows: Vec<Row>,
}

/// `GET /l/{code}/accountability.csv`.
pub async fn accountability_csv(
    st: State<AppState>,
    headers: HeaderMap,
    code: Path<String>,
) -> Response {
    accountability(st, headers, code, "csv").await
}

/// `GET /l/{code}/accountability.json`.
pub async fn accountability_json(
    st: State<AppState>,
    headers: HeaderMap,
    code: Path<String>,
) -> Response {
    accountability(st, headers, code, "json").await
}

async fn accountability(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    format: &'static str,
) -> Response {
    let code2 = code.clone();
    let loaded = blocking(&st, move |st, c| {
        if read::locality(c, &code2)?.is_none() {
            return Ok(None);
        }
        let sum = super::accountability::summary(st, c, &code2)?;
        Ok(Some((
            sum.by_body_month
                .iter()
                .map(|((b, m), f)| row(b, m, f))
                .collect::<Vec<_>>(),
            st.clock.today(),
        )))
    })
    .await;
    let (rows, today) = match loaded {
        Ok(Some(v)) => v,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such locality\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "accountability export failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "retry later\n").into_response();
        }
    };
    let (body, content_type) = if format == "csv" {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in &rows {
            if w.serialize(r).is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
        let bytes = w.into_inner().unwrap_or_default();
        (bytes, "text/csv; charset=utf-8")
    } else {
        let doc = Document {
            licence: LICENCE,
            licence_url: LICENCE_URL,
            source: format!("Dauys, /l/{code}/accountability"),
            locality: &code,
            computed_on: dauys_proto::workdays::format_date(today),
            rows,
        };
        (
            serde_json::to_vec(&doc).unwrap_or_default(),
            "application/json",
        )
    };
    let mut r = super::page::cached(&headers, body, content_type);
    if let Ok(v) = HeaderValue::from_str(&format!("<{LICENCE_URL}>; rel=\"license\"")) {
        r.headers_mut().insert(header::LINK, v);
    }
    r
}
