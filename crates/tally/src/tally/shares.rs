//! The Equal Shares rule as run on an election: the budget per voter,
//! the add1 completion (raise the per-voter budget while the outcome stays
//! within the total) and greedy completion, on top of the [`super::mes`]
//! engine.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

use super::mes::Mes;
use super::{greedy, ranking, scores, GreedyKind, Options, ScoreSource, ADD1_LINEAR_STEPS};
use crate::model::{format_money, Election};
use crate::rules::{Completion, Utility};

fn total_cost(e: &Election, sel: &[usize]) -> u128 {
    sel.iter().map(|&p| e.projects[p].cost as u128).sum()
}

pub(super) fn equal_shares(
    e: &Election,
    utility: Utility,
    completion: Completion,
    opts: &Options,
    notes: &mut Vec<String>,
) -> Vec<usize> {
    let mes = Mes::new(e, utility);
    let n = e.voters.len() as u64;
    let b = e.budget;
    let mut exact_runs = 0u64;
    let mut sel = mes.run_auto(b, n, &mut exact_runs);
    match completion {
        Completion::None => sel,
        Completion::Greedy => {
            complete_greedy(e, &mut sel, &scores(e, ScoreSource::Ballots));
            sel
        }
        Completion::Add1 | Completion::Add1Comparison => {
            let linear = opts.add1_linear_steps.unwrap_or(ADD1_LINEAR_STEPS);
            let (best, per_voter, runs) = add1(e, &mes, sel, linear, &mut exact_runs);
            notes.push(format!(
                "add1: per-voter budget {} after {} Equal Shares runs ({} in exact arithmetic)",
                match per_voter {
                    Some(k) => format_money(k, e.decimals),
                    None => format!("{}/{}", format_money(b, e.decimals), n),
                },
                runs,
                exact_runs
            ));
            sel = best;
            if completion == Completion::Add1Comparison {
                let g = greedy(e, &e.approval_counts(), None, GreedyKind::Skip);
                let (prefer_g, prefer_m) = compare(e, &g, &sel);
                notes.push(format!(
                    "comparison: {prefer_g} voters prefer greedy, {prefer_m} prefer Equal Shares"
                ));
                if prefer_g > prefer_m {
                    notes.push("comparison: switched to greedy".into());
                    sel = g;
                }
            }
            sel
        }
    }
}

/// add1: raise the per-voter budget to floor(B/n)+1, +2, … while the outcome
/// costs ≤ B; keep the last outcome that fit. After `linear` unit steps the
/// step doubles, and the boundary is then found by bisection.
/// Returns (outcome, per-voter budget of it (None = B/n), number of runs).
fn add1(
    e: &Election,
    mes: &Mes,
    first: Vec<usize>,
    linear: u64,
    exact_runs: &mut u64,
) -> (Vec<usize>, Option<u64>, u64) {
    let n = e.voters.len() as u64;
    let b = e.budget as u128;
    let base = e.budget / n;
    let all: usize = mes.cands.len();
    let mut best = first;
    let mut best_k: Option<u64> = None;
    let mut runs = 1u64;
    if best.len() == all {
        return (best, best_k, runs);
    }
    // Linear phase: the runs for k, k+1, … are independent, so they are
    // computed a few at a time on all cores and then examined in order —
    // the outcome is exactly that of the one-at-a-time search.
    let width = std::thread::available_parallelism()
        .map(|n| n.get() as u64)
        .unwrap_or(1)
        .clamp(1, 4);
    let mut k = 1u64;
    let mut over: Option<u64> = None;
    'linear: while k <= linear {
        let ks: Vec<u64> = (k..=linear.min(k + width - 1)).collect();
        let batch: Vec<(Vec<usize>, u64)> = if ks.len() == 1 {
            let mut ex = 0;
            vec![(mes.run_auto(base.saturating_add(k), 1, &mut ex), ex)]
        } else {
            std::thread::scope(|sc| {
                let handles: Vec<_> = ks
                    .iter()
                    .map(|&kk| {
                        sc.spawn(move || {
                            let mut ex = 0;
                            (mes.run_auto(base.saturating_add(kk), 1, &mut ex), ex)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| match h.join() {
                        Ok(v) => v,
                        Err(panic) => std::panic::resume_unwind(panic),
                    })
                    .collect()
            })
        };
        for (&kk, (s, ex)) in ks.iter().zip(batch) {
            *exact_runs += ex;
            runs += 1;
            if total_cost(e, &s) <= b {
                let done = s.len() == all;
                best = s;
                best_k = Some(kk);
                if done {
                    return (best, best_k.map(|k| base + k), runs);
                }
            } else {
                over = Some(kk);
                break 'linear;
            }
        }
        k += ks.len() as u64;
    }
    let mut run = |k: u64| -> Vec<usize> { mes.run_auto(base.saturating_add(k), 1, exact_runs) };
    if over.is_none() {
        // galloping phase
        let mut step = 1u64;
        let mut lo = linear;
        loop {
            step = step.saturating_mul(2);
            let k2 = lo.saturating_add(step);
            if k2 == lo || base.checked_add(k2).is_none() {
                break;
            }
            let s = run(k2);
            runs += 1;
            if total_cost(e, &s) <= b {
                let done = s.len() == all;
                best = s;
                best_k = Some(k2);
                lo = k2;
                if done {
                    return (best, best_k.map(|k| base + k), runs);
                }
            } else {
                // bisect in (lo, k2)
                let mut hi = k2;
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    let s = run(mid);
                    runs += 1;
                    if total_cost(e, &s) <= b {
                        best = s;
                        best_k = Some(mid);
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                break;
            }
        }
    }
    (best, best_k.map(|k| base + k), runs)
}

fn complete_greedy(e: &Election, sel: &mut Vec<usize>, scores: &[i64]) {
    let mut left = e
        .budget
        .saturating_sub(total_cost(e, sel).min(u64::MAX as u128) as u64);
    let mut chosen = vec![false; e.projects.len()];
    for &p in sel.iter() {
        chosen[p] = true;
    }
    for p in ranking(scores) {
        if !chosen[p] && e.projects[p].cost <= left {
            left -= e.projects[p].cost;
            chosen[p] = true;
            sel.push(p);
        }
    }
}

/// Number of voters who prefer `a` over `b` and `b` over `a`, a voter's
/// satisfaction being the total cost of the projects of their ballot that
/// are funded.
fn compare(e: &Election, a: &[usize], b: &[usize]) -> (u64, u64) {
    let m = e.projects.len();
    let mut in_a = vec![false; m];
    let mut in_b = vec![false; m];
    for &p in a {
        in_a[p] = true;
    }
    for &p in b {
        in_b[p] = true;
    }
    let (mut pa, mut pb) = (0u64, 0u64);
    for v in &e.voters {
        let mut seen = std::collections::HashSet::new();
        let (mut ua, mut ub) = (0u128, 0u128);
        for &p in &v.vote {
            let p = p as usize;
            if p >= m || !seen.insert(p) {
                continue;
            }
            if in_a[p] {
                ua += e.projects[p].cost as u128;
            }
            if in_b[p] {
                ub += e.projects[p].cost as u128;
            }
        }
        match ua.cmp(&ub) {
            Ordering::Greater => pa += 1,
            Ordering::Less => pb += 1,
            Ordering::Equal => {}
        }
    }
    (pa, pb)
}

/// Largest payment any voter made in an Equal Shares run, compared with
/// their initial share: used by property tests. Returns (max payment
/// as f64 ratio to the share, whether every payment ≤ share exactly).
#[doc(hidden)]
pub fn mes_payments_within_share(e: &Election, utility: Utility) -> bool {
    if e.voters.is_empty() {
        return true;
    }
    let mes = Mes::new(e, utility);
    let share = BigRational::new(BigInt::from(e.budget), BigInt::from(e.voters.len() as u64));
    let r = mes.run(&share);
    // every budget is between 0 and the share; the total paid equals the
    // cost of the selected projects
    let mut paid = BigRational::zero();
    for i in 0..e.voters.len() {
        let left = r.budget(i);
        if left.is_negative() || *left > share {
            return false;
        }
        paid += &share - left;
    }
    let cost: u128 = total_cost(e, &r.selected);
    let _ = r.rhos.len();
    paid == BigRational::from_integer(BigInt::from(cost)) && paid.to_f64().is_some()
}

/// Runs plain Equal Shares at budget B/n both in exact rational arithmetic
/// and in f64; returns (exact, f64 or None when the f64 run declined a
/// near tie). For tests.
#[doc(hidden)]
pub fn mes_exact_and_fast(e: &Election, utility: Utility) -> (Vec<usize>, Option<Vec<usize>>) {
    if e.voters.is_empty() {
        return (Vec::new(), Some(Vec::new()));
    }
    let mes = Mes::new(e, utility);
    let n = e.voters.len() as u64;
    let exact = mes
        .run(&BigRational::new(BigInt::from(e.budget), BigInt::from(n)))
        .selected;
    let fast = mes.run_f64(e.budget as f64 / n as f64);
    (exact, fast)
}
