//! Limits on the sign-in doors, per client and for the whole server (in
//! memory, per instance; `governor`'s GCRA). The per-IIN limits in
//! `auth.rs` protect one resident; these keep one client from asking for
//! codes or guessing them at will, and cap the SMS the server sends.
//!
//! Generous per client on purpose: a village kiosk, or every phone behind
//! one mobile operator's NAT, is one address.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use dauys_proto::ErrorCode;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, Reject};
use crate::state::AppState;

/// How fast, and how many at once.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// The limits (see `Config::throttle`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Code requests per client.
    pub codes_per_client: Rate,
    /// Code checks per client.
    pub checks_per_client: Rate,
    /// Code requests for the whole server (each may send an SMS).
    pub codes: Rate,
    /// Code checks for the whole server (guessing across many IINs).
    pub checks: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            codes_per_client: Rate {
                per_second: 1.0 / 3.0,
                burst: 30,
            },
            checks_per_client: Rate {
                per_second: 1.0,
                burst: 60,
            },
            codes: Rate {
                per_second: 20.0,
                burst: 200,
            },
            checks: Rate {
                per_second: 50.0,
                burst: 500,
            },
        }
    }
}

fn quota(r: Rate) -> Quota {
    let burst = NonZeroU32::new(r.burst.max(1)).unwrap_or(NonZeroU32::MIN);
    let period = std::time::Duration::from_secs_f64(1.0 / r.per_second.max(1e-6));
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// The sign-in doors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Asking for a code.
    Code,
    /// Checking a code.
    Check,
}

pub struct Throttle {
    codes_per_client: DefaultKeyedRateLimiter<String>,
    checks_per_client: DefaultKeyedRateLimiter<String>,
    codes: DefaultDirectRateLimiter,
    checks: DefaultDirectRateLimiter,
}

impl Throttle {
    pub fn new(l: Limits) -> Throttle {
        Throttle {
            codes_per_client: RateLimiter::keyed(quota(l.codes_per_client)),
            checks_per_client: RateLimiter::keyed(quota(l.checks_per_client)),
            codes: RateLimiter::direct(quota(l.codes)),
            checks: RateLimiter::direct(quota(l.checks)),
        }
    }

    /// Lets `client` through `door`, or says to come back later. Checked
    /// before anything about the IIN is looked at, so the answer is the
    /// same for every IIN.
    pub fn admit(&self, door: Door, client: &ClientKey) -> Result<(), Reject> {
        let (mine, all) = match door {
            Door::Code => (&self.codes_per_client, &self.codes),
            Door::Check => (&self.checks_per_client, &self.checks),
        };
        if mine.check_key(&client.0).is_err() || all.check().is_err() {
            return Err(Reject::new(
                ErrorCode::RateLimited,
                "too many sign-in attempts from here; try again in a minute",
            ));
        }
        // Keys of clients that went quiet are forgotten now and then.
        if mine.len() > 100_000 {
            mine.retain_recent();
        }
        Ok(())
    }
}

/// Who is asking, as far as limits go: the client's address (an IPv6
/// client by its /64, which one subscriber usually holds whole). Behind a
/// reverse proxy (`--trust-proxy`) the address the proxy appended last to
/// `X-Forwarded-For`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKey(pub String);

impl ClientKey {
    pub fn of_ip(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(v4.to_string()),
                None => {
                    let s = v6.segments();
                    ClientKey(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }

    fn from_parts(parts: &Parts, trust_proxy: bool) -> ClientKey {
        if trust_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return ClientKey::of_ip(ip);
            }
        }
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| ClientKey::of_ip(a.ip()))
            .unwrap_or_else(|| ClientKey("unknown".into()))
    }
}

impl FromRequestParts<AppState> for ClientKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientKey::from_parts(parts, st.config.trust_proxy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a: IpAddr = "2a02:1234:5678:9abc::1".parse().expect("ip");
        let b: IpAddr = "2a02:1234:5678:9abc:ffff::2".parse().expect("ip");
        assert_eq!(ClientKey::of_ip(a), ClientKey::of_ip(b));
        let m: IpAddr = "::ffff:10.0.0.7".parse().expect("ip");
        assert_eq!(ClientKey::of_ip(m).0, "10.0.0.7");
    }

    #[test]
    fn a_client_over_its_burst_waits_others_do_not() {
        let t = Throttle::new(Limits {
            codes_per_client: Rate {
                per_second: 0.001,
                burst: 3,
            },
            ..Limits::default()
        });
        let (a, b) = (ClientKey("a".into()), ClientKey("b".into()));
        for _ in 0..3 {
            assert!(t.admit(Door::Code, &a).is_ok());
        }
        assert_eq!(
            t.admit(Door::Code, &a).map_err(|r| r.code),
            Err(ErrorCode::RateLimited)
        );
        assert!(t.admit(Door::Code, &b).is_ok());
        assert!(t.admit(Door::Check, &a).is_ok(), "doors are counted apart");
    }
}
