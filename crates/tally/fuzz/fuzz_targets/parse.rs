#![no_main]
//! Any input: parse must return Ok or Err (never panic); an Ok election must
//! survive write → parse unchanged and every rule must run on it.

use dauys_tally::{pabulib, tally, Rule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = pabulib::parse(text) else {
        return;
    };
    let written = pabulib::write(&e);
    let back = pabulib::parse(&written).expect("written file must parse");
    assert_eq!(back, e, "round trip changed the election");
    if e.voters.len() <= 64 && e.projects.len() <= 32 {
        for rule in Rule::ALL {
            if let Ok(o) = tally(&e, rule) {
                assert!(o.cost <= e.budget || matches!(rule, Rule::GreedyCustom));
            }
        }
    }
});
