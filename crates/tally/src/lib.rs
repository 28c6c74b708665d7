//! # dauys-tally — participatory-budgeting tally
//!
//! Counts PB elections in the open: a pabulib (`.pb`) parser and writer, the
//! greedy rules used by cities and the Method of Equal Shares (exact rational
//! arithmetic), reproducing real official outcomes (see `README.md`).
//!
//! ## API for the server
//!
//! ```
//! use dauys_tally::{tally, Election, Rule, VoteType};
//!
//! // build a cycle's election in memory (money in whole units, e.g. tenge)
//! let mut e = Election::new(100_000, VoteType::Approval);
//! e.set_meta("description", "Almaty 2025, Medeu district");
//! e.add_project("p1", 60_000)?;
//! e.add_project("p2", 50_000)?;
//! e.add_project("p3", 40_000)?;
//! e.add_voter("v1", &["p1", "p3"])?;
//! e.add_voter("v2", &["p2"])?;
//! e.add_voter("v3", &["p1"])?;
//!
//! let rule: Rule = "equalshares/add1".parse()?;   // or Rule::Greedy, …
//! println!("{}", rule.describe());                 // plain words for citizens
//! let out = tally(&e, rule)?;                      // Outcome { selected, cost, … }
//! assert!(out.cost <= e.budget);
//!
//! // publish: anonymized ballots + outcome as .pb
//! let mut public = e.clone();
//! public.anonymize(0x5eed);                        // random voter ids, no extra columns
//! public.set_outcome(&out);                        // `selected` column + META rule
//! let pb: String = dauys_tally::pabulib::write(&public);
//! let back = dauys_tally::pabulib::parse(&pb)?;    // Result<Election, ParseError>
//! assert_eq!(back, public);
//! let csv: String = dauys_tally::outcome_csv(&public, &out);
//! # let _ = csv;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! * [`pabulib::parse`]`(&str) -> Result<Election, ParseError>` (error has a
//!   1-based `line`), [`pabulib::write`]`(&Election) -> String`.
//! * [`Election::new`], [`Election::add_project`], [`Election::add_voter`],
//!   [`Election::add_voter_points`], [`Election::set_meta`],
//!   [`Election::set_project_field`], [`Election::anonymize`],
//!   [`Election::set_outcome`].
//! * [`Rule`] (`FromStr` / `Display` with pabulib rule strings,
//!   [`Rule::describe`], [`Rule::ALL`]).
//! * [`tally`]`(&Election, Rule) -> Result<Outcome, TallyError>`;
//!   [`tally_with`] takes [`Options`] (score source, threshold override).
//!   [`Outcome`] is `Serialize` (`rule`, `selected`, `cost`, `budget`,
//!   `decimals`, `reserve`, `notes`).
//! * [`verify`]: recount a directory of real elections.
//!
//! Money is `u64` in the election's smallest unit; [`Election::decimals`]
//! says how many decimal places a file used (0 for whole units).

pub mod model;
pub mod pabulib;
pub mod rules;
pub mod tally;
pub mod verify;

pub use model::{format_money, BuildError, Election, Project, VoteType, Voter};
pub use pabulib::{ParseError, ParseErrorKind};
pub use rules::{Completion, Rule, UnknownRule, Utility};
pub use tally::{tally, tally_with, Options, Outcome, ScoreSource, TallyError};

/// A CSV (comma-separated, RFC 4180 quoting) table of the projects with
/// their cost, votes (from the ballots) and whether they were funded.
pub fn outcome_csv(e: &Election, outcome: &Outcome) -> String {
    fn q(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let scores = e.ballot_scores();
    let chosen: std::collections::HashSet<&str> =
        outcome.selected.iter().map(String::as_str).collect();
    let mut s = String::from("project_id,name,cost,score,selected\n");
    for (i, p) in e.projects.iter().enumerate() {
        let name = e.project_field(i, "name").unwrap_or("");
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            q(&p.id),
            q(name),
            format_money(p.cost, e.decimals),
            scores.get(i).copied().unwrap_or(0),
            u8::from(chosen.contains(p.id.as_str()))
        ));
    }
    s
}
