//! User actions: each writes its op to the outbox, its photos to the
//! upload queue and its component's local effect in one transaction, so
//! an action is either fully queued or not at all.

use std::path::{Path, PathBuf};

use dauys_proto::{
    CommentOp, CommentReportPayload, MediaAttachPayload, MediaOp, Op, OpBody, Phase,
};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::components::{self, LocalCx};
use super::mirror::Mirror;
use super::session;
use super::uploads::{Prepared, Uploads};
use super::{remove_files, Profile};
use crate::db::now_ms;
use crate::error::{CoreError, Result};
use crate::model::*;

/// A new unsigned op carrying `body`, with a fresh id and the time now.
fn fresh(body: &OpBody) -> Op {
    Op::new(Uuid::now_v7(), body, now_ms())
}

impl Profile {
    /// Prepares photo files (downscaled, EXIF stripped) and seals them in
    /// the profile's media directory.
    fn prepare_photos(&self, photos: &[PathBuf]) -> Result<Vec<Prepared>> {
        let mut out = Vec::new();
        for p in photos {
            let jpeg = Zeroizing::new(crate::media::prepare_photo(p)?);
            let id = Uuid::now_v7().to_string();
            let file = self.media.file(&id);
            crate::crypto::write_private(&file, &self.cipher.seal(&jpeg))?;
            out.push(Prepared {
                id,
                file,
                len: jpeg.len() as u64,
            });
        }
        Ok(out)
    }

    /// Queues one op in one transaction: the photos `new_media` and (when
    /// `take_draft_photos`) the draft's sealed photos join the upload
    /// queue, `build` turns all their upload ids into the (unsigned) op,
    /// the op is signed and queued, its component's local effect
    /// is written, and the draft (if any) is deleted.
    fn queue(
        &self,
        new_media: Vec<Prepared>,
        draft: Option<&str>,
        take_draft_photos: bool,
        build: impl FnOnce(Vec<String>) -> Result<Op>,
    ) -> Result<Uuid> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let drafts = self.drafts_store(&tx);
        let draft_media = match draft {
            Some(d) if take_draft_photos => drafts.take_photos(&self.media, d)?,
            _ => Vec::new(),
        };
        let uploads = Uploads::new(&tx);
        uploads.insert(&new_media)?;
        uploads.insert(&draft_media)?;
        let ids = new_media.iter().chain(&draft_media).map(|m| m.id.clone());
        let mut op = build(ids.collect())?;
        let comp = self
            .components
            .of(&op.kind)
            .ok_or_else(|| CoreError::UnknownOpKind(op.kind.clone()))?;
        let signed = comp.requires_signature(&op.kind);
        let me = session::stored_me(&tx, &self.cipher)?;
        session::sign(&self.signing, &mut op, signed, me.as_ref());
        self.outbox_store(&tx).insert(&op)?;
        uploads.link(&op.id.to_string(), &comp.media(&op))?;
        comp.apply_local(&LocalCx::new(&tx, &self.cipher), &op)?;
        // Photos a draft of a kind without photos still had are deleted.
        let leftovers = match draft {
            Some(d) => drafts.delete(&self.media, d)?,
            None => Vec::new(),
        };
        tx.commit()?;
        drop(c);
        remove_files(&leftovers);
        Ok(op.id)
    }

    /// Checks a ballot with the shared rule
    /// ([`dauys_proto::budgets::check_ballot`]: voting open, at least one
    /// project, no duplicates, at most `max_projects`, all on this cycle's
    /// ballot, total within the budget) against the mirrored cycle and its
    /// proposals — the server runs the same function. Returns the ballot's
    /// total cost, or `None` when the cycle is not mirrored (nothing to
    /// check against). A refusal is [`crate::CoreError::Rejected`] with the code
    /// the server would give.
    pub fn check_ballot(&self, input: &BallotInput) -> Result<Option<i64>> {
        let c = self.conn();
        let m = Mirror::new(&c);
        let Some(cycle) = m.cycle(&input.cycle_id)? else {
            return Ok(None);
        };
        let proposals = m.cycle_proposals(&input.cycle_id)?;
        Ok(Some(dauys_proto::budgets::check_ballot(
            &cycle,
            &proposals,
            &input.proposal_ids,
        )?))
    }

    /// The ballot rule as applied when casting: when the mirror shows the
    /// cycle in voting, a ballot the server would refuse for its content
    /// (too many projects, over budget, …) is refused here, before anything
    /// is queued. When the mirror does not show voting (not pulled yet, or
    /// a snapshot that may be stale), the ballot is queued and the server
    /// judges the phase on arrival — an offline vote is never blocked by
    /// an old copy of the schedule, and one arriving after voting closed
    /// comes back rejected (`voting_closed`) into a draft.
    fn check_cast(&self, input: &BallotInput) -> Result<()> {
        let voting = self
            .cycle(&input.cycle_id)?
            .is_some_and(|c| c.phase == Phase::Voting);
        if voting {
            self.check_ballot(input)?;
        }
        Ok(())
    }

    /// Queues an input (from a form or a draft).
    fn queue_content(&self, content: &DraftContent, draft: Option<&str>) -> Result<Uuid> {
        if let DraftContent::Ballot(b) = content {
            self.check_cast(b)?;
        }
        let (photos, mut media, takes_photos) = match content {
            DraftContent::Appeal(a) => (a.photos.as_slice(), a.appeal.media.clone(), true),
            DraftContent::Proposal(p) => (p.photos.as_slice(), p.proposal.media.clone(), true),
            DraftContent::Comment(_) | DraftContent::Ballot(_) => (&[][..], Vec::new(), false),
        };
        let new_media = self.prepare_photos(photos)?;
        self.queue(new_media, draft, takes_photos, |ids| {
            media.extend(ids);
            Ok(fresh(&components::body(content, media)?))
        })
    }

    /// Queues an appeal (signed by the device key). Photos are prepared
    /// first; the appeal and its outbox op are stored in one transaction.
    /// Field limits are the server's (`dauys_proto::limits`): the UI should
    /// check them as the user types; what slips through comes back rejected
    /// as an editable draft.
    pub fn submit_appeal(&self, input: &AppealInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Appeal(input.clone()), None)
    }

    pub fn submit_proposal(&self, input: &ProposalInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Proposal(input.clone()), None)
    }

    /// Revises one's proposal that a moderator sent back for changes (it
    /// returns to moderation); only its author may, which the server checks.
    pub fn revise_proposal(&self, revision: &dauys_proto::ProposalRevisePayload) -> Result<Uuid> {
        let body = OpBody::Budget(dauys_proto::BudgetOp::ProposalRevise(revision.clone()));
        self.queue(Vec::new(), None, false, |_| Ok(fresh(&body)))
    }

    /// Takes back one's proposal while no moderator has passed it (the
    /// server checks; a proposal already passed comes back refused).
    pub fn withdraw_proposal(&self, proposal_id: &str) -> Result<Uuid> {
        let body = OpBody::Budget(dauys_proto::BudgetOp::ProposalWithdraw(
            dauys_proto::ProposalWithdrawPayload {
                proposal_id: proposal_id.into(),
            },
        ));
        self.queue(Vec::new(), None, false, |_| Ok(fresh(&body)))
    }

    pub fn add_comment(&self, input: &CommentInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Comment(input.clone()), None)
    }

    /// Casts (or replaces: the last cast wins) the ballot of a cycle,
    /// refusing offline what the server would refuse (see
    /// [`Profile::check_ballot`]; [`crate::CoreError::Rejected`]).
    pub fn cast_ballot(&self, input: &BallotInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Ballot(input.clone()), None)
    }

    /// Reports a comment to the moderators (delivered like every action;
    /// a second report of the same comment by this resident changes
    /// nothing on the server).
    pub fn report_comment(&self, comment_id: &str, reason: &str) -> Result<Uuid> {
        self.queue(Vec::new(), None, false, |_| {
            Ok(fresh(&OpBody::Comment(CommentOp::Report(
                CommentReportPayload {
                    comment_id: comment_id.into(),
                    reason: reason.trim().into(),
                },
            ))))
        })
    }

    /// Attaches a photo to an existing appeal or proposal of the user.
    pub fn attach_photo(&self, target_kind: &str, target_id: &str, photo: &Path) -> Result<Uuid> {
        let media = self.prepare_photos(&[photo.to_path_buf()])?;
        self.queue(media, None, false, |ids| {
            Ok(fresh(&OpBody::Media(MediaOp::Attach(MediaAttachPayload {
                target_kind: target_kind.into(),
                target_id: target_id.into(),
                upload_id: ids.into_iter().next().unwrap_or_default(),
            }))))
        })
    }

    /// Queues an op of a component registered in
    /// [`crate::HomeConfig::components`], through the same path as the
    /// built-in actions: the op and the component's
    /// [`apply_local`](crate::components::LocalComponent::apply_local) in
    /// one transaction, durable when this returns. The payload is the
    /// component's wire payload, sent as given (its server half parses
    /// it). Refuses a kind no component owns
    /// ([`CoreError::UnknownOpKind`]), and built-in kinds: their typed
    /// actions ([`Profile::cast_ballot`], …) run the shared rules and
    /// handle photos, which a raw payload would skip.
    pub fn queue_op(&self, kind: &str, payload: Value) -> Result<Uuid> {
        if self.components.of(kind).is_none() {
            return Err(CoreError::UnknownOpKind(kind.into()));
        }
        if !self.components.is_extra(kind) {
            return Err(CoreError::Invalid(format!(
                "{kind} is queued by its own action (e.g. cast_ballot), not queue_op"
            )));
        }
        self.queue(Vec::new(), None, false, |_| {
            Ok(Op {
                id: Uuid::now_v7(),
                kind: kind.into(),
                payload,
                client_ts: now_ms(),
                signature: None,
            })
        })
    }

    /// Queues the draft's content as a new op (new id, new signature) and
    /// deletes the draft in the same transaction. The draft's photos
    /// ([`Profile::add_draft_photo`]) become the op's media under the same
    /// ids: their sealed files are handed to the upload queue as they are.
    pub fn submit_draft(&self, id: &str) -> Result<Uuid> {
        let d = self.draft(id)?;
        self.queue_content(&d.content, Some(id))
    }
}
