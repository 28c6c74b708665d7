//! TLS to PostgreSQL against the test server, which Debian's package sets
//! up with TLS on and a self-signed ("snakeoil") certificate: verified with
//! `sslmode=verify-full&sslrootcert=…`, refused when the certificate is not
//! trusted, plain without `sslmode`. Skips (saying so) where
//! `DAUYS_TEST_POSTGRES` is unset or the server has TLS off.

use dauys_server::db::{DbResult, Pool};
use x509_cert::der::DecodePem;

/// 1 when the pooled connection is encrypted, 0 when not.
fn on_tls(pool: &Pool) -> DbResult<i64> {
    let mut c = pool.get()?;
    let row = c
        .query_one(
            "SELECT CASE WHEN ssl THEN 1 ELSE 0 END AS on_tls FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )?
        .ok_or_else(|| dauys_server::db::DbError::Other("no pg_stat_ssl row".into()))?;
    row.get("on_tls")
}

#[test]
fn postgres_over_verified_tls() {
    let Ok(base) = std::env::var("DAUYS_TEST_POSTGRES") else {
        eprintln!("skipped: set DAUYS_TEST_POSTGRES=postgres://… to test TLS to PostgreSQL");
        return;
    };
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
    let show = |c: &mut postgres::Client, what: &str| -> String {
        c.query_one(&format!("SHOW {what}"), &[])
            .expect("show")
            .get(0)
    };
    if show(&mut admin, "ssl") != "on" {
        eprintln!("skipped: the PostgreSQL server has ssl = off");
        return;
    }
    let cert_file = show(&mut admin, "ssl_cert_file");
    let Ok(pem) = std::fs::read(&cert_file) else {
        eprintln!("skipped: cannot read the server's certificate {cert_file}");
        return;
    };
    let cert = x509_cert::Certificate::from_pem(&pem).expect("certificate");
    let subject = cert.tbs_certificate.subject.to_string();
    let Some(name) = subject.strip_prefix("CN=").map(str::to_string) else {
        eprintln!("skipped: the server certificate's subject is {subject}, not CN=<host>");
        return;
    };

    // Plain, as before: no sslmode.
    let plain = Pool::open(&base).expect("plain pool");
    assert_eq!(on_tls(&plain).expect("plain"), 0);

    // Verified: the certificate's own name as host, the test server's
    // address as hostaddr, the certificate as the root to trust.
    let mut url = url::Url::parse(&base).expect("url");
    let addr = url.host_str().expect("host").to_string();
    url.set_host(Some(&name)).expect("host name");
    url.query_pairs_mut()
        .append_pair("hostaddr", &addr)
        .append_pair("sslmode", "verify-full")
        .append_pair("sslrootcert", &cert_file);
    let tls = Pool::open(url.as_str()).expect("verified TLS pool");
    assert_eq!(on_tls(&tls).expect("tls"), 1);

    // The same server, its certificate not trusted (only the public web
    // roots): no connection at all, never an unverified one.
    let mut untrusted = url::Url::parse(&base).expect("url");
    untrusted.set_host(Some(&name)).expect("host name");
    untrusted
        .query_pairs_mut()
        .append_pair("hostaddr", &addr)
        .append_pair("sslmode", "require");
    assert!(Pool::open(untrusted.as_str()).is_err());
}
