//! The in-memory election: META, projects, voters and their ballots.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// Cost marking a project that was withdrawn after the vote (pabulib
/// convention, in whole currency units).
pub const WITHDRAWN_COST: u64 = 999_999_999;

/// The kind of ballot (META `vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// A single approved project (stored like approval).
    Choose1,
    /// Points distributed over projects (`points` column).
    Cumulative,
    /// Points given to projects (`points` column).
    Scoring,
    /// A ranking, most preferred first.
    Ordinal,
}

impl VoteType {
    /// The pabulib spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::Choose1 => "choose-1",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Ordinal => "ordinal",
        }
    }

    /// Whether ballots of this type carry a `points` column.
    pub fn has_points(self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

impl fmt::Display for VoteType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for VoteType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approval" => Ok(VoteType::Approval),
            "choose-1" | "choose1" => Ok(VoteType::Choose1),
            "cumulative" => Ok(VoteType::Cumulative),
            "scoring" => Ok(VoteType::Scoring),
            "ordinal" => Ok(VoteType::Ordinal),
            other => Err(format!("unknown vote_type {other:?}")),
        }
    }
}

/// A project. `cost` is in the election's smallest money unit (see
/// [`Election::decimals`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub cost: u64,
    /// Values of the extra columns, aligned with [`Election::project_columns`].
    pub extra: Vec<String>,
}

/// A voter and their ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voter {
    pub id: String,
    /// Indices into [`Election::projects`], in ballot order (a ranking for
    /// ordinal ballots). Duplicates are kept as written.
    pub vote: Vec<u32>,
    /// Points per entry of `vote` (cumulative and scoring ballots only).
    pub points: Option<Vec<i64>>,
    /// Values of the extra columns, aligned with [`Election::voter_columns`].
    pub extra: Vec<String>,
}

/// Errors of the in-memory constructor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("duplicate project id {0:?}")]
    DuplicateProject(String),
    #[error("empty project id")]
    EmptyProjectId,
    #[error("project id {0:?} contains a comma, a newline or surrounding spaces")]
    BadProjectId(String),
    #[error("voter {voter:?} names unknown project {project:?}")]
    UnknownProject { voter: String, project: String },
    #[error("voter {0:?}: ballot type does not match the election's vote_type")]
    WrongBallotType(String),
    #[error("unknown column {0:?}")]
    UnknownColumn(String),
    #[error("unknown project index {0}")]
    BadIndex(usize),
}

/// A participatory-budgeting election: what a pabulib `.pb` file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    /// META entries in file order (`budget` and `vote_type` included; the
    /// `budget` value is kept normalized to [`Election::budget`]).
    pub meta: Vec<(String, String)>,
    /// Number of decimal places of money amounts (0 for whole units).
    pub decimals: u32,
    /// The budget in smallest money units.
    pub budget: u64,
    pub vote_type: VoteType,
    /// Extra PROJECTS columns after `project_id;cost`.
    pub project_columns: Vec<String>,
    pub projects: Vec<Project>,
    /// Extra VOTES columns after `voter_id;vote` (and `points`).
    pub voter_columns: Vec<String>,
    pub voters: Vec<Voter>,
}

impl Election {
    /// An empty election with a budget in whole units (`decimals = 0`).
    pub fn new(budget: u64, vote_type: VoteType) -> Election {
        Election {
            meta: vec![
                ("budget".to_string(), budget.to_string()),
                ("vote_type".to_string(), vote_type.as_str().to_string()),
            ],
            decimals: 0,
            budget,
            vote_type,
            project_columns: Vec::new(),
            projects: Vec::new(),
            voter_columns: Vec::new(),
            voters: Vec::new(),
        }
    }

    /// A META value by key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or adds) a META entry. Setting `budget` or `vote_type` through
    /// here is ignored: use the fields.
    pub fn set_meta(&mut self, key: &str, value: &str) {
        if key == "budget" || key == "vote_type" {
            return;
        }
        match self.meta.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.to_string(),
            None => self.meta.push((key.to_string(), value.to_string())),
        }
        self.sync_meta();
    }

    /// Re-writes the `budget` and `vote_type` META values from the fields.
    pub(crate) fn sync_meta(&mut self) {
        let budget = format_money(self.budget, self.decimals);
        let vt = self.vote_type.as_str().to_string();
        for (k, v) in &mut self.meta {
            if k == "budget" {
                *v = budget.clone();
            } else if k == "vote_type" {
                *v = vt.clone();
            }
        }
    }

    /// The META `rule` string, if any.
    pub fn rule_name(&self) -> Option<&str> {
        self.meta("rule")
    }

    /// Adds a project; returns its index.
    pub fn add_project(&mut self, id: &str, cost: u64) -> Result<usize, BuildError> {
        check_id(id)?;
        if self.projects.iter().any(|p| p.id == id) {
            return Err(BuildError::DuplicateProject(id.to_string()));
        }
        self.projects.push(Project {
            id: id.to_string(),
            cost,
            extra: vec![String::new(); self.project_columns.len()],
        });
        Ok(self.projects.len() - 1)
    }

    /// Sets an extra PROJECTS column value (adding the column if new).
    pub fn set_project_field(
        &mut self,
        project: usize,
        column: &str,
        value: &str,
    ) -> Result<(), BuildError> {
        if project >= self.projects.len() {
            return Err(BuildError::BadIndex(project));
        }
        if column == "project_id" || column == "cost" {
            return Err(BuildError::UnknownColumn(column.to_string()));
        }
        let col = match self.project_columns.iter().position(|c| c == column) {
            Some(c) => c,
            None => {
                self.project_columns.push(column.to_string());
                for p in &mut self.projects {
                    p.extra.push(String::new());
                }
                self.project_columns.len() - 1
            }
        };
        self.projects[project].extra[col] = value.to_string();
        Ok(())
    }

    /// A project's extra column value.
    pub fn project_field(&self, project: usize, column: &str) -> Option<&str> {
        let col = self.project_columns.iter().position(|c| c == column)?;
        self.projects
            .get(project)?
            .extra
            .get(col)
            .map(String::as_str)
    }

    /// The index of a project by id.
    pub fn project_index(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    fn lookup(&self) -> HashMap<&str, u32> {
        self.projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i as u32))
            .collect()
    }

    /// The indices of a ballot's project ids, or which one is unknown.
    fn indices<'a>(
        &self,
        voter: &str,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<u32>, BuildError> {
        let map = self.lookup();
        ids.into_iter()
            .map(|p| {
                map.get(p)
                    .copied()
                    .ok_or_else(|| BuildError::UnknownProject {
                        voter: voter.to_string(),
                        project: p.to_string(),
                    })
            })
            .collect()
    }

    /// Adds an approval (or choose-1 / ordinal ranking) ballot by project ids.
    pub fn add_voter(&mut self, id: &str, vote: &[&str]) -> Result<(), BuildError> {
        if self.vote_type.has_points() {
            return Err(BuildError::WrongBallotType(id.to_string()));
        }
        let idx = self.indices(id, vote.iter().copied())?;
        self.voters.push(Voter {
            id: id.to_string(),
            vote: idx,
            points: None,
            extra: vec![String::new(); self.voter_columns.len()],
        });
        Ok(())
    }

    /// Adds a cumulative / scoring ballot: (project id, points).
    pub fn add_voter_points(&mut self, id: &str, vote: &[(&str, i64)]) -> Result<(), BuildError> {
        if !self.vote_type.has_points() {
            return Err(BuildError::WrongBallotType(id.to_string()));
        }
        let idx = self.indices(id, vote.iter().map(|(p, _)| *p))?;
        let pts: Vec<i64> = vote.iter().map(|(_, pt)| *pt).collect();
        self.voters.push(Voter {
            id: id.to_string(),
            vote: idx,
            points: Some(pts),
            extra: vec![String::new(); self.voter_columns.len()],
        });
        Ok(())
    }

    /// Scores computed from the ballots: approval / choose-1 → number of
    /// ballots naming the project (a duplicate id counts twice); cumulative
    /// and scoring → sum of points; ordinal → sum of (ballot length − 0-based
    /// position).
    pub fn ballot_scores(&self) -> Vec<i64> {
        let mut s = vec![0i64; self.projects.len()];
        for v in &self.voters {
            let len = v.vote.len() as i64;
            for (pos, &p) in v.vote.iter().enumerate() {
                let add = match (self.vote_type, &v.points) {
                    (VoteType::Cumulative | VoteType::Scoring, Some(pts)) => {
                        pts.get(pos).copied().unwrap_or(0)
                    }
                    (VoteType::Ordinal, _) => len - pos as i64,
                    _ => 1,
                };
                if let Some(slot) = s.get_mut(p as usize) {
                    *slot = slot.saturating_add(add);
                }
            }
        }
        s
    }

    /// Scores from the PROJECTS columns: `score` where present, else `votes`
    /// (None if neither column exists or a value is not an integer).
    pub fn column_scores(&self) -> Option<Vec<i64>> {
        let col = ["score", "votes"]
            .iter()
            .find_map(|c| self.project_columns.iter().position(|x| x == c))?;
        self.projects
            .iter()
            .map(|p| parse_int_like(p.extra.get(col)?))
            .collect()
    }

    /// Number of ballots naming each project (duplicates count twice).
    pub fn approval_counts(&self) -> Vec<i64> {
        let mut s = vec![0i64; self.projects.len()];
        for v in &self.voters {
            for &p in &v.vote {
                if let Some(slot) = s.get_mut(p as usize) {
                    *slot += 1;
                }
            }
        }
        s
    }

    /// Ids of the projects whose `selected` column equals `value`
    /// (None if there is no `selected` column).
    pub fn selected_in_file(&self, value: &str) -> Option<Vec<String>> {
        let col = self.project_columns.iter().position(|c| c == "selected")?;
        Some(
            self.projects
                .iter()
                .filter(|p| p.extra.get(col).map(|v| v.trim()) == Some(value))
                .map(|p| p.id.clone())
                .collect(),
        )
    }

    /// Whether a project carries the pabulib "withdrawn" cost 999999999.
    pub fn is_withdrawn(&self, project: usize) -> bool {
        let unit = 10u64.checked_pow(self.decimals).unwrap_or(u64::MAX);
        self.projects
            .get(project)
            .is_some_and(|p| Some(p.cost) == WITHDRAWN_COST.checked_mul(unit))
    }

    /// Replaces voter ids by `1..=n` in a random order derived from `seed`
    /// and drops every per-voter extra column (age, sex, …): the form in which
    /// a cycle's ballots are published.
    pub fn anonymize(&mut self, seed: u64) {
        let mut state = seed;
        let n = self.voters.len();
        for i in (1..n).rev() {
            let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
            self.voters.swap(i, j);
        }
        self.voter_columns.clear();
        for (k, v) in self.voters.iter_mut().enumerate() {
            v.id = (k + 1).to_string();
            v.extra.clear();
        }
        self.set_meta("num_votes", &n.to_string());
    }

    /// Makes the election ready for publication as a standard pabulib file:
    /// sets META `num_projects` / `num_votes`, adds a `votes` column (and
    /// `score` for points ballots) counted from the ballots when missing, and
    /// puts the META keys in pabulib's canonical order. pabulib-checker also
    /// requires META `description`, `country`, `unit`, `instance`,
    /// `date_begin`, `date_end` (set them with [`Election::set_meta`]) and a
    /// project `name` column ([`Election::set_project_field`]).
    pub fn prepare_for_publication(&mut self) {
        self.set_meta("num_projects", &self.projects.len().to_string());
        self.set_meta("num_votes", &self.voters.len().to_string());
        let counts = self.approval_counts();
        if !self.project_columns.iter().any(|c| c == "votes") {
            for (i, c) in counts.iter().enumerate() {
                let _ = self.set_project_field(i, "votes", &c.to_string());
            }
        }
        if self.vote_type != VoteType::Approval
            && self.vote_type != VoteType::Choose1
            && !self.project_columns.iter().any(|c| c == "score")
        {
            let scores = self.ballot_scores();
            for (i, c) in scores.iter().enumerate() {
                let _ = self.set_project_field(i, "score", &c.to_string());
            }
        }
        // pabulib-checker's META_FIELDS_ORDER
        const ORDER: [&str; 42] = [
            "description",
            "country",
            "unit",
            "district",
            "subunit",
            "instance",
            "num_projects",
            "num_votes",
            "budget",
            "vote_type",
            "rule",
            "date_begin",
            "date_end",
            "min_length",
            "max_length",
            "min_sum_cost",
            "max_sum_cost",
            "min_points",
            "max_points",
            "min_sum_points",
            "max_sum_points",
            "default_score",
            "min_project_cost",
            "max_project_cost",
            "min_project_score_threshold",
            "neighborhoods",
            "subdistricts",
            "categories",
            "edition",
            "language",
            "currency",
            "fully_funded",
            "experimental",
            "comment",
            "acknowledgments",
            "leftover_budget",
            "budget_per_category",
            "budget_per_neighborhood",
            "min_length_per_category",
            "max_length_per_category",
            "min_sum_cost_per_category",
            "max_sum_cost_per_category",
        ];
        let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
        self.meta.sort_by_key(|(k, _)| rank(k));
        // PROJECTS columns in pabulib-checker's PROJECTS_FIELDS_ORDER
        const PORDER: [&str; 14] = [
            "votes",
            "score",
            "name",
            "category",
            "beneficiaries",
            "selected",
            "neighborhood",
            "subunit",
            "district",
            "description",
            "proposer",
            "public_id",
            "latitude",
            "longitude",
        ];
        let prank = |k: &str| PORDER.iter().position(|o| *o == k).unwrap_or(PORDER.len());
        let mut perm: Vec<usize> = (0..self.project_columns.len()).collect();
        perm.sort_by_key(|&i| prank(&self.project_columns[i]));
        self.project_columns = perm
            .iter()
            .map(|&i| self.project_columns[i].clone())
            .collect();
        for p in &mut self.projects {
            p.extra = perm
                .iter()
                .map(|&i| p.extra.get(i).cloned().unwrap_or_default())
                .collect();
        }
    }

    /// Writes the outcome into the `selected` column (1 = funded, 0 = not)
    /// and the rule into META `rule`.
    pub fn set_outcome(&mut self, outcome: &crate::Outcome) {
        self.set_meta("rule", &outcome.rule);
        let chosen: std::collections::HashSet<&str> =
            outcome.selected.iter().map(String::as_str).collect();
        for i in 0..self.projects.len() {
            let v = if chosen.contains(self.projects[i].id.as_str()) {
                "1"
            } else {
                "0"
            };
            // index is in range and the column name is valid: cannot fail
            let _ = self.set_project_field(i, "selected", v);
        }
    }
}

fn check_id(id: &str) -> Result<(), BuildError> {
    if id.is_empty() {
        return Err(BuildError::EmptyProjectId);
    }
    if id.contains([',', '\n', '\r']) || id.trim() != id {
        return Err(BuildError::BadProjectId(id.to_string()));
    }
    Ok(())
}

pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Parses an integer written possibly as `12.0`.
pub(crate) fn parse_int_like(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let (int, frac) = s.split_once('.')?;
    if !frac.is_empty() && frac.bytes().all(|b| b == b'0') {
        int.parse::<i64>().ok()
    } else {
        None
    }
}

/// Formats an amount of smallest units with `decimals` decimal places.
pub fn format_money(v: u64, decimals: u32) -> String {
    if decimals == 0 {
        return v.to_string();
    }
    let s = format!("{:0>width$}", v, width = decimals as usize + 1);
    let (int, frac) = s.split_at(s.len() - decimals as usize);
    format!("{int}.{frac}")
}
