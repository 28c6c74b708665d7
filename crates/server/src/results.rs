//! Counting a cycle's ballots. Rules come from the tally crate; until a
//! rule is wired there, plain greedy by approvals within the budget.

use crate::error::AppResult;

pub struct Outcome {
    pub rule: String,
    pub selected: Vec<String>,
    pub cost: i64,
}

/// The canonical name of a supported rule.
pub fn normalize_rule(rule: &str) -> Option<String> {
    match rule.trim() {
        "greedy" | "" => Some("greedy".into()),
        r => Some(r.to_string()).filter(|r| SUPPORTED.contains(&r.as_str())),
    }
}

const SUPPORTED: &[&str] = &["greedy", "greedy-threshold", "equalshares", "equalshares/add1"];

/// Projects (id, cost) in ballot order; ballots as approved project ids.
pub fn count(rule: &str, budget: i64, projects: &[(String, i64)], ballots: &[Vec<String>]) -> AppResult<Outcome> {
    let mut votes: Vec<(usize, i64)> = projects
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (i, ballots.iter().filter(|b| b.contains(id)).count() as i64))
        .collect();
    // Stable: ties keep ballot order.
    votes.sort_by(|a, b| b.1.cmp(&a.1));
    let mut left = budget;
    let mut selected = Vec::new();
    for (i, v) in votes {
        let (id, cost) = &projects[i];
        if v > 0 && *cost <= left {
            left -= cost;
            selected.push(id.clone());
        }
    }
    selected.sort();
    Ok(Outcome {
        rule: normalize_rule(rule).unwrap_or_else(|| "greedy".into()),
        selected,
        cost: budget - left,
    })
}
