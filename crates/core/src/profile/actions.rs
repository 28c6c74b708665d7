//! User actions: each writes its op to the outbox, its photos to the
//! upload queue and its component's local effect in one transaction, so
//! an action is either fully queued or not at all.

use std::path::{Path, PathBuf};

use dauys_proto::{Op, OpKind};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::components::{self, LocalCx};
use super::session;
use super::uploads::{Prepared, Uploads};
use super::{remove_files, Profile};
use crate::db::now_ms;
use crate::error::Result;
use crate::model::*;

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
    /// queue, `build` turns all their upload ids into the op's kind and
    /// payload, the op is signed and queued, its component's local effect
    /// is written, and the draft (if any) is deleted.
    fn queue(
        &self,
        new_media: Vec<Prepared>,
        draft: Option<&str>,
        take_draft_photos: bool,
        build: impl FnOnce(Vec<String>) -> Result<(OpKind, Value)>,
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
        let (kind, payload) = build(ids.collect())?;
        let mut op = Op {
            id: Uuid::now_v7(),
            kind: kind.as_str().into(),
            payload,
            client_ts: now_ms(),
            signature: None,
        };
        session::sign(&self.signing, &mut op);
        self.outbox_store(&tx).insert(&op)?;
        uploads.link(&op.id.to_string(), &components::media_of(&op))?;
        if let Some(comp) = components::of(&op.kind) {
            comp.apply_local(&LocalCx::new(&tx, &self.cipher), &op)?;
        }
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

    /// Queues an input (from a form or a draft).
    fn queue_content(&self, content: &DraftContent, draft: Option<&str>) -> Result<Uuid> {
        let (photos, mut media, takes_photos) = match content {
            DraftContent::Appeal(a) => (a.photos.as_slice(), a.media.clone(), true),
            DraftContent::Proposal(p) => (p.photos.as_slice(), p.media.clone(), true),
            DraftContent::Comment(_) | DraftContent::Ballot(_) => (&[][..], Vec::new(), false),
        };
        let new_media = self.prepare_photos(photos)?;
        self.queue(new_media, draft, takes_photos, |ids| {
            media.extend(ids);
            components::payload(content, media)
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

    pub fn add_comment(&self, input: &CommentInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Comment(input.clone()), None)
    }

    /// Casts (or replaces: the last cast wins) the ballot of a cycle.
    pub fn cast_ballot(&self, input: &BallotInput) -> Result<Uuid> {
        self.queue_content(&DraftContent::Ballot(input.clone()), None)
    }

    /// Attaches a photo to an existing appeal or proposal of the user.
    pub fn attach_photo(&self, target_kind: &str, target_id: &str, photo: &Path) -> Result<Uuid> {
        let media = self.prepare_photos(&[photo.to_path_buf()])?;
        self.queue(media, None, false, |ids| {
            let payload = dauys_proto::MediaAttachPayload {
                target_kind: target_kind.into(),
                target_id: target_id.into(),
                upload_id: ids.into_iter().next().unwrap_or_default(),
            };
            Ok((OpKind::MediaAttach, serde_json::to_value(&payload)?))
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
