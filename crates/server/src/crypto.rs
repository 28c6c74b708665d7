//! Keyed hashes and random tokens.

use dauys_proto::hex;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `parts` joined by NUL, as hex.
pub fn keyed_hash(secret: &[u8; 32], domain: &str, parts: &[&str]) -> String {
    let mut mac = match HmacSha256::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(domain.as_bytes());
    for p in parts {
        mac.update(&[0]);
        mac.update(p.as_bytes());
    }
    hex(&mac.finalize().into_bytes())
}

/// The stored form of an IIN: never the number itself.
pub fn iin_hash(secret: &[u8; 32], iin: &str) -> String {
    keyed_hash(secret, "iin", &[iin])
}

/// An Open311 partner app's API key, derived from the op that issued it:
/// 256 bits nobody can compute without the server's secret, and the same
/// for the same op (a form sent twice issues one key).
pub fn partner_key(secret: &[u8; 32], op_id: &str) -> String {
    format!("dauys_pk_{}", keyed_hash(secret, "partner key", &[op_id]))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex(&b)
}

pub fn random_secret() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

/// A numeric one-time code of 6 digits.
pub fn otp_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

/// `XXXX-XXXX-XXXX-XXXX` from a keyed hash: short enough to read aloud.
pub fn receipt(secret: &[u8; 32], domain: &str, id: &str) -> String {
    let h = keyed_hash(secret, domain, &[id]).to_uppercase();
    format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
}
