//! `dauys-tally` command line.

use std::path::Path;
use std::process::ExitCode;

use dauys_tally::{pabulib, tally_with, verify, Options, Rule, ScoreSource};

const USAGE: &str = "usage:
  dauys-tally FILE.pb [--rule RULE] [--json] [--scores ballots|columns] [--export OUT.pb] [--csv OUT.csv]
      count FILE.pb; prints the selected project ids (sorted) and the budget used.
      --rule defaults to the file's META rule. --export writes the election with
      the outcome (selected column, META rule) as .pb; --anonymize also replaces
      voter ids by random ones and drops per-voter columns.
  dauys-tally verify DIR
      recount every .pb file of DIR with a supported rule and compare with its
      selected column; exits 1 on any mismatch that is not a known anomaly.
  dauys-tally roundtrip IN.pb OUT.pb
      parse IN.pb and write it back in canonical form (checks the result parses
      to the same election).
  dauys-tally rules
      list the rules with their plain-words description.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("dauys-tally: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &str) -> Result<dauys_tally::Election, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{path}: not UTF-8: {e}"))?;
    pabulib::parse(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some("verify") => {
            let dir = args.get(1).ok_or("verify needs a directory")?;
            let rows = verify::verify_dir(Path::new(dir)).map_err(|e| format!("{dir}: {e}"))?;
            print!("{}", verify::format_table(&rows));
            let failed = rows.iter().filter(|r| r.status.is_failure()).count();
            if failed > 0 {
                println!("{failed} file(s) failed");
                Ok(ExitCode::from(1))
            } else {
                Ok(ExitCode::SUCCESS)
            }
        }
        Some("roundtrip") => {
            let (inp, out) = match (args.get(1), args.get(2)) {
                (Some(i), Some(o)) => (i, o),
                _ => return Err("roundtrip needs IN.pb OUT.pb".into()),
            };
            let e = read(inp)?;
            let text = pabulib::write(&e);
            let back =
                pabulib::parse(&text).map_err(|e| format!("written file does not parse: {e}"))?;
            if back != e {
                return Err("written file parses to a different election".into());
            }
            std::fs::write(out, text).map_err(|e| format!("{out}: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("rules") => {
            for r in Rule::ALL {
                println!("{r}\n    {}\n", r.describe());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(_) => count(args),
    }
}

fn count(args: &[String]) -> Result<ExitCode, String> {
    let mut file = None;
    let mut rule = None;
    let mut json = false;
    let mut export = None;
    let mut csv = None;
    let mut anonymize = false;
    let mut opts = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rule" => rule = Some(it.next().ok_or("--rule needs a value")?.clone()),
            "--json" => json = true,
            "--anonymize" => anonymize = true,
            "--export" => export = Some(it.next().ok_or("--export needs a path")?.clone()),
            "--csv" => csv = Some(it.next().ok_or("--csv needs a path")?.clone()),
            "--scores" => {
                opts.scores = match it.next().map(String::as_str) {
                    Some("ballots") => ScoreSource::Ballots,
                    Some("columns") => ScoreSource::Columns,
                    _ => return Err("--scores takes ballots or columns".into()),
                }
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err(format!("more than one file\n{USAGE}"));
                }
            }
        }
    }
    let file = file.ok_or(USAGE)?;
    let e = read(&file)?;
    let rule_str = match rule {
        Some(r) => r,
        None => e
            .rule_name()
            .map(str::to_string)
            .ok_or("the file has no META rule: pass --rule")?,
    };
    let rule: Rule = rule_str
        .parse()
        .map_err(|e: dauys_tally::UnknownRule| e.to_string())?;
    let out = tally_with(&e, rule, &opts).map_err(|e| e.to_string())?;
    if json {
        let v = serde_json::json!({
            "rule": out.rule,
            "selected": out.sorted_ids(),
            "cost": out.cost_str(),
            "budget": dauys_tally::format_money(out.budget, out.decimals),
            "reserve": out.reserve,
            "notes": out.notes,
        });
        println!("{v}");
    } else {
        println!("rule: {}", out.rule);
        println!("selected: {}", out.sorted_ids().join(" "));
        println!(
            "cost: {} of {}",
            out.cost_str(),
            dauys_tally::format_money(out.budget, out.decimals)
        );
        if !out.reserve.is_empty() {
            println!("reserve: {}", out.reserve.join(" "));
        }
        for n in &out.notes {
            println!("note: {n}");
        }
    }
    if export.is_some() || csv.is_some() {
        let mut public = e.clone();
        if anonymize {
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0)
                ^ std::process::id() as u64;
            public.anonymize(seed);
        }
        public.set_outcome(&out);
        public.prepare_for_publication();
        if let Some(p) = export {
            std::fs::write(&p, pabulib::write(&public)).map_err(|e| format!("{p}: {e}"))?;
        }
        if let Some(p) = csv {
            std::fs::write(&p, dauys_tally::outcome_csv(&public, &out))
                .map_err(|e| format!("{p}: {e}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
