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
    /// Per-client and global limits on the sign-in doors.
    pub throttle: Arc<crate::kernel::throttle::Throttle>,
    /// This server's id (kept in the database): devices bind signatures
    /// to it (`dauys_proto::signing_bytes_bound`).
    pub server_id: Arc<str>,
    /// Ballot pushes arriving together are applied in one transaction.
    pub group_commit: Arc<crate::kernel::group_commit::GroupCommit>,
    /// Ballot pushes arriving together are signed in together.
    pub push_auth: Arc<crate::kernel::push_auth::PushAuth>,
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

    /// This state with other sign-in limits (tests, and `main.rs`).
    pub fn with_limits(mut self, limits: crate::kernel::throttle::Limits) -> AppState {
        self.throttle = Arc::new(crate::kernel::throttle::Throttle::new(limits));
        self
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// One-time code lifetime.
    pub otp_ttl_ms: i64,
    /// Codes sendable per IIN per window, and wrong guesses per code.
    pub otp_max_sends: i64,
    pub otp_window_ms: i64,
    /// Wrong guesses per code from one client…
    pub otp_max_attempts: i64,
    /// …and from all clients together (then the code is used up): a
    /// stranger's guesses do not use up the resident's own.
    pub otp_max_attempts_total: i64,
    pub session_ttl_ms: i64,
    /// A staff console session ends after this long without a request.
    pub console_idle_ms: i64,
    /// Console cookies carry `Secure` (set when the server serves TLS
    /// itself; behind a TLS proxy `X-Forwarded-Proto: https` does the same).
    pub secure_cookies: bool,
    /// Behind a reverse proxy: clients are told apart by the address it
    /// appends to `X-Forwarded-For` (`--trust-proxy`).
    pub trust_proxy: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            otp_ttl_ms: 5 * 60 * 1000,
            otp_max_sends: 5,
            otp_window_ms: 60 * 60 * 1000,
            otp_max_attempts: 5,
            otp_max_attempts_total: 30,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            console_idle_ms: crate::console::session::IDLE_TIMEOUT_MS,
            secure_cookies: false,
            trust_proxy: false,
        }
    }
}
