//! Participatory budgeting: proposals and ballots. Neither has a local
//! effect beyond its outbox op: the user's ballot view is read from the
//! outbox itself (see [`crate::profile::views`]).

use dauys_proto::{BallotCastPayload, BudgetOp, Op, OpBody, OpKind, ProposalSubmitPayload};

use super::{kinds, short, typed, Described, LocalComponent};
use crate::error::{CoreError, Result};
use crate::model::{BallotInput, DraftContent, ProposalInput};

pub(crate) struct Budgets;

pub(super) fn proposal_body(input: &ProposalInput, media: Vec<String>) -> OpBody {
    OpBody::Budget(BudgetOp::ProposalSubmit(ProposalSubmitPayload {
        media,
        ..input.proposal.clone()
    }))
}

pub(super) fn ballot_body(input: &BallotInput) -> Result<OpBody> {
    if input.proposal_ids.is_empty() {
        // The server's code for it (the shared rule's first content check).
        return Err(CoreError::Rejected {
            code: dauys_proto::ErrorCode::InvalidField,
            field: Some("proposal_ids".into()),
            detail: "choose at least one project".into(),
        });
    }
    Ok(OpBody::Budget(BudgetOp::BallotCast(BallotCastPayload {
        cycle_id: input.cycle_id.clone(),
        proposal_ids: input.proposal_ids.clone(),
    })))
}

/// The proposal of a `proposal.submit` op.
pub(crate) fn submitted(op: &Op) -> Option<ProposalSubmitPayload> {
    match typed(op)? {
        OpBody::Budget(BudgetOp::ProposalSubmit(p)) => Some(p),
        _ => None,
    }
}

/// The revision of a `proposal.revise` op.
pub(crate) fn revised(op: &Op) -> Option<dauys_proto::ProposalRevisePayload> {
    match typed(op)? {
        OpBody::Budget(BudgetOp::ProposalRevise(p)) => Some(p),
        _ => None,
    }
}

/// The proposal a `proposal.withdraw` op takes back.
pub(crate) fn withdrawn(op: &Op) -> Option<String> {
    match typed(op)? {
        OpBody::Budget(BudgetOp::ProposalWithdraw(p)) => Some(p.proposal_id),
        _ => None,
    }
}

/// The cast ballot of a `ballot.cast` op.
pub(crate) fn cast(op: &Op) -> Option<BallotCastPayload> {
    match typed(op)? {
        OpBody::Budget(BudgetOp::BallotCast(p)) => Some(p),
        _ => None,
    }
}

impl LocalComponent for Budgets {
    fn name(&self) -> &'static str {
        "budgets"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        kinds(&[
            OpKind::ProposalSubmit,
            OpKind::ProposalRevise,
            OpKind::ProposalWithdraw,
            OpKind::BallotCast,
        ])
    }

    fn to_draft(&self, op: &Op) -> Option<DraftContent> {
        match typed(op)? {
            OpBody::Budget(BudgetOp::ProposalSubmit(p)) => {
                Some(DraftContent::Proposal(ProposalInput {
                    proposal: p,
                    photos: Vec::new(),
                }))
            }
            OpBody::Budget(BudgetOp::BallotCast(p)) => Some(DraftContent::Ballot(BallotInput {
                cycle_id: p.cycle_id,
                proposal_ids: p.proposal_ids,
            })),
            _ => None,
        }
    }

    fn describe(&self, op: &Op) -> Described {
        match typed(op) {
            Some(OpBody::Budget(BudgetOp::ProposalSubmit(p))) => Described {
                summary: short(p.title),
                target: Some(p.cycle_id),
            },
            Some(OpBody::Budget(BudgetOp::ProposalRevise(p))) => Described {
                summary: short(p.title),
                target: Some(p.proposal_id),
            },
            Some(OpBody::Budget(BudgetOp::ProposalWithdraw(p))) => Described {
                summary: String::new(),
                target: Some(p.proposal_id),
            },
            Some(OpBody::Budget(BudgetOp::BallotCast(p))) => Described {
                summary: format!("{}: {}", p.cycle_id, p.proposal_ids.join(", ")),
                target: Some(p.cycle_id),
            },
            _ => Described::default(),
        }
    }

    fn media(&self, op: &Op) -> Vec<String> {
        match typed(op) {
            Some(OpBody::Budget(BudgetOp::ProposalSubmit(p))) => p.media,
            _ => Vec::new(),
        }
    }
}
