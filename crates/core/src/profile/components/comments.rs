//! Comments. The user's own undelivered comments are shown from the
//! outbox (see [`crate::profile::views`]), so queueing has no other local
//! effect.

use dauys_proto::{CommentAddPayload, Op, OpKind};
use serde_json::Value;

use super::{short, to_value, typed, Described, LocalComponent};
use crate::error::Result;
use crate::model::{CommentInput, DraftContent};

pub(crate) struct Comments;

pub(super) fn payload(input: &CommentInput) -> Result<(OpKind, Value)> {
    to_value(
        OpKind::CommentAdd,
        &CommentAddPayload {
            proposal_id: input.proposal_id.clone(),
            body: input.body.clone(),
        },
    )
}

impl LocalComponent for Comments {
    fn handles(&self, kind: OpKind) -> bool {
        kind == OpKind::CommentAdd
    }

    fn to_draft(&self, op: &Op) -> Option<DraftContent> {
        let p: CommentAddPayload = typed(op)?;
        Some(DraftContent::Comment(CommentInput {
            proposal_id: p.proposal_id,
            body: p.body,
        }))
    }

    fn describe(&self, op: &Op) -> Described {
        match typed::<CommentAddPayload>(op) {
            Some(p) => Described {
                summary: short(p.body),
                target: Some(p.proposal_id),
            },
            None => Described::default(),
        }
    }
}
