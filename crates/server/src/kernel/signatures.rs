//! Device signatures on pushed ops: which of a resident's keys signed each
//! op, verified strictly, and most of a batch's signatures in one
//! multiscalar multiplication.
//!
//! Strict means what `VerifyingKey::verify_strict` means: the signature
//! equation holds (cofactorless, `s` canonical, `R` the canonical encoding
//! of the point the equation computes), the key is not of small order
//! (weak keys are dropped where keys are loaded, [`usable_keys`]) and `R`
//! is not of small order. `verify_strict` finds the last by decompressing
//! `R`; here `R`'s bytes are compared with the eight small-order points'
//! encodings instead — the same verdict (the equation already made `R`
//! canonical, and encoding is one-to-one), without the field exponentiation
//! that was a tenth of the cost of ingesting a ballot.
//!
//! A batch of ops signed by one key is checked with `verify_batch` (about
//! twice as fast per signature as one by one), each `R` first checked to be
//! a canonical encoding of a point not of small order. Only when the whole
//! batch passes are its signatures taken as verified; otherwise every op is
//! verified alone, strictly, so one bad signature is the rejection of its
//! op and nothing else. What a batch accepts beyond strict verification is
//! only an `R` with a torsion component (a random-linear-combination check
//! cannot see one with certainty): only the key's holder can make such a
//! signature, on a message they chose to sign anyway — no one else can
//! sign or re-sign anything with it.

use std::sync::OnceLock;

use curve25519_dalek::constants::EIGHT_TORSION;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};

/// Keys from their hex form, dropping malformed and weak (small-order) ones.
pub fn usable_keys<'a>(hex: impl IntoIterator<Item = &'a String>) -> Vec<VerifyingKey> {
    hex.into_iter()
        .filter_map(|k| dauys_proto::unhex(k))
        .filter_map(|b| VerifyingKey::try_from(b.as_slice()).ok())
        .filter(|k| !k.is_weak())
        .collect()
}

/// The canonical encodings of the eight points of small order.
fn small_order_encodings() -> &'static [[u8; 32]; 8] {
    static ENCODINGS: OnceLock<[[u8; 32]; 8]> = OnceLock::new();
    ENCODINGS.get_or_init(|| EIGHT_TORSION.map(|p| p.compress().to_bytes()))
}

/// Whether `R` of `sig` encodes a point of small order (canonically: a
/// non-canonical `R` never passes the one-by-one equation).
fn small_order_r(sig: &Signature) -> bool {
    small_order_encodings().contains(sig.r_bytes())
}

/// Whether `R` is a canonical encoding (y below the field's modulus, no
/// sign bit on x = 0) of a point not of small order, judged from its bytes.
/// The points with x = 0 are of small order, so refusing every small-order
/// encoding with either sign bit covers "negative zero".
fn large_and_canonical_r(sig: &Signature) -> bool {
    let r = sig.r_bytes();
    let mut unsigned = *r;
    unsigned[31] &= 0x7f;
    let flipped = {
        let mut f = *r;
        f[31] ^= 0x80;
        f
    };
    y_below_modulus(&unsigned)
        && !small_order_encodings().contains(r)
        && !small_order_encodings().contains(&flipped)
}

/// Whether a 255-bit little-endian `y` is below p = 2^255 - 19.
fn y_below_modulus(y: &[u8; 32]) -> bool {
    // y >= p exactly when y is p + k for k in 0..19: 0x..ed..ff top 0x7f.
    !(y[31] == 0x7f && y[1..31].iter().all(|b| *b == 0xff) && y[0] >= 0xed)
}

/// The key among `keys` under which `sig` on `msg` verifies strictly.
pub fn verify_one<'k>(
    keys: &'k [VerifyingKey],
    msg: &[u8],
    sig: &Signature,
) -> Option<&'k VerifyingKey> {
    if small_order_r(sig) {
        return None;
    }
    keys.iter().find(|k| k.verify(msg, sig).is_ok())
}

/// One signed op to check: its signing bytes and signature.
pub struct Signed<'a> {
    pub msg: &'a [u8],
    pub sig: &'a Signature,
}

/// For each item, the key that signed it (strictly verified), or `None`.
/// Fewer than [`BATCH_FROM`] items, or more than one key, are verified one
/// by one: a batch saves time only when there is one key to try.
pub fn verify_all<'k>(keys: &'k [VerifyingKey], items: &[Signed]) -> Vec<Option<&'k VerifyingKey>> {
    if let [key] = keys {
        if items.len() >= BATCH_FROM && batch_passes(key, items) {
            return vec![Some(key); items.len()];
        }
    }
    items
        .iter()
        .map(|it| verify_one(keys, it.msg, it.sig))
        .collect()
}

/// Below this many signatures one-by-one verification is as fast.
const BATCH_FROM: usize = 4;

fn batch_passes(key: &VerifyingKey, items: &[Signed]) -> bool {
    if !items.iter().all(|it| large_and_canonical_r(it.sig)) {
        return false;
    }
    let msgs: Vec<&[u8]> = items.iter().map(|it| it.msg).collect();
    let sigs: Vec<Signature> = items.iter().map(|it| *it.sig).collect();
    let keys = vec![*key; items.len()];
    ed25519_dalek::verify_batch(&msgs, &sigs, &keys).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn the_small_order_encodings_are_those_verify_strict_refuses() {
        // verify_strict refuses a signature whose R is of small order even
        // when the equation holds; so does verify_one.
        let sk = key(7);
        let vk = sk.verifying_key();
        for enc in small_order_encodings() {
            let mut bytes = sk.sign(b"m").to_bytes();
            bytes[..32].copy_from_slice(enc);
            let sig = Signature::from_bytes(&bytes);
            assert!(vk.verify_strict(b"m", &sig).is_err());
            assert!(verify_one(&[vk], b"m", &sig).is_none());
        }
        assert_eq!(
            small_order_encodings()
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            8
        );
    }

    #[test]
    fn batches_agree_with_one_by_one_and_a_bad_one_is_found_alone() {
        let sk = key(3);
        let vk = sk.verifying_key();
        let msgs: Vec<Vec<u8>> = (0..20u8).map(|i| vec![i; 40]).collect();
        let mut sigs: Vec<Signature> = msgs.iter().map(|m| sk.sign(m)).collect();
        let items = |sigs: &[Signature]| -> Vec<Option<[u8; 32]>> {
            let signed: Vec<Signed> = msgs
                .iter()
                .zip(sigs)
                .map(|(m, s)| Signed { msg: m, sig: s })
                .collect();
            verify_all(&[vk], &signed)
                .into_iter()
                .map(|k| k.map(|k| k.to_bytes()))
                .collect()
        };
        assert!(items(&sigs).iter().all(|k| *k == Some(vk.to_bytes())));
        // Another key's signature on op 5: only op 5 fails.
        sigs[5] = key(4).sign(&msgs[5]);
        let got = items(&sigs);
        assert_eq!(got[5], None);
        assert_eq!(got.iter().filter(|k| k.is_some()).count(), 19);
        // Two keys: each op is matched to the key that signed it.
        let other = key(4).verifying_key();
        let signed: Vec<Signed> = msgs
            .iter()
            .zip(&sigs)
            .map(|(m, s)| Signed { msg: m, sig: s })
            .collect();
        let both = [vk, other];
        let got = verify_all(&both, &signed);
        assert_eq!(got[5].map(|k| k.to_bytes()), Some(other.to_bytes()));
        assert_eq!(got[0].map(|k| k.to_bytes()), Some(vk.to_bytes()));
    }
}
