//! Abuse of sign-in, over real HTTP on SQLite and PostgreSQL, with clients
//! told apart by the address a trusted proxy appends (`--trust-proxy`):
//! a stranger cannot lock a resident out, the census cannot be probed,
//! and one client cannot ask for codes or guess them at will.

mod common;

use std::sync::Arc;

use common::{Backend, Server};
use dauys_server::kernel::throttle::{Limits, Rate};
use serde_json::{json, Value};

const KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

async fn start(backend: Backend, limits: Limits) -> Option<Server> {
    Server::start_custom(
        backend,
        true,
        |_| {},
        move |mut st| {
            Arc::make_mut(&mut st.config).trust_proxy = true;
            Ok(st.with_limits(limits))
        },
    )
    .await
}

/// A request from `ip` (as the proxy reports it).
async fn from(srv: &Server, ip: &str, path: &str, body: Value) -> (u16, Value) {
    let r = srv
        .http
        .post(srv.url(path))
        .header("x-forwarded-for", format!("203.0.113.250, {ip}"))
        .json(&body)
        .send()
        .await
        .expect("send");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn verify(iin: &str, code: &str) -> Value {
    json!({"iin": iin, "code": code, "device_key": KEY, "device_name": "t"})
}

fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "000001"
    } else {
        "000000"
    }
}

async fn no_lockout(backend: Backend) {
    let Some(srv) = start(backend, Limits::default()).await else {
        return;
    };
    let victim = srv.person("resident", 0);
    let (stranger, other, home) = ("198.51.100.7", "198.51.100.8", "192.0.2.10");
    // A stranger asks for codes again and again (the resident's phone gets
    // the first ones)…
    for _ in 0..10 {
        let (s, _) = from(&srv, stranger, "/v1/auth/otp", json!({"iin": victim.iin})).await;
        assert_eq!(s, 200);
    }
    let on_phone = srv.last_code(&victim.phone);
    // …and guesses from two addresses until each is refused.
    for ip in [stranger, other] {
        for _ in 0..5 {
            let (s, _) = from(
                &srv,
                ip,
                "/v1/auth/verify",
                verify(&victim.iin, wrong_code(&on_phone)),
            )
            .await;
            assert_eq!(s, 401);
        }
        let (s, v) = from(&srv, ip, "/v1/auth/verify", verify(&victim.iin, &on_phone)).await;
        assert_eq!((s, &v["code"]), (429, &json!("rate_limited")), "{v}");
    }
    // The resident, at home, asks for a code: none is sent (the one on the
    // phone still works), the answer is as always, and it signs them in.
    let (s, _) = from(&srv, home, "/v1/auth/otp", json!({"iin": victim.iin})).await;
    assert_eq!(s, 200);
    assert_eq!(srv.last_code(&victim.phone), on_phone);
    let (s, v) = from(
        &srv,
        home,
        "/v1/auth/verify",
        verify(&victim.iin, &on_phone),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["token"].is_string());
}

async fn census_not_probed(backend: Backend) {
    let Some(srv) = start(backend, Limits::default()).await else {
        return;
    };
    let known = srv.person("resident", 1).iin;
    let unknown = dauys_proto::iin::make(
        time::Date::from_calendar_date(1991, time::Month::March, 3).expect("date"),
        dauys_proto::iin::Sex::Female,
        777,
    )
    .expect("iin");
    // The same sequence for both IINs, from separate clients, gives the
    // same statuses and bodies at every step.
    let mut seen: Vec<Vec<(u16, Value)>> = Vec::new();
    for (iin, ip) in [
        (known.as_str(), "198.51.100.20"),
        (unknown.as_str(), "198.51.100.21"),
    ] {
        let mut steps = Vec::new();
        for _ in 0..7 {
            steps.push(from(&srv, ip, "/v1/auth/otp", json!({"iin": iin})).await);
        }
        for _ in 0..6 {
            steps.push(from(&srv, ip, "/v1/auth/verify", verify(iin, "123456")).await);
        }
        seen.push(steps);
    }
    assert_eq!(seen[0], seen[1], "known vs unknown IIN");
    assert!(seen[0][0].1["phone_hint"].is_null(), "no phone digits");
}

async fn per_client_and_global(backend: Backend) {
    let slow = |burst| Rate {
        per_second: 0.001,
        burst,
    };
    let limits = Limits {
        codes_per_client: slow(3),
        checks_per_client: slow(4),
        codes: slow(8),
        ..Limits::default()
    };
    let Some(srv) = start(backend, limits).await else {
        return;
    };
    let iin = srv.person("resident", 2).iin;
    for _ in 0..3 {
        let (s, _) = from(&srv, "198.51.100.30", "/v1/auth/otp", json!({"iin": iin})).await;
        assert_eq!(s, 200);
    }
    let (s, v) = from(&srv, "198.51.100.30", "/v1/auth/otp", json!({"iin": iin})).await;
    assert_eq!((s, &v["code"]), (429, &json!("rate_limited")), "{v}");
    // Another client is not held up by that one…
    for _ in 0..3 {
        let (s, _) = from(&srv, "198.51.100.31", "/v1/auth/otp", json!({"iin": iin})).await;
        assert_eq!(s, 200);
    }
    // …until the server's own budget of codes (8) is spent: then everyone waits.
    let (s, _) = from(&srv, "198.51.100.32", "/v1/auth/otp", json!({"iin": iin})).await;
    assert_eq!(s, 200);
    let (s, _) = from(&srv, "198.51.100.33", "/v1/auth/otp", json!({"iin": iin})).await;
    assert_eq!(s, 200);
    let (s, _) = from(&srv, "198.51.100.34", "/v1/auth/otp", json!({"iin": iin})).await;
    assert_eq!(s, 429);
    // Guessing: a client over its checks is refused before any code is looked at.
    for _ in 0..4 {
        let (s, _) = from(&srv, "198.51.100.40", "/v1/auth/verify", verify(&iin, "1")).await;
        assert_eq!(s, 401);
    }
    let (s, _) = from(&srv, "198.51.100.40", "/v1/auth/verify", verify(&iin, "1")).await;
    assert_eq!(s, 429);
}

macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $body(Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                $body(Backend::Postgres).await;
            }
        }
    };
}

on_both!(a_stranger_cannot_lock_a_resident_out, no_lockout);
on_both!(the_census_cannot_be_probed, census_not_probed);
on_both!(limits_per_client_and_for_the_server, per_client_and_global);
