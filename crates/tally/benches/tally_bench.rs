//! `cargo bench -p dauys-tally` (harness = false): prints timings on the
//! largest shared pabulib files. Set DAUYS_BENCH_FILES to a `:`-separated
//! list of paths to bench other files.

use std::time::{Duration, Instant};

use dauys_tally::{pabulib, tally, Completion, Rule, Utility};

fn time<T>(reps: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        last = Some(r);
    }
    (best, last.expect("reps >= 1"))
}

fn ms(d: Duration) -> String {
    format!("{:9.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/pabulib");
    let files: Vec<String> = match std::env::var("DAUYS_BENCH_FILES") {
        Ok(v) => v.split(':').map(str::to_string).collect(),
        Err(_) => [
            "Poland_Warszawa_2026.pb",
            "Poland_Wroclaw_2018.pb",
            "Poland_Wieliczka_2023_Green_Budget.pb",
        ]
        .iter()
        .map(|f| format!("{root}/{f}"))
        .collect(),
    };
    let reps: u32 = std::env::var("DAUYS_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("{path}: not found, skipped");
            continue;
        };
        let (t_parse, e) = time(reps, || pabulib::parse(&text));
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                println!("{path}: {err}");
                continue;
            }
        };
        let name = path.rsplit('/').next().unwrap_or(&path);
        println!(
            "{name}: {} projects, {} voters, {} bytes",
            e.projects.len(),
            e.voters.len(),
            text.len()
        );
        println!("  parse                         {}", ms(t_parse));
        let (t, _) = time(reps, || pabulib::write(&e));
        println!("  write                         {}", ms(t));
        let rules: Vec<(&str, Rule)> = vec![
            ("greedy", Rule::Greedy),
            ("greedy-no-skip", Rule::GreedyNoSkip),
            (
                "equalshares (cost)",
                Rule::EqualShares {
                    utility: Utility::Cost,
                    completion: Completion::None,
                },
            ),
            (
                "equalshares (approval)",
                Rule::EqualShares {
                    utility: Utility::Approval,
                    completion: Completion::None,
                },
            ),
            (
                "equalshares/add1 (cost)",
                Rule::EqualShares {
                    utility: Utility::Cost,
                    completion: Completion::Add1,
                },
            ),
            (
                "equalshares-approval/add1",
                Rule::EqualShares {
                    utility: Utility::Approval,
                    completion: Completion::Add1,
                },
            ),
            (
                "equalshares/add1-comparison",
                Rule::EqualShares {
                    utility: Utility::Cost,
                    completion: Completion::Add1Comparison,
                },
            ),
        ];
        for (label, rule) in rules {
            let (t, out) = time(reps, || tally(&e, rule));
            match out {
                Ok(o) => println!(
                    "  {label:<29} {}   {} selected, cost {}{}",
                    ms(t),
                    o.selected.len(),
                    o.cost_str(),
                    o.notes
                        .first()
                        .map(|n| format!("  [{n}]"))
                        .unwrap_or_default()
                ),
                Err(err) => println!("  {label:<29} error: {err}"),
            }
        }
    }
}
