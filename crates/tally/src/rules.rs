//! Counting rules and their names.

use std::fmt;
use std::str::FromStr;

/// How a voter values a project in the Method of Equal Shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Utility {
    /// A supporter's utility is the project's cost (times points for
    /// cumulative / scoring ballots): "money spent on what I voted for".
    Cost,
    /// A supporter's utility is 1 (or their points): "number of my projects".
    Approval,
}

/// What happens after Equal Shares when budget is left over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Completion {
    /// Plain Equal Shares.
    None,
    /// Fill the leftover greedily by score (utilitarian greedy, skipping
    /// projects that do not fit).
    Greedy,
    /// Raise every voter's budget to floor(B/n)+1, +2, … while the outcome
    /// still costs at most B; keep the last outcome that fit.
    Add1,
    /// [`Completion::Add1`], then compare with greedy-by-approvals and switch
    /// to greedy only if strictly more voters prefer it.
    Add1Comparison,
}

/// A counting rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `greedy`: by score descending (ties in file order), add every project
    /// that still fits.
    Greedy,
    /// `greedy-no-skip`: stop at the first project that does not fit
    /// (the score threshold applies if given; withdrawn projects, cost
    /// 999999999, are passed over).
    GreedyNoSkip,
    /// `greedy-threshold`: only projects with score ≥
    /// `min_project_score_threshold`, then greedy.
    GreedyThreshold,
    /// `greedy-custom` (Poznań): greedy-no-skip; the project where it stops
    /// is funded from external reserve funds if the leftover is ≥ 80% of its
    /// cost (reported in [`crate::Outcome::reserve`], not in `selected`).
    GreedyCustom,
    /// `greedy-exclusive`: greedy where some projects exclude each other.
    /// pabulib files do not list the exclusions, so this runs plain greedy.
    GreedyExclusive,
    /// `equalshares…`: the Method of Equal Shares.
    EqualShares {
        utility: Utility,
        completion: Completion,
    },
}

/// A rule string that is not supported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported rule {0:?} (known: greedy, greedy-no-skip, greedy-threshold, greedy-custom, greedy-exclusive, equalshares[-approval][/add1|/add1-comparison|/greedy])")]
pub struct UnknownRule(pub String);

impl FromStr for Rule {
    type Err = UnknownRule;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let r = match t.as_str() {
            "greedy" => Rule::Greedy,
            "greedy-no-skip" => Rule::GreedyNoSkip,
            "greedy-threshold" => Rule::GreedyThreshold,
            "greedy-custom" => Rule::GreedyCustom,
            "greedy-exclusive" => Rule::GreedyExclusive,
            _ => {
                let (base, completion) = match t.split_once('/') {
                    Some((b, c)) => (b, Some(c)),
                    None => (t.as_str(), None),
                };
                let utility = match base {
                    "equalshares" | "equalshares-cost" | "mes" => Utility::Cost,
                    "equalshares-approval" => Utility::Approval,
                    _ => return Err(UnknownRule(s.to_string())),
                };
                let completion = match completion {
                    None => Completion::None,
                    Some("add1") => Completion::Add1,
                    Some("add1-comparison") => Completion::Add1Comparison,
                    Some("greedy") | Some("utilitarian") => Completion::Greedy,
                    Some(_) => return Err(UnknownRule(s.to_string())),
                };
                Rule::EqualShares {
                    utility,
                    completion,
                }
            }
        };
        Ok(r)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Greedy => f.write_str("greedy"),
            Rule::GreedyNoSkip => f.write_str("greedy-no-skip"),
            Rule::GreedyThreshold => f.write_str("greedy-threshold"),
            Rule::GreedyCustom => f.write_str("greedy-custom"),
            Rule::GreedyExclusive => f.write_str("greedy-exclusive"),
            Rule::EqualShares {
                utility,
                completion,
            } => {
                f.write_str(match utility {
                    Utility::Cost => "equalshares",
                    Utility::Approval => "equalshares-approval",
                })?;
                f.write_str(match completion {
                    Completion::None => "",
                    Completion::Greedy => "/greedy",
                    Completion::Add1 => "/add1",
                    Completion::Add1Comparison => "/add1-comparison",
                })
            }
        }
    }
}

impl Rule {
    /// Every rule, for menus.
    pub const ALL: [Rule; 13] = [
        Rule::Greedy,
        Rule::GreedyNoSkip,
        Rule::GreedyThreshold,
        Rule::GreedyCustom,
        Rule::GreedyExclusive,
        Rule::EqualShares {
            utility: Utility::Cost,
            completion: Completion::None,
        },
        Rule::EqualShares {
            utility: Utility::Cost,
            completion: Completion::Greedy,
        },
        Rule::EqualShares {
            utility: Utility::Cost,
            completion: Completion::Add1,
        },
        Rule::EqualShares {
            utility: Utility::Cost,
            completion: Completion::Add1Comparison,
        },
        Rule::EqualShares {
            utility: Utility::Approval,
            completion: Completion::None,
        },
        Rule::EqualShares {
            utility: Utility::Approval,
            completion: Completion::Greedy,
        },
        Rule::EqualShares {
            utility: Utility::Approval,
            completion: Completion::Add1,
        },
        Rule::EqualShares {
            utility: Utility::Approval,
            completion: Completion::Add1Comparison,
        },
    ];

    /// The rule explained in plain words (English), for citizens.
    pub fn describe(&self) -> String {
        match self {
            Rule::Greedy => "Projects are ranked by their number of votes. Going down the list, every project that still fits in the remaining budget is funded; a project that is too expensive is skipped and the next one is tried.".into(),
            Rule::GreedyNoSkip => "Projects are ranked by their number of votes. Going down the list, projects are funded until the first one that does not fit in the remaining budget; counting stops there.".into(),
            Rule::GreedyThreshold => "Only projects that reach the minimum number of votes can win. They are ranked by votes and, going down the list, every project that still fits in the remaining budget is funded.".into(),
            Rule::GreedyCustom => "Projects are ranked by votes and funded until the first one that does not fit; that project is also funded from reserve funds if at least 80% of its cost is left.".into(),
            Rule::GreedyExclusive => "Projects are ranked by votes and every project that fits is funded, except projects that cannot be built together with one already chosen.".into(),
            Rule::EqualShares { utility, completion } => {
                let mut s = String::from("Method of Equal Shares: the budget is split equally among all voters. A project is funded when its supporters can pay for it together from their shares; the project that costs each supporter the least ");
                s.push_str(match utility {
                    Utility::Cost => "per unit of money it brings them",
                    Utility::Approval => "per supporter",
                });
                s.push_str(" goes first. This gives every group of voters a fair share of the budget.");
                s.push_str(match completion {
                    Completion::None => "",
                    Completion::Greedy => " Money left over is then spent on the most-voted projects that still fit.",
                    Completion::Add1 => " To use the whole budget, every voter's share is then raised step by step as long as the result still fits in the budget.",
                    Completion::Add1Comparison => " To use the whole budget, every voter's share is then raised step by step as long as the result still fits in the budget. Finally the result is compared with a simple ranking by votes, which is used instead only if more voters prefer it.",
                });
                s
            }
        }
    }
}
