//! The Method of Equal Shares engine: one run at a given per-voter budget,
//! in exact rational arithmetic (with an f64 fast path).
//!
//! Voters whose budgets are equal share a "value id"; a project's supporters
//! are aggregated by (value id, weight) with integer counting, so rational
//! arithmetic is done once per distinct budget value, not once per voter.

use std::cmp::Ordering;
use std::collections::HashMap;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::model::Election;
use crate::rules::Utility;

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
    pub(super) cands: Vec<usize>,
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
