//! The small kernel every component builds on: the op log and idempotency
//! (`push`), the change feed (`pull`, `ops::record_change`), auth (OTP
//! sign-in, sessions, device keys, roles, the `Actor`/`MaybeActor`
//! extractors in `http`), resumable uploads, and the census.

pub mod audit;
pub mod auth;
pub mod batcher;
pub mod census;
pub mod group_commit;
pub mod localities;
pub mod ops;
pub mod precheck;
pub mod pull;
pub mod push;
pub mod push_auth;
pub mod schema;
pub mod signatures;
pub mod throttle;
pub mod uploads;
