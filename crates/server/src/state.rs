//! Shared, cheap-to-clone server state. Nothing request-specific lives here:
//! any number of instances can serve one PostgreSQL database.

use std::sync::Arc;

use crate::clock::Clock;
use crate::components::{Component, Registry};
use crate::db::Pool;
use crate::error::AppResult;
use crate::sms::SmsGateway;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Key for IIN hashes, receipts and OTP hashes (from `--secret`, or
    /// generated once and kept in the database's settings).
    pub secret: Arc<[u8; 32]>,
    pub sms: Arc<dyn SmsGateway>,
    pub clock: Arc<Clock>,
    pub config: Arc<Config>,
    /// The components this server runs (op kinds, routes, tables).
    pub components: Arc<Registry>,
    /// Public figures computed from many rows (`public/cache.rs`).
    pub figures: Arc<crate::public::cache::Cache>,
}

impl AppState {
    /// This state with `extra` components registered after the built-in
    /// ones, their tables migrated. Call before building the router.
    pub fn with_components(mut self, extra: Vec<Arc<dyn Component>>) -> AppResult<AppState> {
        let mut c = self.pool.get()?;
        for comp in &extra {
            crate::db::schema::migrate_component(&mut *c, comp.name(), comp.migrations())?;
        }
        self.components = Arc::new(self.components.with(extra)?);
        Ok(self)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// One-time code lifetime.
    pub otp_ttl_ms: i64,
    /// Codes sendable per IIN per window, and wrong guesses per code.
    pub otp_max_sends: i64,
    pub otp_window_ms: i64,
    pub otp_max_attempts: i64,
    pub session_ttl_ms: i64,
    /// A staff console session ends after this long without a request.
    pub console_idle_ms: i64,
    /// Console cookies carry `Secure` (set when the server serves TLS
    /// itself; behind a TLS proxy `X-Forwarded-Proto: https` does the same).
    pub secure_cookies: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            otp_ttl_ms: 5 * 60 * 1000,
            otp_max_sends: 5,
            otp_window_ms: 60 * 60 * 1000,
            otp_max_attempts: 5,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            console_idle_ms: crate::console::session::IDLE_TIMEOUT_MS,
            secure_cookies: false,
        }
    }
}
