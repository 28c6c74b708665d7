//! Public downloads of a cycle's anonymized ballots (filled in with the tally crate).

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
