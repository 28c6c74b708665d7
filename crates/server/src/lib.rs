//! Dauys participation server: appeals to akimats, participatory budgeting
//! and the offline-first sync protocol of `dauys-proto`.

pub mod clock;
pub mod components;
pub mod console;
pub mod crypto;
pub mod db;
/// Sample data for demos and tests (feature `demo`, on by default; build
/// production servers with `--no-default-features` to leave it out).
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
pub mod http;
pub mod kernel;
pub mod public;
pub mod read;
pub mod sms;
pub mod state;

// The kernel's and budgets' modules at their long-standing paths.
pub use components::budgets::{export, results};
pub use kernel::{auth, census, pull, push, uploads};

use std::sync::Arc;

use db::{Conn, Pool};
use error::{AppError, AppResult};
use state::{AppState, Config};

/// Opens the database, runs migrations and loads (or creates) the server key.
pub fn open_state(
    database: &str,
    secret_hex: Option<&str>,
    sms: Arc<dyn sms::SmsGateway>,
) -> AppResult<AppState> {
    let pool = Pool::open(database)?;
    let mut c = pool.get()?;
    db::schema::migrate(&mut *c)?;
    let secret = match secret_hex {
        Some(h) => {
            let key = dauys_proto::unhex(h.trim())
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or_else(|| AppError::Internal("--secret must be 64 hex digits".into()))?;
            same_key_as_before(&mut *c, &key)?;
            key
        }
        None => stored_secret(&mut *c)?,
    };
    let server_id = server_id(&mut *c)?;
    let components = components::Registry::new(components::builtin())?;
    for comp in components.iter() {
        db::schema::migrate_component(&mut *c, comp.name(), comp.migrations())?;
    }
    let forgotten = kernel::uploads::forget_unfinished(&mut *c, clock::now_ms())?;
    if forgotten > 0 {
        tracing::info!(uploads = forgotten, "unfinished uploads deleted");
    }
    // Votes closed but not counted (a server stopped between the two).
    let pending = components::budgets::cycles::uncounted(&mut *c)?;
    if !pending.is_empty() {
        tracing::info!(cycles = pending.len(), "counting closed votes");
        components::budgets::cycles::count_closed(&mut *c, &pending, clock::now_ms())?;
    }
    Ok(AppState {
        components: Arc::new(components),
        server_id: server_id.into(),
        pool,
        secret: Arc::new(secret),
        sms,
        clock: Arc::new(clock::Clock::default()),
        config: Arc::new(Config::default()),
        figures: Arc::default(),
        throttle: Arc::new(kernel::throttle::Throttle::new(Default::default())),
        group_commit: Arc::default(),
        push_auth: Arc::default(),
    })
}

/// Refuses a key other than the one this database's IIN hashes and
/// receipts were made with (they would all stop matching: nobody could
/// sign in). Remembers a fingerprint of the key, never the key.
fn same_key_as_before(c: &mut dyn Conn, key: &[u8; 32]) -> AppResult<()> {
    let print = crypto::sha256_hex(&[b"dauys key check".as_slice(), key].concat());
    let stored = |c: &mut dyn Conn, name: &str| -> AppResult<Option<String>> {
        Ok(
            c.query_one("SELECT value FROM settings WHERE key = $1", params![name])?
                .map(|r| r.get("value"))
                .transpose()?,
        )
    };
    let differs = match (stored(c, "secret")?, stored(c, "secret_check")?) {
        (Some(old), _) => !old.eq_ignore_ascii_case(&dauys_proto::hex(key)),
        (None, Some(check)) => check != print,
        (None, None) => false,
    };
    if differs {
        return Err(AppError::Internal(
            "this key is not the one the database was made with: IIN hashes and receipts \
             would no longer match (use the key it was made with)"
                .into(),
        ));
    }
    db::write_tx(c, |c| -> AppResult<()> {
        c.exec(
            "INSERT INTO settings (key, value) VALUES ('secret_check', $1) ON CONFLICT (key) DO NOTHING",
            params![&print],
        )?;
        Ok(())
    })
}

/// This server's id, made once and kept in the database (so every instance
/// on it shares it): what devices bind their signatures to.
fn server_id(c: &mut dyn Conn) -> AppResult<String> {
    let fresh = uuid::Uuid::now_v7().to_string();
    db::write_tx(c, |c| -> AppResult<()> {
        c.exec(
            "INSERT INTO settings (key, value) VALUES ('server_id', $1) ON CONFLICT (key) DO NOTHING",
            params![&fresh],
        )?;
        Ok(())
    })?;
    Ok(c.query_one(
        "SELECT value FROM settings WHERE key = 'server_id'",
        params![],
    )?
    .map(|r| r.get("value"))
    .transpose()?
    .unwrap_or(fresh))
}

/// The key kept in the database when none is configured (first writer wins,
/// so every instance on one database agrees).
fn stored_secret(c: &mut dyn Conn) -> AppResult<[u8; 32]> {
    // A database whose key is kept outside it must never get a second one
    // (every IIN hash made with it would be wrong).
    let outside = c
        .query_one(
            "SELECT value FROM settings WHERE key = 'secret_check'",
            params![],
        )?
        .is_some()
        && c.query_one("SELECT value FROM settings WHERE key = 'secret'", params![])?
            .is_none();
    if outside {
        return Err(AppError::Internal(
            "this database's key is kept outside it: set DAUYS_SECRET or DAUYS_SECRET_FILE".into(),
        ));
    }
    let fresh = dauys_proto::hex(&crypto::random_secret());
    db::write_tx(c, |c| -> AppResult<()> {
        c.exec(
            "INSERT INTO settings (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING",
            params![&fresh],
        )?;
        Ok(())
    })?;
    let hex = c
        .query_one("SELECT value FROM settings WHERE key = 'secret'", params![])?
        .ok_or_else(|| AppError::Internal("no secret".into()))?
        .get::<String>("value")?;
    dauys_proto::unhex(&hex)
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| AppError::Internal("stored secret is malformed".into()))
}

/// Serves the API on an already-bound listener until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, st: AppState) -> std::io::Result<()> {
    axum::serve(
        nodelay(listener),
        http::router(st).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// Accepted connections with `TCP_NODELAY`: when a response goes out in
/// pieces (headers, gzip chunks), Nagle's algorithm would hold a small last
/// piece until the client ACKs the previous one: a whole round trip
/// (1.2 s on GPRS). axum sets no socket options itself.
pub fn nodelay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    fn set(s: &mut tokio::net::TcpStream) {
        if let Err(e) = s.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY: {e}");
        }
    }
    // A concrete type (not `impl Listener`): axum gives such a listener's
    // connections their `ConnectInfo<SocketAddr>` (sign-in limits use it).
    listener.tap_io(set as fn(&mut tokio::net::TcpStream))
}
