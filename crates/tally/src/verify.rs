//! Recounting real elections and comparing with their official outcome.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::model::Election;
use crate::rules::Rule;
use crate::tally::{natural_cmp, tally_with, Options};

/// The verdict for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The recount equals the `selected == 1` projects.
    Match,
    /// The recount differs (ids missing from / extra in the recount).
    Mismatch {
        missing: Vec<String>,
        extra: Vec<String>,
    },
    /// A documented case where the file does not hold what is needed to
    /// reproduce the official outcome (the reason is given).
    KnownAnomaly {
        reason: String,
        missing: Vec<String>,
        extra: Vec<String>,
    },
    /// The rule is not supported (e.g. `unknown`): not counted.
    Skipped(String),
    /// The file could not be parsed or tallied.
    Error(String),
}

impl Status {
    /// Whether this verdict fails `verify`.
    pub fn is_failure(&self) -> bool {
        matches!(self, Status::Mismatch { .. } | Status::Error(_))
    }
}

/// One line of the verify table.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub rule: String,
    pub projects: usize,
    pub voters: usize,
    pub status: Status,
    pub time: Duration,
}

/// Known anomalies by file-name fragment.
pub const KNOWN_ANOMALIES: &[(&str, &str)] = &[(
    "Warszawa_2018_Las",
    "does not reproduce with the published min_project_score_threshold (the 10%-of-votes eligibility rule was applied per subarea by the city)",
)];

/// Verifies one parsed election.
pub fn verify_election(name: &str, e: &Election) -> (String, Status) {
    let rule_name = e.rule_name().unwrap_or("").to_string();
    let rule: Rule = match rule_name.parse() {
        Ok(r) => r,
        Err(_) => {
            return (
                rule_name.clone(),
                Status::Skipped(format!("rule {rule_name:?} is not supported")),
            )
        }
    };
    let outcome = match tally_with(e, rule, &Options::default()) {
        Ok(o) => o,
        Err(err) => return (rule_name, Status::Error(err.to_string())),
    };
    let Some(mut expected) = e.selected_in_file("1") else {
        return (
            rule_name,
            Status::KnownAnomaly {
                reason: "no selected column: the official outcome is not in the file".into(),
                missing: vec![],
                extra: vec![],
            },
        );
    };
    expected.sort_by(|a, b| natural_cmp(a, b));
    let got = outcome.sorted_ids();
    let missing: Vec<String> = expected
        .iter()
        .filter(|x| !got.contains(x))
        .cloned()
        .collect();
    let extra: Vec<String> = got
        .iter()
        .filter(|x| !expected.contains(x))
        .cloned()
        .collect();
    if missing.is_empty() && extra.is_empty() {
        // greedy-custom: also check the reserve-funded project (selected = 2)
        if rule == Rule::GreedyCustom {
            let two = e.selected_in_file("2").unwrap_or_default();
            let mut reserve = outcome.reserve.clone();
            reserve.sort();
            let mut two_sorted = two.clone();
            two_sorted.sort();
            if reserve != two_sorted {
                return (
                    rule_name,
                    Status::Mismatch {
                        missing: two_sorted
                            .iter()
                            .map(|x| format!("{x} (reserve)"))
                            .collect(),
                        extra: reserve.iter().map(|x| format!("{x} (reserve)")).collect(),
                    },
                );
            }
        }
        return (rule_name, Status::Match);
    }
    if let Some((_, reason)) = KNOWN_ANOMALIES.iter().find(|(f, _)| name.contains(f)) {
        return (
            rule_name,
            Status::KnownAnomaly {
                reason: reason.to_string(),
                missing,
                extra,
            },
        );
    }
    if rule == Rule::GreedyExclusive {
        return (
            rule_name,
            Status::KnownAnomaly {
                reason:
                    "greedy-exclusive: the sets of mutually exclusive projects are not in the file"
                        .into(),
                missing,
                extra,
            },
        );
    }
    (rule_name, Status::Mismatch { missing, extra })
}

/// Verifies one file.
pub fn verify_file(path: &Path) -> Row {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let start = Instant::now();
    // A file that cannot be read or parsed is one error row.
    let failed = |file: String, err: String| Row {
        file,
        rule: String::new(),
        projects: 0,
        voters: 0,
        status: Status::Error(err),
        time: start.elapsed(),
    };
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(err) => return failed(file, err.to_string()),
    };
    let e = match crate::pabulib::parse(&text) {
        Ok(e) => e,
        Err(err) => return failed(file, err.to_string()),
    };
    let (rule, status) = verify_election(&file, &e);
    Row {
        file,
        rule,
        projects: e.projects.len(),
        voters: e.voters.len(),
        status,
        time: start.elapsed(),
    }
}

/// The `.pb` files of a directory, sorted by name.
pub fn pb_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pb"))
        .collect();
    v.sort();
    Ok(v)
}

/// Verifies every `.pb` file of a directory.
pub fn verify_dir(dir: &Path) -> std::io::Result<Vec<Row>> {
    Ok(pb_files(dir)?.iter().map(|p| verify_file(p)).collect())
}

/// Formats the verify table (and a per-rule summary).
pub fn format_table(rows: &[Row]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<60} {:<28} {:>8} {:>7} {:>9}  result",
        "file", "rule", "projects", "voters", "time"
    );
    for r in rows {
        let name: String = if r.file.chars().count() > 60 {
            r.file.chars().take(57).collect::<String>() + "..."
        } else {
            r.file.clone()
        };
        let result = match &r.status {
            Status::Match => "match".to_string(),
            Status::Mismatch { missing, extra } => {
                format!("MISMATCH missing {missing:?} extra {extra:?}")
            }
            Status::KnownAnomaly {
                reason,
                missing,
                extra,
            } => {
                if missing.is_empty() && extra.is_empty() {
                    format!("known anomaly: {reason}")
                } else {
                    format!("known anomaly: {reason}; missing {missing:?} extra {extra:?}")
                }
            }
            Status::Skipped(why) => format!("skipped: {why}"),
            Status::Error(e) => format!("ERROR {e}"),
        };
        let _ = writeln!(
            s,
            "{:<60} {:<28} {:>8} {:>7} {:>7.1}ms  {}",
            name,
            r.rule,
            r.projects,
            r.voters,
            r.time.as_secs_f64() * 1000.0,
            result
        );
    }
    // summary per rule
    let mut rules: Vec<&str> = rows.iter().map(|r| r.rule.as_str()).collect();
    rules.sort();
    rules.dedup();
    let _ = writeln!(s);
    for rule in rules {
        let rs: Vec<&Row> = rows.iter().filter(|r| r.rule == rule).collect();
        let m = rs.iter().filter(|r| r.status == Status::Match).count();
        let k = rs
            .iter()
            .filter(|r| matches!(r.status, Status::KnownAnomaly { .. }))
            .count();
        let f = rs.iter().filter(|r| r.status.is_failure()).count();
        let sk = rs
            .iter()
            .filter(|r| matches!(r.status, Status::Skipped(_)))
            .count();
        let _ = writeln!(
            s,
            "{:<28} files {:>3}  match {:>3}  known anomaly {:>3}  failed {:>3}  skipped {:>3}",
            if rule.is_empty() { "(none)" } else { rule },
            rs.len(),
            m,
            k,
            f,
            sk
        );
    }
    s
}
