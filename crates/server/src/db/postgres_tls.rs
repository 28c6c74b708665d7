//! TLS to PostgreSQL, chosen by the database URL as libpq users expect:
//!
//! - `sslmode=require` or `sslmode=verify-full`: TLS or no connection, and
//!   the server's certificate is verified — its chain up to a trusted root
//!   and its name against the host. Unlike libpq's `require` (encryption
//!   without verification, which a man in the middle defeats), Dauys
//!   always verifies: the census's keyed IIN hashes and every ballot pass
//!   over this connection.
//! - `sslrootcert=/path/ca.pem`: the roots to trust (PEM; e.g. the
//!   provider's CA or a self-signed server certificate). Without it, the
//!   public web roots (`webpki-roots`).
//! - `hostaddr=10.0.0.5`: connect to this address, verify the name in
//!   `host` (a certificate names a host, not an address).
//! - `sslmode=disable`, `prefer` or none: no TLS (as before; `prefer`
//!   never falls back to an unverified connection here). The server warns
//!   when such a connection leaves the machine.
//! - `sslmode=verify-ca` (a chain check without the name) is refused: use
//!   `verify-full`.

use std::sync::Arc;

use postgres::config::{Host, SslMode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{DbError, DbResult};

/// A parsed database URL and the TLS connector it asks for.
pub struct Target {
    pub config: postgres::Config,
    /// `Some` when TLS is required (and verified).
    pub tls: Option<MakeRustlsConnect>,
}

/// Reads the TLS parameters out of `url` (those `postgres::Config` does not
/// know) and builds the connector.
pub fn target(url: &str) -> DbResult<Target> {
    let mut parsed = url::Url::parse(url).map_err(|e| DbError::Url(e.to_string()))?;
    let mut root_file = None;
    let mut kept = Vec::new();
    for (k, v) in parsed.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("sslrootcert", file) => root_file = Some(file.to_string()),
            ("sslmode", "verify-full") => kept.push(("sslmode".to_string(), "require".to_string())),
            ("sslmode", "verify-ca") => {
                return Err(DbError::Url(
                    "sslmode=verify-ca is not supported: use sslmode=verify-full".into(),
                ))
            }
            (k, v) => kept.push((k.to_string(), v.to_string())),
        }
    }
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    let config = parsed
        .as_str()
        .parse::<postgres::Config>()
        .map_err(|e| DbError::Url(e.to_string()))?;
    if config.get_ssl_mode() != SslMode::Require {
        if root_file.is_some() {
            return Err(DbError::Url(
                "sslrootcert needs sslmode=require or verify-full".into(),
            ));
        }
        if !is_local(&config) {
            tracing::warn!(
                "the PostgreSQL connection is not encrypted: add sslmode=verify-full (and sslrootcert) to the URL"
            );
        }
        return Ok(Target { config, tls: None });
    }
    let roots = roots(root_file.as_deref())?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError::Url(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Target {
        config,
        tls: Some(MakeRustlsConnect::new(tls)),
    })
}

/// The roots in `file` (PEM), or the public web roots.
fn roots(file: Option<&str>) -> DbResult<rustls::RootCertStore> {
    let mut store = rustls::RootCertStore::empty();
    let Some(file) = file else {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(store);
    };
    let certs = CertificateDer::pem_file_iter(file)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| DbError::Url(format!("sslrootcert {file}: {e}")))?;
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(DbError::Url(format!(
            "sslrootcert {file}: no certificate in it"
        )));
    }
    Ok(store)
}

/// Whether the connection stays on this machine: every address given
/// (`hostaddr`) is a loopback one, or else every host is a Unix socket,
/// `localhost` or a loopback address.
fn is_local(config: &postgres::Config) -> bool {
    let addrs = config.get_hostaddrs();
    if !addrs.is_empty() {
        return addrs.iter().all(|a| a.is_loopback());
    }
    config.get_hosts().iter().all(|h| match h {
        Host::Tcp(name) => {
            name == "localhost"
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|a| a.is_loopback())
        }
        #[cfg(unix)]
        Host::Unix(_) => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_parameters_are_read_and_refused_as_documented() {
        let plain = target("postgres://u:p@127.0.0.1/db").expect("plain");
        assert!(plain.tls.is_none());
        let tls =
            target("postgres://u:p@db.example.kz/db?sslmode=verify-full&application_name=dauys")
                .expect("verify-full");
        assert!(tls.tls.is_some());
        assert_eq!(tls.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(tls.config.get_application_name(), Some("dauys"));
        assert!(target("postgres://u:p@db/db?sslmode=require").is_ok_and(|t| t.tls.is_some()));
        for bad in [
            "postgres://u:p@db/db?sslmode=verify-ca",
            "postgres://u:p@db/db?sslrootcert=/nonexistent.pem",
            "postgres://u:p@db/db?sslmode=require&sslrootcert=/nonexistent.pem",
        ] {
            assert!(target(bad).is_err(), "{bad}");
        }
    }
}
