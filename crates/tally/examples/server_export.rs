//! What the server does when a cycle closes: build the election from its own
//! data, count it, publish anonymized ballots + outcome as `.pb` and CSV.
//!
//! `cargo run -p dauys-tally --example server_export -- OUT.pb [OUT.csv]`

use dauys_tally::{pabulib, tally, Election, Rule, VoteType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .first()
        .ok_or("usage: server_export OUT.pb [OUT.csv]")?;
    let mut e = Election::new(50_000_000, VoteType::Approval);
    for (k, v) in [
        ("description", "Dauys participatory budget, Medeu district"),
        ("country", "Kazakhstan"),
        ("unit", "Almaty"),
        ("instance", "2025"),
        ("date_begin", "01.09.2025"),
        ("date_end", "30.09.2025"),
        ("currency", "KZT"),
    ] {
        e.set_meta(k, v);
    }
    let projects = [
        ("101", 20_000_000, "Playground"),
        ("102", 15_000_000, "Bike lane"),
        ("103", 25_000_000, "Library"),
        ("104", 5_000_000, "Benches"),
    ];
    for (id, cost, name) in projects {
        let i = e.add_project(id, cost)?;
        e.set_project_field(i, "name", name)?;
    }
    let ballots: [&[&str]; 6] = [
        &["101", "104"],
        &["101", "102"],
        &["103"],
        &["103", "104"],
        &["101"],
        &["102", "104"],
    ];
    for (i, b) in ballots.iter().enumerate() {
        e.add_voter(&format!("internal-{i}"), b)?;
    }
    let rule: Rule = "equalshares/add1".parse()?;
    let outcome = tally(&e, rule)?;
    let mut public = e.clone();
    public.anonymize(0xDA05);
    public.set_outcome(&outcome);
    public.prepare_for_publication();
    std::fs::write(out, pabulib::write(&public))?;
    if let Some(csv) = args.get(1) {
        std::fs::write(csv, dauys_tally::outcome_csv(&public, &outcome))?;
    }
    println!(
        "{} selected: {:?}, cost {}",
        outcome.rule,
        outcome.sorted_ids(),
        outcome.cost_str()
    );
    Ok(())
}
