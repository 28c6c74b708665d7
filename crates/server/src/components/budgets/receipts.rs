//! Verifiable receipts: once voting is over, each voter can check that
//! **their** ballot is among the counted ones — and learns nothing else.
//!
//! A ballot's receipt (`XXXX-XXXX-XXXX-XXXX`, a keyed hash of the cast's op
//! id: unguessable) is shown to the voter at casting. When the cycle's
//! ballots are published, Dauys also publishes, per cycle, the
//! *fingerprints* of the counted ballots' receipts — `SHA-256("dauys-receipt-v1\n"
//! + cycle id + "\n" + receipt)`, first 32 hex digits, sorted — in
//! `receipts.txt`. A voter checks theirs on the cycle's page, through
//! `/v1/cycles/{id}/receipts/{receipt}`, or offline against the file.
//!
//! The check reveals **inclusion only**, never the choices: the published
//! ballots (`ballots.pb`) carry shuffled voter ids unrelated to receipts,
//! and fingerprints are sorted by value, so neither file links a receipt to
//! a ballot. A receipt therefore cannot prove to a vote buyer how someone
//! voted (ARCHITECTURE.md, "Verifiable receipts", says why this trade-off).

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dauys_proto::{ErrorCode, Phase};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::http::blocking;
use crate::params;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receipts_txt))
        .routes(routes!(check_receipt))
}

pub use dauys_proto::receipts::{fingerprint, normalize};

/// What a receipt check answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReceiptCheck {
    /// The receipt is one of a counted ballot of this cycle.
    pub counted: bool,
    /// How many ballots were counted.
    pub ballots: i64,
}

/// The cycle's phase, or 404.
fn phase(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Phase> {
    Ok(crate::read::cycle(c, cycle_id)?
        .ok_or_else(|| Reject::new(ErrorCode::NotFound, "cycle not found"))?
        .phase)
}

/// Refuses before the ballots are published (voting not over).
fn published(c: &mut dyn Conn, cycle_id: &str) -> AppResult<()> {
    if phase(c, cycle_id)? < Phase::Tallying {
        return Err(Reject::new(
            ErrorCode::PhaseClosed,
            "receipts are checked once voting is over",
        )
        .into());
    }
    Ok(())
}

/// Whether `receipt` is a counted ballot's, once voting is over.
pub fn check(c: &mut dyn Conn, cycle_id: &str, receipt: &str) -> AppResult<ReceiptCheck> {
    published(c, cycle_id)?;
    let receipt =
        normalize(receipt).ok_or_else(|| Reject::field("receipt", "16 hexadecimal digits"))?;
    let counted = c
        .query_one(
            "SELECT 1 FROM ballots WHERE cycle_id = $1 AND receipt = $2",
            params![cycle_id, &receipt],
        )?
        .is_some();
    let ballots = c
        .query_one(
            "SELECT COUNT(*) AS n FROM ballots WHERE cycle_id = $1",
            params![cycle_id],
        )?
        .map(|r| r.get::<i64>("n"))
        .transpose()?
        .unwrap_or(0);
    Ok(ReceiptCheck { counted, ballots })
}

/// The fingerprints of the counted ballots' receipts, sorted.
pub fn fingerprints(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Vec<String>> {
    published(c, cycle_id)?;
    let mut out = c
        .query(
            "SELECT receipt FROM ballots WHERE cycle_id = $1",
            params![cycle_id],
        )?
        .iter()
        .map(|r| Ok(fingerprint(cycle_id, &r.get::<String>("receipt")?)))
        .collect::<AppResult<Vec<_>>>()?;
    out.sort_unstable();
    Ok(out)
}

/// Checks a ballot's receipt: counted or not (never its choices). `409`
/// (`phase_closed`) while voting is open.
#[utoipa::path(get, tag = "budgets", path = "/v1/cycles/{id}/receipts/{receipt}",
    params(("id" = String, Path), ("receipt" = String, Path, description = "XXXX-XXXX-XXXX-XXXX")),
    responses((status = 200, body = ReceiptCheck), (status = 404, body = dauys_proto::ApiError),
              (status = 409, body = dauys_proto::ApiError), (status = 422, body = dauys_proto::ApiError)))]
pub async fn check_receipt(
    State(st): State<AppState>,
    Path((id, receipt)): Path<(String, String)>,
) -> AppResult<Json<ReceiptCheck>> {
    blocking(&st, move |_, c| check(c, &id, &receipt))
        .await
        .map(Json)
}

/// `receipts.txt`: one fingerprint per line, sorted, after a header that
/// says how to check a receipt offline.
#[utoipa::path(get, tag = "budgets", path = "/v1/cycles/{id}/receipts.txt", params(("id" = String, Path)),
    responses((status = 200, description = "one receipt fingerprint per line", content_type = "text/plain"),
              (status = 404, body = dauys_proto::ApiError), (status = 409, body = dauys_proto::ApiError)))]
pub async fn receipts_txt(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id2 = id.clone();
    let list = blocking(&st, move |_, c| fingerprints(c, &id2)).await?;
    let mut body = format!(
        "# Dauys: fingerprints of the receipts of the {} counted ballots of cycle {id}.\n\
         # Yours: the first 32 hex digits of SHA-256(\"dauys-receipt-v1\\n{id}\\n\" + your receipt as XXXX-XXXX-XXXX-XXXX).\n\
         # e.g. printf 'dauys-receipt-v1\\n{id}\\nXXXX-XXXX-XXXX-XXXX' | sha256sum | cut -c1-32\n",
        list.len()
    );
    for f in list {
        body.push_str(&f);
        body.push('\n');
    }
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_read_as_people_type_them() {
        assert_eq!(
            normalize(" ab12 cd34-ef56 7890 ").as_deref(),
            Some("AB12-CD34-EF56-7890")
        );
        assert_eq!(normalize("AB12-CD34-EF56-789"), None);
        assert_eq!(normalize("AB12-CD34-EF56-789G"), None);
    }

    #[test]
    fn a_fingerprint_is_the_documented_hash() {
        // printf 'dauys-receipt-v1\nc1\nAB12-CD34-EF56-7890' | sha256sum | cut -c1-32
        let f = fingerprint("c1", "AB12-CD34-EF56-7890");
        assert_eq!(f, "16c3cd8bcf8c35874155eeeff2e37df0");
        assert_ne!(f, fingerprint("c2", "AB12-CD34-EF56-7890"));
    }
}
