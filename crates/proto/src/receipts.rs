//! Ballot receipts and their published fingerprints: the one definition
//! the server (which publishes `receipts.txt`) and the client (which
//! checks a voter's receipt against it, without telling the server which
//! receipt it checks) both use.

use sha2::{Digest, Sha256};

/// A receipt as typed by a person: any case, spaces or dashes anywhere →
/// `XXXX-XXXX-XXXX-XXXX`; `None` when it is not 16 hex digits.
pub fn normalize(receipt: &str) -> Option<String> {
    let hex: String = receipt
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if hex.len() != 16 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}",
        &hex[0..4],
        &hex[4..8],
        &hex[8..12],
        &hex[12..16]
    ))
}

/// The published fingerprint of `receipt` (normalized) in `cycle_id`:
/// `SHA-256("dauys-receipt-v1\n" + cycle id + "\n" + receipt)`, first 32
/// hex digits.
pub fn fingerprint(cycle_id: &str, receipt: &str) -> String {
    let h = Sha256::digest(format!("dauys-receipt-v1\n{cycle_id}\n{receipt}").as_bytes());
    crate::hex(&h[..16])
}

/// Whether `receipt` is among the fingerprints of `receipts.txt` (one per
/// line, sorted) of `cycle_id`.
pub fn listed(receipts_txt: &str, cycle_id: &str, receipt: &str) -> bool {
    let Some(r) = normalize(receipt) else {
        return false;
    };
    let f = fingerprint(cycle_id, &r);
    receipts_txt.lines().any(|l| l.trim() == f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_receipts_normalize_and_match() {
        assert_eq!(
            normalize(" ab12 cd34-ef56 7890 ").as_deref(),
            Some("AB12-CD34-EF56-7890")
        );
        assert_eq!(normalize("AB12-CD34-EF56-789"), None);
        assert_eq!(normalize("AB12-CD34-EF56-789G"), None);
        let f = fingerprint("cy", "AB12-CD34-EF56-7890");
        assert_eq!(f.len(), 32);
        let txt = format!("0000\n{f}\nffff\n");
        assert!(listed(&txt, "cy", "ab12cd34ef567890"));
        assert!(!listed(&txt, "other", "ab12cd34ef567890"));
        assert!(!listed(&txt, "cy", "AB12-CD34-EF56-7891"));
    }
}
