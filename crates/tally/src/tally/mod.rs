//! Running a rule on an election.

use std::cmp::Ordering;

use serde::Serialize;

use crate::model::{format_money, parse_int_like, Election, VoteType};
use crate::rules::Rule;

/// Where greedy rules take project scores from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScoreSource {
    /// Count the ballots (see [`Election::ballot_scores`]).
    Ballots,
    /// The PROJECTS `score` column, else `votes` (what the official count
    /// used); falls back to the ballots when neither column exists.
    Columns,
    /// Columns when present, else ballots.
    #[default]
    Auto,
}

/// Tally options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub scores: ScoreSource,
    /// Overrides META `min_project_score_threshold`.
    pub threshold: Option<i64>,
    /// Number of single-unit add1 steps before the search switches to
    /// doubling + bisection (guard for currencies with tiny units).
    /// `None` = [`ADD1_LINEAR_STEPS`].
    pub add1_linear_steps: Option<u64>,
}

/// Default number of unit add1 steps before galloping.
pub const ADD1_LINEAR_STEPS: u64 = 2000;

/// The result of a tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The rule that was run.
    pub rule: String,
    /// Funded project ids, in the order the rule chose them.
    pub selected: Vec<String>,
    /// Indices of the funded projects in [`Election::projects`], same order.
    #[serde(skip)]
    pub selected_indices: Vec<usize>,
    /// Total cost of `selected`, in smallest money units.
    pub cost: u64,
    /// The budget, in smallest money units.
    pub budget: u64,
    /// Decimal places of money amounts.
    pub decimals: u32,
    /// Projects funded outside the budget (greedy-custom's reserve funds).
    pub reserve: Vec<String>,
    /// Human-readable remarks (add1 steps, comparison votes, …).
    pub notes: Vec<String>,
}

impl Outcome {
    /// `cost` formatted with the election's decimals.
    pub fn cost_str(&self) -> String {
        format_money(self.cost, self.decimals)
    }

    /// Selected ids sorted naturally (numbers by value, then text).
    pub fn sorted_ids(&self) -> Vec<String> {
        let mut v = self.selected.clone();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }
}

/// Orders ids numerically when both are integers, else as text.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        _ => a.cmp(b),
    }
}

/// Why a tally could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    #[error("rule {rule} is not defined for {vote_type} ballots")]
    UnsupportedBallots { rule: String, vote_type: VoteType },
    #[error("the election has no voters")]
    NoVoters,
}

/// Runs `rule` with default [`Options`].
pub fn tally(e: &Election, rule: Rule) -> Result<Outcome, TallyError> {
    tally_with(e, rule, &Options::default())
}

/// Runs `rule` with explicit options.
pub fn tally_with(e: &Election, rule: Rule, opts: &Options) -> Result<Outcome, TallyError> {
    let mut notes = Vec::new();
    let mut reserve = Vec::new();
    let sel = match rule {
        Rule::Greedy | Rule::GreedyExclusive => {
            if rule == Rule::GreedyExclusive {
                notes.push("exclusion sets are not part of the pabulib file: plain greedy".into());
            }
            greedy(e, &scores(e, opts.scores), None, GreedyKind::Skip)
        }
        Rule::GreedyThreshold => greedy(
            e,
            &scores(e, opts.scores),
            threshold(e, opts),
            GreedyKind::Skip,
        ),
        Rule::GreedyNoSkip => greedy(
            e,
            &scores(e, opts.scores),
            threshold(e, opts),
            GreedyKind::NoSkip,
        ),
        Rule::GreedyCustom => {
            let sc = scores(e, opts.scores);
            let sel = greedy(e, &sc, threshold(e, opts), GreedyKind::NoSkip);
            if let Some(stop) = no_skip_stop(e, &sc, threshold(e, opts)) {
                let spent: u64 = sel.iter().map(|&p| e.projects[p].cost).sum();
                let left = e.budget.saturating_sub(spent) as u128;
                if left * 100 >= e.projects[stop].cost as u128 * 80 {
                    reserve.push(e.projects[stop].id.clone());
                    notes.push(format!(
                        "project {} funded from reserve: leftover {} ≥ 80% of its cost",
                        e.projects[stop].id,
                        format_money(left as u64, e.decimals)
                    ));
                }
            }
            sel
        }
        Rule::EqualShares {
            utility,
            completion,
        } => {
            if e.vote_type == VoteType::Ordinal {
                return Err(TallyError::UnsupportedBallots {
                    rule: rule.to_string(),
                    vote_type: e.vote_type,
                });
            }
            if e.voters.is_empty() {
                return Err(TallyError::NoVoters);
            }
            equal_shares(e, utility, completion, opts, &mut notes)
        }
    };
    let cost = sel.iter().map(|&p| e.projects[p].cost).sum();
    Ok(Outcome {
        rule: rule.to_string(),
        selected: sel.iter().map(|&p| e.projects[p].id.clone()).collect(),
        selected_indices: sel,
        cost,
        budget: e.budget,
        decimals: e.decimals,
        reserve,
        notes,
    })
}

fn scores(e: &Election, src: ScoreSource) -> Vec<i64> {
    match src {
        ScoreSource::Ballots => e.ballot_scores(),
        ScoreSource::Columns | ScoreSource::Auto => {
            e.column_scores().unwrap_or_else(|| e.ballot_scores())
        }
    }
}

fn threshold(e: &Election, opts: &Options) -> Option<i64> {
    opts.threshold.or_else(|| {
        let t = e.meta("min_project_score_threshold")?;
        parse_int_like(t).or_else(|| {
            // a fractional threshold: scores are integers, so ≥ t ⇔ ≥ ceil(t)
            t.trim().parse::<f64>().ok().map(|f| f.ceil() as i64)
        })
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GreedyKind {
    Skip,
    NoSkip,
}

/// Project indices by score descending, ties in file order (stable).
fn ranking(scores: &[i64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]));
    order
}

fn greedy(e: &Election, scores: &[i64], thr: Option<i64>, kind: GreedyKind) -> Vec<usize> {
    let mut left = e.budget;
    let mut sel = Vec::new();
    for p in ranking(scores) {
        if thr.is_some_and(|t| scores[p] < t) {
            if kind == GreedyKind::NoSkip {
                break;
            }
            continue;
        }
        let c = e.projects[p].cost;
        if c <= left {
            left -= c;
            sel.push(p);
        } else if kind == GreedyKind::NoSkip && !e.is_withdrawn(p) {
            break;
        }
    }
    sel
}

/// The project where greedy-no-skip stops, if any.
fn no_skip_stop(e: &Election, scores: &[i64], thr: Option<i64>) -> Option<usize> {
    let mut left = e.budget;
    for p in ranking(scores) {
        if thr.is_some_and(|t| scores[p] < t) {
            return None;
        }
        let c = e.projects[p].cost;
        if c <= left {
            left -= c;
        } else if !e.is_withdrawn(p) {
            return Some(p);
        }
    }
    None
}

mod mes;
mod shares;

use shares::equal_shares;
pub use shares::{mes_exact_and_fast, mes_payments_within_share};
