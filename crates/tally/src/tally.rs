//! Running a rule on an election.

use std::cmp::Ordering;
use std::collections::HashMap;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use serde::Serialize;

use crate::model::{format_money, parse_int_like, Election, VoteType};
use crate::rules::{Completion, Rule, Utility};

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

// ---------------------------------------------------------------------------
// Method of Equal Shares, exact rational arithmetic.
//
// Voters whose budgets are equal share a "value id"; a project's supporters
// are aggregated by (value id, weight) with integer counting, so rational
// arithmetic is done once per distinct budget value, not once per voter.

/// Preprocessed instance, reusable across runs with different voter budgets.
pub(crate) struct Mes {
    n: usize,
    cost: Vec<u64>,
    /// supporters per project (voter indices, deduplicated)
    sup: Vec<Vec<u32>>,
    /// per-supporter weights (points) when not all 1
    w: Vec<Option<Vec<u64>>>,
    utility: Utility,
    /// candidate projects: cost > 0 and at least one supporter
    cands: Vec<usize>,
    /// tie-break rank (lower wins): lower cost, then more supporters, then
    /// file order
    rank: Vec<usize>,
}

type Groups = Vec<(u32, u64, u64)>; // (value id, weight, count)

impl Mes {
    pub(crate) fn new(e: &Election, utility: Utility) -> Mes {
        let m = e.projects.len();
        let mut sup: Vec<Vec<u32>> = vec![Vec::new(); m];
        let mut wts: Vec<Vec<u64>> = vec![Vec::new(); m];
        let mut weighted = vec![false; m];
        // seen[p] = (voter index + 1, position in sup[p]) of the last voter
        // who named p: detects a duplicate id inside one ballot in O(1)
        let mut seen: Vec<(usize, usize)> = vec![(0, 0); m];
        for (vi, v) in e.voters.iter().enumerate() {
            for (pos, &p) in v.vote.iter().enumerate() {
                let w: i64 = match (&v.points, e.vote_type.has_points()) {
                    (Some(pts), true) => pts.get(pos).copied().unwrap_or(0),
                    _ => 1,
                };
                let pu = p as usize;
                if pu >= m || w <= 0 {
                    continue;
                }
                let w = w as u64;
                match (seen[pu].0 == vi + 1).then_some(seen[pu].1) {
                    Some(k) => {
                        // duplicate id in one ballot: approval stays 1,
                        // points add up
                        if e.vote_type.has_points() {
                            wts[pu][k] = wts[pu][k].saturating_add(w);
                            weighted[pu] = true;
                        }
                    }
                    None => {
                        seen[pu] = (vi + 1, sup[pu].len());
                        sup[pu].push(vi as u32);
                        wts[pu].push(w);
                        if w != 1 {
                            weighted[pu] = true;
                        }
                    }
                }
            }
        }
        let w = wts
            .into_iter()
            .zip(weighted.iter())
            .map(|(v, &is_w)| if is_w { Some(v) } else { None })
            .collect();
        let cost: Vec<u64> = e.projects.iter().map(|p| p.cost).collect();
        let cands: Vec<usize> = (0..m)
            .filter(|&p| cost[p] > 0 && !sup[p].is_empty())
            .collect();
        let mut by: Vec<usize> = (0..m).collect();
        by.sort_by(|&a, &b| {
            cost[a]
                .cmp(&cost[b])
                .then(sup[b].len().cmp(&sup[a].len()))
                .then(a.cmp(&b))
        });
        let mut rank = vec![0; m];
        for (r, &p) in by.iter().enumerate() {
            rank[p] = r;
        }
        Mes {
            n: e.voters.len(),
            cost,
            sup,
            w,
            utility,
            cands,
            rank,
        }
    }

    fn unit(&self, p: usize) -> u64 {
        match self.utility {
            Utility::Cost => self.cost[p],
            Utility::Approval => 1,
        }
    }

    /// Runs Equal Shares with every voter starting at budget `b0`.
    /// Returns the selected projects in order and the final budgets of
    /// every voter (as a value table and ids).
    pub(crate) fn run(&self, b0: &BigRational) -> MesRun {
        let zero = BigRational::zero();
        let mut values: Vec<BigRational> = vec![zero.clone(), b0.clone()];
        let mut intern: HashMap<BigRational, u32> = HashMap::new();
        intern.insert(zero.clone(), 0);
        intern.insert(b0.clone(), 1);
        let start = if b0.is_positive() { 1u32 } else { 0u32 };
        let mut vid: Vec<u32> = vec![start; self.n];
        let mut lower: Vec<BigRational> = vec![zero.clone(); self.cost.len()];
        let mut alive: Vec<usize> = self.cands.clone();
        let mut scratch: Vec<u64> = Vec::new();
        let mut selected = Vec::new();
        let mut rhos = Vec::new();
        loop {
            alive.sort_by(|&a, &b| {
                lower[a]
                    .cmp(&lower[b])
                    .then(self.rank[a].cmp(&self.rank[b]))
            });
            let mut best: Option<(usize, BigRational, Groups)> = None;
            let mut dead: Vec<usize> = Vec::new();
            for &p in &alive {
                if let Some((_, br, _)) = &best {
                    if lower[p] > *br {
                        break;
                    }
                }
                let groups = self.groups(p, &vid, &mut scratch, values.len());
                match self.rho(p, &groups, &values) {
                    None => dead.push(p),
                    Some(r) => {
                        lower[p] = r.clone();
                        let better = match &best {
                            None => true,
                            Some((bp, br, _)) => match r.cmp(br) {
                                Ordering::Less => true,
                                Ordering::Equal => self.rank[p] < self.rank[*bp],
                                Ordering::Greater => false,
                            },
                        };
                        if better {
                            best = Some((p, r, groups));
                        }
                    }
                }
            }
            if !dead.is_empty() {
                alive.retain(|p| !dead.contains(p));
            }
            let Some((p, rho, groups)) = best else { break };
            // charge the supporters
            let unit = self.unit(p);
            let mut remap: HashMap<(u32, u64), u32> = HashMap::with_capacity(groups.len());
            for &(v, w, _) in &groups {
                let pay = &rho * BigRational::from_integer(BigInt::from(w) * BigInt::from(unit));
                let cur = &values[v as usize];
                let new = if *cur > pay { cur - &pay } else { zero.clone() };
                let id = match intern.get(&new) {
                    Some(&id) => id,
                    None => {
                        let id = values.len() as u32;
                        values.push(new.clone());
                        intern.insert(new, id);
                        id
                    }
                };
                remap.insert((v, w), id);
            }
            let sup = &self.sup[p];
            for (k, &i) in sup.iter().enumerate() {
                let w = self.w[p].as_ref().map_or(1, |ws| ws[k]);
                let cur = vid[i as usize];
                if let Some(&id) = remap.get(&(cur, w)) {
                    vid[i as usize] = id;
                }
            }
            selected.push(p);
            rhos.push(rho);
            alive.retain(|&q| q != p);
        }
        MesRun {
            selected,
            values,
            vid,
            rhos,
        }
    }

    /// Runs Equal Shares in f64. Returns None when a decision was too close
    /// to call in floating point (two candidates' prices, or a project's
    /// cost and its supporters' money, within a relative 1e-9): the caller
    /// then redoes the run exactly.
    pub(crate) fn run_f64(&self, b0: f64) -> Option<Vec<usize>> {
        const TOL: f64 = 1e-9;
        let mut b: Vec<f64> = vec![b0; self.n];
        let mut lower: Vec<f64> = vec![0.0; self.cost.len()];
        // fresh[p]: lower[p] is p's current price (no recomputation needed)
        let mut fresh: Vec<bool> = vec![false; self.cost.len()];
        let mut alive: Vec<usize> = Vec::with_capacity(self.cands.len());
        // first round in closed form: every voter has b0, so a weight-1
        // project is affordable iff |S|·b0 ≥ cost, at price cost/(|S|·unit)
        for &p in &self.cands {
            if self.w[p].is_some() {
                alive.push(p);
                continue;
            }
            let n = self.sup[p].len() as f64;
            let cost = self.cost[p] as f64;
            let money = n * b0;
            if (money - cost).abs() <= TOL * cost {
                return None;
            }
            if money > cost {
                lower[p] = cost / (n * self.unit(p) as f64);
                fresh[p] = true;
                alive.push(p);
            }
        }
        let mut selected = Vec::new();
        loop {
            alive.sort_by(|&a, &c| {
                lower[a]
                    .total_cmp(&lower[c])
                    .then(self.rank[a].cmp(&self.rank[c]))
            });
            let mut best: Option<(usize, f64)> = None;
            let mut dead: Vec<usize> = Vec::new();
            for &p in &alive {
                if let Some((_, br)) = best {
                    if lower[p] > br * (1.0 + TOL) {
                        break;
                    }
                }
                let r = if fresh[p] {
                    Some(lower[p])
                } else {
                    self.rho_f64(p, &b)?
                };
                match r {
                    None => dead.push(p),
                    Some(r) => {
                        lower[p] = r;
                        let better = match best {
                            None => true,
                            Some((bp, br)) => {
                                if (r - br).abs() <= TOL * r.abs().max(br.abs()) {
                                    if r != br {
                                        return None;
                                    }
                                    self.rank[p] < self.rank[bp]
                                } else {
                                    r < br
                                }
                            }
                        };
                        if better {
                            best = Some((p, r));
                        }
                    }
                }
            }
            if !dead.is_empty() {
                alive.retain(|p| !dead.contains(p));
            }
            let Some((p, rho)) = best else { break };
            let unit = self.unit(p) as f64;
            let ws = self.w[p].as_deref();
            for (k, &i) in self.sup[p].iter().enumerate() {
                let u = ws.map_or(1.0, |ws| ws[k] as f64) * unit;
                let bi = &mut b[i as usize];
                let pay = rho * u;
                *bi = if *bi > pay { *bi - pay } else { 0.0 };
            }
            selected.push(p);
            alive.retain(|&q| q != p);
            fresh.iter_mut().for_each(|f| *f = false);
        }
        Some(selected)
    }

    /// f64 price of `p`: Ok(None) = unaffordable; None (outer) = too close.
    fn rho_f64(&self, p: usize, b: &[f64]) -> Option<Option<f64>> {
        const TOL: f64 = 1e-9;
        let sup = &self.sup[p];
        let ws = self.w[p].as_deref();
        let cost = self.cost[p] as f64;
        let unit = self.unit(p) as f64;
        if ws.is_none() {
            return self.rho_f64_unit(p, b);
        }
        let mut total = 0.0;
        let mut u_all = 0.0;
        for (k, &i) in sup.iter().enumerate() {
            total += b[i as usize];
            u_all += ws.map_or(1.0, |ws| ws[k] as f64);
        }
        if (total - cost).abs() <= TOL * cost {
            return None;
        }
        if total < cost {
            return Some(None);
        }
        let mut rho = cost / (u_all * unit);
        let mut poor_n = 0usize;
        let mut converged = false;
        for _ in 0..=sup.len() {
            let mut poor_sum = 0.0;
            let mut rich_u = 0.0;
            let mut np = 0usize;
            for (k, &i) in sup.iter().enumerate() {
                let u = ws.map_or(1.0, |ws| ws[k] as f64) * unit;
                let bi = b[i as usize];
                if bi < rho * u {
                    poor_sum += bi;
                    np += 1;
                } else {
                    rich_u += u;
                }
            }
            if rich_u <= 0.0 {
                return None;
            }
            rho = (cost - poor_sum) / rich_u;
            if np == poor_n {
                converged = true;
                break;
            }
            if np < poor_n {
                // Rounding made the poor set shrink: not trustworthy.
                return None;
            }
            poor_n = np;
        }
        if !converged {
            return None;
        }
        Some(Some(rho))
    }

    /// [`Mes::rho_f64`] for projects whose supporters all have weight 1:
    /// works with the per-voter payment cap α = ρ·unit.
    fn rho_f64_unit(&self, p: usize, b: &[f64]) -> Option<Option<f64>> {
        const TOL: f64 = 1e-9;
        let sup = &self.sup[p];
        let cost = self.cost[p] as f64;
        let unit = self.unit(p) as f64;
        let n = sup.len() as f64;
        let mut alpha = cost / n;
        // first pass: total money and the voters poorer than cost/n
        let mut total = 0.0;
        let mut poor_sum = 0.0;
        let mut np = 0usize;
        for &i in sup {
            let bi = b[i as usize];
            total += bi;
            if bi < alpha {
                poor_sum += bi;
                np += 1;
            }
        }
        if (total - cost).abs() <= TOL * cost {
            return None;
        }
        if total < cost {
            return Some(None);
        }
        let mut poor_n = 0usize;
        let mut rounds = 0usize;
        while np != poor_n {
            // In exact arithmetic the poor set only grows; if rounding makes
            // it shrink (or cycle), let exact arithmetic decide.
            if np < poor_n || rounds > sup.len() {
                return None;
            }
            rounds += 1;
            poor_n = np;
            if np >= sup.len() {
                return None;
            }
            alpha = (cost - poor_sum) / (n - np as f64);
            poor_sum = 0.0;
            np = 0;
            for &i in sup {
                let bi = b[i as usize];
                if bi < alpha {
                    poor_sum += bi;
                    np += 1;
                }
            }
        }
        Some(Some(alpha / unit))
    }

    /// Runs in f64 and falls back to exact arithmetic when a decision was
    /// too close to call. `b0 = num/den`.
    pub(crate) fn run_auto(&self, num: u64, den: u64, exact_runs: &mut u64) -> Vec<usize> {
        let den = den.max(1);
        if let Some(s) = self.run_f64(num as f64 / den as f64) {
            return s;
        }
        *exact_runs += 1;
        self.run(&BigRational::new(BigInt::from(num), BigInt::from(den)))
            .selected
    }

    /// Supporters of `p` with a positive budget, grouped by (value id, weight).
    fn groups(&self, p: usize, vid: &[u32], scratch: &mut Vec<u64>, nvalues: usize) -> Groups {
        let sup = &self.sup[p];
        match &self.w[p] {
            None => {
                if scratch.len() < nvalues {
                    scratch.resize(nvalues, 0);
                }
                let mut touched: Vec<u32> = Vec::new();
                for &i in sup {
                    let v = vid[i as usize];
                    if v == 0 {
                        continue;
                    }
                    let c = &mut scratch[v as usize];
                    if *c == 0 {
                        touched.push(v);
                    }
                    *c += 1;
                }
                let mut g = Vec::with_capacity(touched.len());
                for v in touched {
                    g.push((v, 1, scratch[v as usize]));
                    scratch[v as usize] = 0;
                }
                g
            }
            Some(ws) => {
                let mut m: HashMap<(u32, u64), u64> = HashMap::new();
                for (k, &i) in sup.iter().enumerate() {
                    let v = vid[i as usize];
                    if v == 0 {
                        continue;
                    }
                    *m.entry((v, ws[k])).or_insert(0) += 1;
                }
                let mut g: Groups = m.into_iter().map(|((v, w), c)| (v, w, c)).collect();
                g.sort_unstable();
                g
            }
        }
    }

    /// The smallest ρ such that Σ min(bᵢ, ρ·uᵢ) = cost, or None if the
    /// supporters cannot afford the project.
    fn rho(&self, p: usize, groups: &Groups, values: &[BigRational]) -> Option<BigRational> {
        let cost = BigRational::from_integer(BigInt::from(self.cost[p]));
        let mut total = BigRational::zero();
        for &(v, _, c) in groups {
            total += &values[v as usize] * BigRational::from_integer(BigInt::from(c));
        }
        if total < cost {
            return None;
        }
        let unit = BigInt::from(self.unit(p));
        // order by budget per utility weight
        let mut g: Vec<&(u32, u64, u64)> = groups.iter().collect();
        g.sort_by(|a, b| {
            let va = &values[a.0 as usize] * BigRational::from_integer(BigInt::from(b.1));
            let vb = &values[b.0 as usize] * BigRational::from_integer(BigInt::from(a.1));
            va.cmp(&vb)
        });
        let mut remaining = cost;
        let mut u_total = BigInt::zero();
        for &&(_, w, c) in &g {
            u_total += BigInt::from(w) * BigInt::from(c) * &unit;
        }
        for &&(v, w, c) in &g {
            let uu = BigRational::from_integer(BigInt::from(w) * &unit);
            let val = &values[v as usize];
            // poor: val / uu < remaining / u_total
            let lhs = val * BigRational::from_integer(u_total.clone());
            if lhs < &remaining * &uu {
                remaining -= val * BigRational::from_integer(BigInt::from(c));
                u_total -= BigInt::from(w) * BigInt::from(c) * &unit;
            } else {
                break;
            }
        }
        if u_total.is_zero() {
            return None;
        }
        Some(remaining / BigRational::from_integer(u_total))
    }
}

/// One Equal Shares run.
pub(crate) struct MesRun {
    pub selected: Vec<usize>,
    pub values: Vec<BigRational>,
    pub vid: Vec<u32>,
    /// the price per unit of utility paid for each selected project
    pub rhos: Vec<BigRational>,
}

impl MesRun {
    /// Voter `i`'s remaining budget.
    pub fn budget(&self, i: usize) -> &BigRational {
        &self.values[self.vid[i] as usize]
    }
}

fn total_cost(e: &Election, sel: &[usize]) -> u128 {
    sel.iter().map(|&p| e.projects[p].cost as u128).sum()
}

fn equal_shares(
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
