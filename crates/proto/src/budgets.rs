//! The budgets component (participatory budgeting): cycles, proposals,
//! ballots, results and implementation — its wire types and its rules.
//!
//! The ballot rule lives here once: the UI (budget meter), the app shell,
//! the client core (hence `dauys vote`) and the server all call
//! [`check_ballot`], so they refuse the same ballots with the same code.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::entities::{Cycle, Phase, Proposal, ProposalStatus};
use crate::geo::GeoPoint;
use crate::ops::{ErrorCode, OpKind};
use crate::rules::RuleError;
use crate::wire::wire_enum;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalSubmitPayload {
    pub cycle_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Estimated cost in tenge.
    pub cost: i64,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    #[serde(default)]
    pub media: Vec<String>,
}

/// The author's revision of a proposal a moderator sent back for changes
/// (`needs_changes`): new title, text, category and cost; it goes back to
/// moderation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalRevisePayload {
    pub proposal_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Estimated cost in tenge.
    pub cost: i64,
}

/// The author takes back a proposal that no moderator has passed yet
/// (submitted, being checked or sent back for changes). It is never
/// published; the history keeps the step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalWithdrawPayload {
    pub proposal_id: String,
}

/// Whether the author may still revise or withdraw a proposal in this
/// status: only before a moderator has passed it.
pub fn in_moderation(s: ProposalStatus) -> bool {
    matches!(
        s,
        ProposalStatus::Submitted | ProposalStatus::InModeration | ProposalStatus::NeedsChanges
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BallotCastPayload {
    pub cycle_id: String,
    /// Approved proposals; order is irrelevant, duplicates are rejected.
    pub proposal_ids: Vec<String>,
}

wire_enum! {
    pub enum ModerationDecision {
        Accept,
        NeedsChanges,
        Reject,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalModeratePayload {
    pub proposal_id: String,
    pub decision: ModerationDecision,
    /// Public reason; required unless accepting.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalReviewPayload {
    pub proposal_id: String,
    /// Feasible and put on the ballot?
    pub feasible: bool,
    pub cost_estimate: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalProgressPayload {
    pub proposal_id: String,
    /// 0–100.
    pub progress: i64,
    #[serde(default)]
    pub note: String,
    /// Photos of the works (complete uploads of the official), added to
    /// the project's photos.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CycleCreatePayload {
    pub locality: String,
    pub title: crate::entities::Localized,
    pub budget: i64,
    /// At most this many projects per ballot (none: only the budget limits).
    #[serde(default)]
    pub max_projects: Option<i64>,
    /// Whether a ballot's total cost must fit the budget.
    #[serde(default = "yes")]
    pub budget_limited_ballot: bool,
    /// Counting rule: `greedy`, `greedy-threshold`, `equalshares/add1`, …
    #[serde(default = "default_rule")]
    pub rule: String,
    /// `greedy-threshold` only, and required there: the fewest votes a
    /// project needs to be funded (pabulib's `min_project_score_threshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_votes: Option<i64>,
    #[serde(default = "default_min_age")]
    pub min_age: i64,
    /// Phase schedule: phase name → `YYYY-MM-DD` start date.
    #[serde(default)]
    pub schedule: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CyclePhasePayload {
    pub cycle_id: String,
    pub phase: crate::entities::Phase,
}

fn yes() -> bool {
    true
}
fn default_rule() -> String {
    "greedy".into()
}
fn default_min_age() -> i64 {
    16
}

/// Every op of the budgets component, parsed once at the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetOp {
    ProposalSubmit(ProposalSubmitPayload),
    ProposalRevise(ProposalRevisePayload),
    ProposalWithdraw(ProposalWithdrawPayload),
    ProposalModerate(ProposalModeratePayload),
    ProposalReview(ProposalReviewPayload),
    ProposalProgress(ProposalProgressPayload),
    BallotCast(BallotCastPayload),
    CycleCreate(CycleCreatePayload),
    CyclePhase(CyclePhasePayload),
}

impl BudgetOp {
    pub fn kind(&self) -> OpKind {
        match self {
            BudgetOp::ProposalSubmit(_) => OpKind::ProposalSubmit,
            BudgetOp::ProposalRevise(_) => OpKind::ProposalRevise,
            BudgetOp::ProposalWithdraw(_) => OpKind::ProposalWithdraw,
            BudgetOp::ProposalModerate(_) => OpKind::ProposalModerate,
            BudgetOp::ProposalReview(_) => OpKind::ProposalReview,
            BudgetOp::ProposalProgress(_) => OpKind::ProposalProgress,
            BudgetOp::BallotCast(_) => OpKind::BallotCast,
            BudgetOp::CycleCreate(_) => OpKind::CycleCreate,
            BudgetOp::CyclePhase(_) => OpKind::CyclePhase,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            BudgetOp::ProposalSubmit(p) => serde_json::to_value(p),
            BudgetOp::ProposalRevise(p) => serde_json::to_value(p),
            BudgetOp::ProposalWithdraw(p) => serde_json::to_value(p),
            BudgetOp::ProposalModerate(p) => serde_json::to_value(p),
            BudgetOp::ProposalReview(p) => serde_json::to_value(p),
            BudgetOp::ProposalProgress(p) => serde_json::to_value(p),
            BudgetOp::BallotCast(p) => serde_json::to_value(p),
            BudgetOp::CycleCreate(p) => serde_json::to_value(p),
            BudgetOp::CyclePhase(p) => serde_json::to_value(p),
        }
    }
}

impl Proposal {
    /// What the project costs on the ballot: the expert's estimate once
    /// reviewed, the author's figure before.
    pub fn effective_cost(&self) -> i64 {
        effective_cost(self)
    }
}

/// See [`Proposal::effective_cost`].
/// The message id explaining, in plain words, how a cycle's counting rule
/// picks winners (`counting-rule-*` in `locales/`).
pub fn counting_rule_key(rule: &str) -> &'static str {
    match rule {
        "greedy-threshold" => "counting-rule-greedy-threshold",
        r if r.starts_with("equalshares") => "counting-rule-equal-shares",
        _ => "counting-rule-greedy",
    }
}

pub fn effective_cost(p: &Proposal) -> i64 {
    p.expert_cost.unwrap_or(p.cost)
}

/// The total cost of `chosen` projects, `None` when the sum overflows
/// (treated as over any budget). Unknown ids count nothing.
pub fn ballot_cost(proposals: &[Proposal], chosen: &[String]) -> Option<i64> {
    chosen.iter().try_fold(0i64, |sum, id| {
        match proposals.iter().find(|p| &p.id == id) {
            Some(p) => sum.checked_add(effective_cost(p)),
            None => Some(sum),
        }
    })
}

/// An amount of tenge (a budget, a cost, an estimate) is positive and at
/// most [`crate::limits::MAX_TENGE`].
pub fn check_amount(field: &'static str, tenge: i64) -> Result<i64, RuleError> {
    if tenge <= 0 {
        return Err(RuleError::field(
            ErrorCode::InvalidField,
            field,
            format!("{field} must be a positive number of tenge"),
        ));
    }
    if tenge > crate::limits::MAX_TENGE {
        return Err(RuleError::field(
            ErrorCode::InvalidField,
            field,
            format!("{field} is more than {} ₸", crate::limits::MAX_TENGE),
        ));
    }
    Ok(tenge)
}

/// Checks a ballot against its cycle's rules and returns its total cost.
///
/// In this order (the server's since the beginning, so codes stay stable):
/// voting open; at least one project; no project twice; at most
/// `max_projects`; every project on this cycle's ballot; the total within
/// the budget when the cycle limits ballots by budget. Eligibility by
/// locality and age needs the census and stays with the server.
/// `proposals` may hold the whole cycle; only chosen ones are summed.
pub fn check_ballot(
    cycle: &Cycle,
    proposals: &[Proposal],
    chosen: &[String],
) -> Result<i64, RuleError> {
    if cycle.phase != Phase::Voting {
        return Err(RuleError::new(
            ErrorCode::VotingClosed,
            format!(
                "voting is not open in this cycle (phase {})",
                cycle.phase.as_str()
            ),
        ));
    }
    if chosen.is_empty() {
        return Err(RuleError::field(
            ErrorCode::InvalidField,
            "proposal_ids",
            "choose at least one project",
        ));
    }
    let mut seen = HashSet::new();
    if !chosen.iter().all(|id| seen.insert(id.as_str())) {
        return Err(RuleError::field(
            ErrorCode::DuplicateProject,
            "proposal_ids",
            "a project is chosen twice",
        ));
    }
    if let Some(max) = cycle.max_projects {
        if i64::try_from(chosen.len()).unwrap_or(i64::MAX) > max {
            return Err(RuleError::field(
                ErrorCode::TooManyProjects,
                "proposal_ids",
                format!("at most {max} projects per ballot"),
            ));
        }
    }
    let on_ballot = |id: &String| {
        proposals
            .iter()
            .any(|p| &p.id == id && p.cycle_id == cycle.id && p.status == ProposalStatus::OnBallot)
    };
    if !chosen.iter().all(on_ballot) {
        return Err(RuleError::field(
            ErrorCode::NotOnBallot,
            "proposal_ids",
            "a chosen project is not on this ballot",
        ));
    }
    let total = ballot_cost(proposals, chosen);
    match total {
        Some(t) if !cycle.budget_limited_ballot || t <= cycle.budget => Ok(t),
        _ => Err(RuleError::field(
            ErrorCode::OverBudget,
            "proposal_ids",
            match total {
                Some(t) => format!(
                    "chosen projects cost {t} ₸, the budget is {} ₸",
                    cycle.budget
                ),
                None => format!(
                    "chosen projects cost more than the budget of {} ₸",
                    cycle.budget
                ),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn cycle(phase: Phase) -> Cycle {
        Cycle {
            id: "c1".into(),
            locality: "L".into(),
            title: Default::default(),
            budget: 1_000,
            max_projects: Some(2),
            budget_limited_ballot: true,
            rule: "greedy".into(),
            min_votes: None,
            min_age: 16,
            phase,
            schedule: BTreeMap::new(),
            results: None,
        }
    }

    fn proposal(id: &str, cost: i64, expert: Option<i64>, status: ProposalStatus) -> Proposal {
        Proposal {
            id: id.into(),
            cycle_id: "c1".into(),
            locality: "L".into(),
            title: id.into(),
            description: String::new(),
            category: String::new(),
            cost,
            location: None,
            media: vec![],
            status,
            expert_cost: expert,
            expert_note: None,
            votes: None,
            progress: None,
            history: vec![],
            mine: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn code(r: Result<i64, RuleError>) -> Option<ErrorCode> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn ballot_rules_in_order() {
        let ps = vec![
            proposal("a", 900, Some(400), ProposalStatus::OnBallot),
            proposal("b", 500, None, ProposalStatus::OnBallot),
            proposal("c", 700, None, ProposalStatus::OnBallot),
            proposal("d", 1, None, ProposalStatus::Rejected),
        ];
        let v = cycle(Phase::Voting);
        assert_eq!(check_ballot(&v, &ps, &ids(&["a", "b"])), Ok(900));
        assert_eq!(
            code(check_ballot(&cycle(Phase::Tallying), &ps, &ids(&["a"]))),
            Some(ErrorCode::VotingClosed)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &[])),
            Some(ErrorCode::InvalidField)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["a", "a"]))),
            Some(ErrorCode::DuplicateProject)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["a", "b", "c"]))),
            Some(ErrorCode::TooManyProjects)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["d"]))),
            Some(ErrorCode::NotOnBallot)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["zz"]))),
            Some(ErrorCode::NotOnBallot)
        );
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["b", "c"]))),
            Some(ErrorCode::OverBudget)
        );
        let mut free = cycle(Phase::Voting);
        free.budget_limited_ballot = false;
        assert_eq!(check_ballot(&free, &ps, &ids(&["b", "c"])), Ok(1_200));
    }

    #[test]
    fn overflowing_sum_is_over_budget() {
        let ps = vec![
            proposal("a", i64::MAX, None, ProposalStatus::OnBallot),
            proposal("b", i64::MAX, None, ProposalStatus::OnBallot),
        ];
        let mut v = cycle(Phase::Voting);
        v.budget = i64::MAX;
        assert_eq!(
            code(check_ballot(&v, &ps, &ids(&["a", "b"]))),
            Some(ErrorCode::OverBudget)
        );
        assert_eq!(ballot_cost(&ps, &ids(&["a", "b"])), None);
    }

    #[test]
    fn effective_cost_prefers_the_expert() {
        assert_eq!(
            proposal("a", 900, Some(400), ProposalStatus::OnBallot).effective_cost(),
            400
        );
        assert_eq!(
            proposal("a", 900, None, ProposalStatus::OnBallot).effective_cost(),
            900
        );
    }
}
