//! Comments, on any commentable item (a `{kind, id}` target). The user's
//! own undelivered comments are shown from the outbox (see
//! [`crate::profile::views`]), so queueing has no other local effect.

use dauys_proto::{CommentAddPayload, CommentOp, CommentTarget, Op, OpBody, OpKind};

use super::{kinds, short, typed, Described, LocalComponent};
use crate::model::{CommentInput, DraftContent};

pub(crate) struct Comments;

/// Sent in the current `target` form.
pub(super) fn body(input: &CommentInput) -> OpBody {
    OpBody::Comment(CommentOp::Add(CommentAddPayload::new(
        CommentTarget::proposal(&input.proposal_id),
        &input.body,
    )))
}

/// The comment of a `comment.add` op, with its target in either wire form.
pub(crate) fn added(op: &Op) -> Option<(CommentTarget, CommentAddPayload)> {
    match typed(op)? {
        OpBody::Comment(CommentOp::Add(p)) => Some((p.target()?, p)),
        _ => None,
    }
}

impl LocalComponent for Comments {
    fn name(&self) -> &'static str {
        "comments"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        kinds(&[OpKind::CommentAdd, OpKind::CommentReport])
    }

    fn to_draft(&self, op: &Op) -> Option<DraftContent> {
        let (target, p) = added(op)?;
        // Comment drafts are about proposals (the only commentable kind
        // the app offers today).
        Some(DraftContent::Comment(CommentInput {
            proposal_id: target.proposal_id()?,
            body: p.body,
        }))
    }

    fn describe(&self, op: &Op) -> Described {
        match added(op) {
            Some((target, p)) => Described {
                summary: short(p.body),
                target: Some(target.id),
            },
            None => match typed(op) {
                Some(OpBody::Comment(CommentOp::Report(r))) => Described {
                    summary: short(r.reason),
                    target: Some(r.comment_id),
                },
                _ => Described::default(),
            },
        }
    }
}
