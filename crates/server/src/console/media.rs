//! `GET /console/uploads/{id}`: an appeal's or a project's photo for the
//! signed-in staff (the console's cookie is scoped to `/console`, so the
//! API's `/v1/uploads` never sees it). The same rule as the API's: the
//! item must be visible to this staff member — a private appeal only
//! inside their scope — else the console's 404.

use axum::extract::{Path, State};
use axum::response::Response;

use super::pages;
use super::session::Staff;
use dauys_proto::ErrorCode;

use crate::error::AppError;
use crate::http::blocking;
use crate::kernel::uploads;
use crate::state::AppState;

pub async fn photo(State(st): State<AppState>, staff: Staff, Path(id): Path<String>) -> Response {
    let actor = staff.actor.clone();
    match blocking(&st, move |st, c| uploads::visible(st, c, &id, Some(&actor))).await {
        Ok((media_type, bytes)) => uploads::media_response(&media_type, bytes),
        Err(AppError::Reject(r)) if r.code == ErrorCode::NotFound => pages::not_found(staff.tr),
        Err(e) => pages::error(staff.tr, &e),
    }
}
