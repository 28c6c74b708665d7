//! Participatory budgeting: proposals and ballots. Neither has a local
//! effect beyond its outbox op: the user's ballot view is read from the
//! outbox itself (see [`crate::profile::views`]).

use dauys_proto::{BallotCastPayload, Op, OpKind, ProposalSubmitPayload};
use serde_json::Value;

use super::{short, to_value, typed, Described, LocalComponent};
use crate::error::{CoreError, Result};
use crate::model::{BallotInput, DraftContent, ProposalInput};

pub(crate) struct Budgets;

pub(super) fn proposal_payload(
    input: &ProposalInput,
    media: Vec<String>,
) -> Result<(OpKind, Value)> {
    to_value(
        OpKind::ProposalSubmit,
        &ProposalSubmitPayload {
            cycle_id: input.cycle_id.clone(),
            title: input.title.clone(),
            description: input.description.clone(),
            category: input.category.clone(),
            cost: input.cost,
            location: input.location,
            media,
        },
    )
}

pub(super) fn ballot_payload(input: &BallotInput) -> Result<(OpKind, Value)> {
    if input.proposal_ids.is_empty() {
        return Err(CoreError::Invalid("choose at least one project".into()));
    }
    to_value(
        OpKind::BallotCast,
        &BallotCastPayload {
            cycle_id: input.cycle_id.clone(),
            proposal_ids: input.proposal_ids.clone(),
        },
    )
}

impl LocalComponent for Budgets {
    fn handles(&self, kind: OpKind) -> bool {
        matches!(kind, OpKind::ProposalSubmit | OpKind::BallotCast)
    }

    fn to_draft(&self, op: &Op) -> Option<DraftContent> {
        match OpKind::parse(&op.kind)? {
            OpKind::ProposalSubmit => {
                let p: ProposalSubmitPayload = typed(op)?;
                Some(DraftContent::Proposal(ProposalInput {
                    cycle_id: p.cycle_id,
                    title: p.title,
                    description: p.description,
                    category: p.category,
                    cost: p.cost,
                    location: p.location,
                    photos: Vec::new(),
                    media: p.media,
                }))
            }
            OpKind::BallotCast => {
                let p: BallotCastPayload = typed(op)?;
                Some(DraftContent::Ballot(BallotInput {
                    cycle_id: p.cycle_id,
                    proposal_ids: p.proposal_ids,
                }))
            }
            _ => None,
        }
    }

    fn describe(&self, op: &Op) -> Described {
        match OpKind::parse(&op.kind) {
            Some(OpKind::ProposalSubmit) => match typed::<ProposalSubmitPayload>(op) {
                Some(p) => Described {
                    summary: short(p.title),
                    target: Some(p.cycle_id),
                },
                None => Described::default(),
            },
            Some(OpKind::BallotCast) => match typed::<BallotCastPayload>(op) {
                Some(p) => Described {
                    summary: format!("{}: {}", p.cycle_id, p.proposal_ids.join(", ")),
                    target: Some(p.cycle_id),
                },
                None => Described::default(),
            },
            _ => Described::default(),
        }
    }

    fn media(&self, op: &Op) -> Vec<String> {
        typed::<ProposalSubmitPayload>(op)
            .map(|p| p.media)
            .unwrap_or_default()
    }
}
