//! Recount the real elections in ../shared/pabulib and round-trip every file.

use std::path::PathBuf;

use dauys_tally::pabulib;
use dauys_tally::verify::{self, Status};

fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/pabulib"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: {} is absent (real pabulib elections not available)",
            dir.display()
        );
        None
    }
}

#[test]
fn verify_shared_elections() {
    let Some(dir) = shared_dir() else { return };
    let rows = verify::verify_dir(&dir).expect("read dir");
    println!("{}", verify::format_table(&rows));
    assert!(!rows.is_empty());
    let failed: Vec<_> = rows.iter().filter(|r| r.status.is_failure()).collect();
    assert!(failed.is_empty(), "mismatches: {failed:#?}");
    // every supported rule with a selected column matches, except the
    // documented anomalies
    for r in &rows {
        if let Status::KnownAnomaly { reason, .. } = &r.status {
            assert!(
                r.file.contains("Warszawa_2018_Las")
                    || r.rule == "greedy-exclusive"
                    || reason.starts_with("no selected column"),
                "undocumented anomaly {}: {reason}",
                r.file
            );
        }
    }
    let matched = rows.iter().filter(|r| r.status == Status::Match).count();
    assert!(matched >= 17, "only {matched} matches");
}

#[test]
fn round_trip_every_shared_file() {
    let Some(dir) = shared_dir() else { return };
    for path in verify::pb_files(&dir).expect("read dir") {
        let text = std::fs::read_to_string(&path).expect("utf-8 file");
        let e = pabulib::parse(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let written = pabulib::write(&e);
        let back = pabulib::parse(&written)
            .unwrap_or_else(|err| panic!("{} rewritten: {err}", path.display()));
        assert_eq!(back, e, "{}", path.display());
        // writing is canonical: a second round is byte-identical
        assert_eq!(pabulib::write(&back), written, "{}", path.display());
    }
}
