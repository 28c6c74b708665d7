//! One resident's profile: its own database, key, session and outbox.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use dauys_proto::{
    Appeal, AppealStatus, AppealSubmitPayload, BallotCastPayload, Comment, CommentAddPayload,
    Cycle, HistoryEvent, Locality, Me, Op, OpKind, ProposalSubmitPayload, VerifyRequest,
};
use ed25519_dalek::{Signer, SigningKey};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::crypto::{Cipher, KeyStorage};
use crate::db::{self, now_ms};
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::net::{Api, NetConfig};

/// Public facts about a profile (kept in the home's `profiles.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProfileInfo {
    pub id: String,
    /// Display label (masked IIN unless named), never the full IIN.
    pub label: String,
    pub server: String,
    /// Kiosk profile: idle sign-out, wiped once synced after sign-out.
    pub kiosk: bool,
    pub key_storage: KeyStorage,
    pub created_at: i64,
    pub signed_in: bool,
    /// Signed out with undelivered ops: wiped as soon as they are delivered.
    pub wipe_when_synced: bool,
    pub last_active_at: i64,
    /// Keyed hash of the IIN, to find the profile again at the next sign-in.
    pub iin_tag: Option<String>,
}

/// An open profile. `Send + Sync`: share it behind an `Arc`.
pub struct Profile {
    pub(crate) info: ProfileInfo,
    pub(crate) dir: PathBuf,
    conn: Mutex<Connection>,
    pub(crate) cipher: Cipher,
    pub(crate) api: Api,
    signing: SigningKey,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.info.id)
            .finish()
    }
}

fn summarize(kind: &str, p: &Value) -> String {
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let short = |t: String| {
        if t.chars().count() > 60 {
            format!("{}…", t.chars().take(60).collect::<String>())
        } else {
            t
        }
    };
    match kind {
        "appeal.submit" => short(format!("{} → {}", s("subject"), s("addressee"))),
        "proposal.submit" => short(s("title")),
        "comment.add" => short(s("body")),
        "ballot.cast" => format!(
            "{}: {}",
            s("cycle_id"),
            p.get("proposal_ids")
                .and_then(Value::as_array)
                .map(|a| a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        ),
        "media.attach" => format!("{} {}", s("target_kind"), s("target_id")),
        _ => String::new(),
    }
}

fn target_of(kind: &str, p: &Value) -> Option<String> {
    let key = match kind {
        "appeal.submit" => "addressee",
        "proposal.submit" | "ballot.cast" => "cycle_id",
        "comment.add" => "proposal_id",
        "media.attach" => "target_id",
        _ => return None,
    };
    p.get(key).and_then(Value::as_str).map(String::from)
}

fn media_of(p: &Value) -> Vec<String> {
    if let Some(u) = p.get("upload_id").and_then(Value::as_str) {
        return vec![u.to_string()];
    }
    p.get("media")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The content of a refused op, as the input it came from.
fn draft_from_op(op: &Op) -> Option<DraftContent> {
    match OpKind::parse(&op.kind)? {
        OpKind::AppealSubmit => {
            let p: AppealSubmitPayload = serde_json::from_value(op.payload.clone()).ok()?;
            Some(DraftContent::Appeal(AppealInput {
                appeal_type: p.appeal_type,
                addressee: p.addressee,
                subject: p.subject,
                body: p.body,
                public: p.public,
                location: p.location,
                photos: Vec::new(),
                media: p.media,
            }))
        }
        OpKind::ProposalSubmit => {
            let p: ProposalSubmitPayload = serde_json::from_value(op.payload.clone()).ok()?;
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
        OpKind::CommentAdd => {
            let p: CommentAddPayload = serde_json::from_value(op.payload.clone()).ok()?;
            Some(DraftContent::Comment(CommentInput {
                proposal_id: p.target()?.proposal_id()?,
                body: p.body,
            }))
        }
        OpKind::BallotCast => {
            let p: BallotCastPayload = serde_json::from_value(op.payload.clone()).ok()?;
            Some(DraftContent::Ballot(BallotInput {
                cycle_id: p.cycle_id,
                proposal_ids: p.proposal_ids,
            }))
        }
        _ => None,
    }
}

/// A file name for display: no directories, no control characters, at
/// most 120 characters.
fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "photo.jpg".into()
    } else {
        clean.to_string()
    }
}

/// id, sealed content, sealed rejection, created, updated.
type DraftRow = (String, Vec<u8>, Option<Vec<u8>>, i64, i64);

/// A raw outbox row.
pub(crate) struct OutboxRow {
    pub seq: i64,
    pub op: Op,
    pub state: OpState,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Profile {
    pub(crate) fn open(
        dir: &Path,
        info: ProfileInfo,
        key: Zeroizing<[u8; 32]>,
        net: NetConfig,
    ) -> Result<Profile> {
        std::fs::create_dir_all(dir.join("media"))?;
        let conn = db::open(&dir.join("profile.db"))?;
        let cipher = Cipher::new(&key);
        let api = Api::new(&info.server, net)?;
        let seed: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM secrets WHERE key = 'device_key'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let signing = match seed {
            Some(sealed) => {
                let raw = Zeroizing::new(cipher.open(&sealed)?);
                let arr: [u8; 32] = raw.as_slice().try_into().map_err(|_| CoreError::Crypto)?;
                SigningKey::from_bytes(&arr)
            }
            None => {
                let k = SigningKey::generate(&mut rand::rngs::OsRng);
                conn.execute(
                    "INSERT INTO secrets (key, value) VALUES ('device_key', ?1)",
                    params![cipher.seal(&k.to_bytes())],
                )?;
                k
            }
        };
        Ok(Profile {
            info,
            dir: dir.to_path_buf(),
            conn: Mutex::new(conn),
            cipher,
            api,
            signing,
        })
    }

    pub fn info(&self) -> &ProfileInfo {
        &self.info
    }

    pub fn id(&self) -> &str {
        &self.info.id
    }

    /// Hex Ed25519 public key of this profile's device key.
    pub fn device_key(&self) -> String {
        dauys_proto::hex(self.signing.verifying_key().as_bytes())
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every
        // change is transactional), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ----- small key/value helpers -----

    pub(crate) fn meta(c: &Connection, key: &str) -> Result<Option<String>> {
        Ok(
            c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?,
        )
    }

    pub(crate) fn set_meta(c: &Connection, key: &str, value: &str) -> Result<()> {
        c.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub(crate) fn secret(&self, c: &Connection, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let v: Option<Vec<u8>> = c
            .query_row("SELECT value FROM secrets WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        v.map(|s| self.cipher.open(&s).map(Zeroizing::new))
            .transpose()
    }

    fn set_secret(&self, c: &Connection, key: &str, value: &[u8]) -> Result<()> {
        c.execute(
            "INSERT INTO secrets (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, self.cipher.seal(value)],
        )?;
        Ok(())
    }

    pub(crate) fn token(&self) -> Result<Option<Zeroizing<String>>> {
        let c = self.conn();
        Ok(self
            .secret(&c, "token")?
            .map(|b| Zeroizing::new(String::from_utf8_lossy(&b).into_owned())))
    }

    /// The signed-in user (as of the last sign-in).
    pub fn me(&self) -> Result<Option<Me>> {
        let c = self.conn();
        match self.secret(&c, "me")? {
            Some(b) => Ok(Some(serde_json::from_slice(&b)?)),
            None => Ok(None),
        }
    }

    // ----- sign-in -----

    /// Asks the server to text a one-time code to the phone on file.
    pub async fn request_code(&self, iin: &str) -> Result<dauys_proto::OtpResponse> {
        self.api.request_otp(iin).await
    }

    /// Exchanges the code for a session bound to this profile's device key.
    pub async fn verify(&self, iin: &str, code: &str, device_name: &str) -> Result<Me> {
        let s = self
            .api
            .verify(&VerifyRequest {
                iin: iin.into(),
                code: code.into(),
                device_key: self.device_key(),
                device_name: device_name.into(),
            })
            .await?;
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        self.set_secret(&tx, "token", s.token.as_bytes())?;
        self.set_secret(&tx, "me", &serde_json::to_vec(&s.me)?)?;
        Self::set_meta(&tx, "token_expires_at", &s.expires_at.to_string())?;
        if Self::meta(&tx, "follows")?.is_none() {
            Self::set_meta(
                &tx,
                "follows",
                &serde_json::to_string(&vec![s.me.locality.clone()])?,
            )?;
        }
        tx.commit()?;
        Ok(s.me)
    }

    /// Forgets the session token locally (the server session is revoked
    /// best-effort by [`crate::Home::sign_out`]).
    pub(crate) fn forget_session(&self) -> Result<()> {
        let c = self.conn();
        c.execute("DELETE FROM secrets WHERE key IN ('token')", [])?;
        Ok(())
    }

    // ----- following -----

    pub fn follows(&self) -> Result<Vec<String>> {
        let c = self.conn();
        Ok(Self::meta(&c, "follows")?
            .map(|s| serde_json::from_str(&s))
            .transpose()?
            .unwrap_or_default())
    }

    /// Follows a locality (and everything under it); the next sync pulls it.
    pub fn follow(&self, code: &str) -> Result<()> {
        let mut f = self.follows()?;
        if !f.iter().any(|x| x == code) {
            f.push(code.to_string());
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            Self::set_meta(&tx, "follows", &serde_json::to_string(&f)?)?;
            // A new locality needs its history: pull from the start (upserts are idempotent).
            Self::set_meta(&tx, "cursor", "0")?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn unfollow(&self, code: &str) -> Result<()> {
        let f: Vec<String> = self.follows()?.into_iter().filter(|x| x != code).collect();
        let c = self.conn();
        Self::set_meta(&c, "follows", &serde_json::to_string(&f)?)
    }

    // ----- queueing actions -----

    /// Where a prepared photo (queued or of a draft) is kept, sealed.
    fn media_file(&self, id: &str) -> PathBuf {
        self.dir.join("media").join(format!("{id}.bin"))
    }

    fn prepare_photos(&self, photos: &[PathBuf]) -> Result<Vec<(String, PathBuf, u64)>> {
        let mut out = Vec::new();
        for p in photos {
            let jpeg = Zeroizing::new(crate::media::prepare_photo(p)?);
            let id = Uuid::now_v7().to_string();
            let file = self.media_file(&id);
            crate::crypto::write_private(&file, &self.cipher.seal(&jpeg))?;
            out.push((id, file, jpeg.len() as u64));
        }
        Ok(out)
    }

    /// Moves a draft's sealed photos to the upload queue inside `tx`: the
    /// sealed files stay where they are, only their rows move, so nothing
    /// is decrypted or written again (and never in clear).
    fn take_draft_photos(
        &self,
        tx: &Transaction,
        draft: Option<&str>,
    ) -> Result<Vec<(String, PathBuf, u64)>> {
        let Some(d) = draft else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, i64)> = {
            let mut st =
                tx.prepare("SELECT id, length FROM draft_media WHERE draft_id = ?1 ORDER BY seq")?;
            let r = st
                .query_map([d], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        tx.execute("DELETE FROM draft_media WHERE draft_id = ?1", [d])?;
        Ok(rows
            .into_iter()
            .map(|(id, len)| {
                let file = self.media_file(&id);
                (id, file, len as u64)
            })
            .collect())
    }

    /// Deletes a draft's photo rows inside `tx`; returns their files, to
    /// delete once the transaction has committed.
    fn drop_draft_photos(&self, tx: &Transaction, draft: &str) -> Result<Vec<PathBuf>> {
        let ids: Vec<String> = {
            let mut st = tx.prepare("SELECT id FROM draft_media WHERE draft_id = ?1")?;
            let r = st
                .query_map([draft], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        tx.execute("DELETE FROM draft_media WHERE draft_id = ?1", [draft])?;
        Ok(ids.iter().map(|id| self.media_file(id)).collect())
    }

    fn remove_files(files: &[PathBuf]) {
        for f in files {
            if let Err(e) = std::fs::remove_file(f) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    // Sealed, and deleted with the profile at the latest.
                    tracing::warn!("could not delete {}: {e}", f.display());
                }
            }
        }
    }

    fn insert_media(tx: &Transaction, media: &[(String, PathBuf, u64)]) -> Result<()> {
        for (id, file, len) in media {
            tx.execute(
                "INSERT INTO media (id, file, length, media_type) VALUES (?1, ?2, ?3, 'image/jpeg')",
                params![id, file.to_string_lossy(), *len as i64],
            )?;
        }
        Ok(())
    }

    /// Writes an op into the outbox inside `tx` (signing it when its kind
    /// requires), and links its media.
    fn enqueue(&self, tx: &Transaction, kind: OpKind, payload: Value) -> Result<Op> {
        let mut op = Op {
            id: Uuid::now_v7(),
            kind: kind.as_str().into(),
            payload,
            client_ts: now_ms(),
            signature: None,
        };
        if kind.requires_signature() {
            let sig = self.signing.sign(&dauys_proto::signing_bytes(&op));
            op.signature = Some(dauys_proto::hex(&sig.to_bytes()));
        }
        let now = now_ms();
        tx.execute(
            "INSERT INTO outbox (id, kind, state, op, created_at, updated_at) VALUES (?1, ?2, 'queued', ?3, ?4, ?4)",
            params![op.id.to_string(), op.kind, self.cipher.seal_json(&op)?, now],
        )?;
        for m in media_of(&op.payload) {
            tx.execute(
                "UPDATE media SET op_id = ?2 WHERE id = ?1",
                params![m, op.id.to_string()],
            )?;
        }
        Ok(op)
    }

    /// Deletes a submitted draft inside `tx`. Returns the files of photos
    /// it still had (only a draft whose kind takes no photos can have any
    /// left here), to delete after commit.
    fn consume_draft(&self, tx: &Transaction, draft: Option<&str>) -> Result<Vec<PathBuf>> {
        match draft {
            Some(d) => {
                tx.execute("DELETE FROM drafts WHERE id = ?1", [d])?;
                self.drop_draft_photos(tx, d)
            }
            None => Ok(Vec::new()),
        }
    }

    fn queue_appeal(&self, input: &AppealInput, draft: Option<&str>) -> Result<Uuid> {
        let new_media = self.prepare_photos(&input.photos)?;
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let draft_media = self.take_draft_photos(&tx, draft)?;
        let mut media = input.media.clone();
        media.extend(new_media.iter().map(|m| m.0.clone()));
        media.extend(draft_media.iter().map(|m| m.0.clone()));
        let payload = AppealSubmitPayload {
            appeal_type: input.appeal_type,
            addressee: input.addressee.trim().to_string(),
            subject: input.subject.clone(),
            body: input.body.clone(),
            location: input.location,
            public: input.public,
            media: media.clone(),
        };
        Self::insert_media(&tx, &new_media)?;
        Self::insert_media(&tx, &draft_media)?;
        let op = self.enqueue(&tx, OpKind::AppealSubmit, serde_json::to_value(&payload)?)?;
        // Local effect: the appeal appears in "my appeals" at once.
        let locality = self
            .body_locality(&tx, &payload.addressee)?
            .unwrap_or_default();
        let local = Appeal {
            id: op.id.to_string(),
            appeal_type: payload.appeal_type,
            addressee: payload.addressee.clone(),
            locality,
            subject: payload.subject.clone(),
            body: payload.body.clone(),
            location: payload.location,
            public: payload.public,
            media,
            status: AppealStatus::Submitted,
            registration_number: None,
            submitted_at: op.client_ts,
            registered_on: None,
            due_date: None,
            overdue: false,
            answer: None,
            history: vec![HistoryEvent {
                at: op.client_ts,
                status: "queued".into(),
                note: "saved on this device, not sent yet".into(),
            }],
            mine: true,
        };
        tx.execute(
            "INSERT INTO my_appeals (id, sort_at, data) VALUES (?1, ?2, ?3)",
            params![local.id, op.client_ts, self.cipher.seal_json(&local)?],
        )?;
        let leftovers = self.consume_draft(&tx, draft)?;
        tx.commit()?;
        drop(c);
        Self::remove_files(&leftovers);
        Ok(op.id)
    }

    fn body_locality(&self, c: &Connection, body: &str) -> Result<Option<String>> {
        let mut st = c.prepare_cached("SELECT data FROM localities")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for r in rows {
            let l: Locality = serde_json::from_str(&r?)?;
            if l.bodies.iter().any(|b| b.id == body) {
                return Ok(Some(l.code));
            }
        }
        Ok(None)
    }

    fn queue_simple(
        &self,
        kind: OpKind,
        payload: Value,
        media: Vec<(String, PathBuf, u64)>,
        draft: Option<&str>,
    ) -> Result<Uuid> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        Self::insert_media(&tx, &media)?;
        let op = self.enqueue(&tx, kind, payload)?;
        let leftovers = self.consume_draft(&tx, draft)?;
        tx.commit()?;
        drop(c);
        Self::remove_files(&leftovers);
        Ok(op.id)
    }

    fn queue_proposal(&self, input: &ProposalInput, draft: Option<&str>) -> Result<Uuid> {
        let new_media = self.prepare_photos(&input.photos)?;
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let draft_media = self.take_draft_photos(&tx, draft)?;
        let mut media = input.media.clone();
        media.extend(new_media.iter().map(|m| m.0.clone()));
        media.extend(draft_media.iter().map(|m| m.0.clone()));
        let payload = ProposalSubmitPayload {
            cycle_id: input.cycle_id.clone(),
            title: input.title.clone(),
            description: input.description.clone(),
            category: input.category.clone(),
            cost: input.cost,
            location: input.location,
            media,
        };
        Self::insert_media(&tx, &new_media)?;
        Self::insert_media(&tx, &draft_media)?;
        let op = self.enqueue(&tx, OpKind::ProposalSubmit, serde_json::to_value(&payload)?)?;
        let leftovers = self.consume_draft(&tx, draft)?;
        tx.commit()?;
        drop(c);
        Self::remove_files(&leftovers);
        Ok(op.id)
    }

    fn queue_comment(&self, input: &CommentInput, draft: Option<&str>) -> Result<Uuid> {
        let payload = CommentAddPayload::new(
            dauys_proto::CommentTarget::proposal(&input.proposal_id),
            &input.body,
        );
        self.queue_simple(
            OpKind::CommentAdd,
            serde_json::to_value(&payload)?,
            Vec::new(),
            draft,
        )
    }

    fn queue_ballot(&self, input: &BallotInput, draft: Option<&str>) -> Result<Uuid> {
        if input.proposal_ids.is_empty() {
            return Err(CoreError::Invalid("choose at least one project".into()));
        }
        let payload = BallotCastPayload {
            cycle_id: input.cycle_id.clone(),
            proposal_ids: input.proposal_ids.clone(),
        };
        self.queue_simple(
            OpKind::BallotCast,
            serde_json::to_value(&payload)?,
            Vec::new(),
            draft,
        )
    }

    /// Queues an appeal (signed by the device key). Photos are prepared
    /// first; the appeal and its outbox op are stored in one transaction.
    /// Field limits are the server's (`dauys_proto::limits`): the UI should
    /// check them as the user types; what slips through comes back rejected
    /// as an editable draft.
    pub fn submit_appeal(&self, input: &AppealInput) -> Result<Uuid> {
        self.queue_appeal(input, None)
    }

    pub fn submit_proposal(&self, input: &ProposalInput) -> Result<Uuid> {
        self.queue_proposal(input, None)
    }

    pub fn add_comment(&self, input: &CommentInput) -> Result<Uuid> {
        self.queue_comment(input, None)
    }

    /// Casts (or replaces: the last cast wins) the ballot of a cycle.
    pub fn cast_ballot(&self, input: &BallotInput) -> Result<Uuid> {
        self.queue_ballot(input, None)
    }

    /// Attaches a photo to an existing appeal or proposal of the user.
    pub fn attach_photo(&self, target_kind: &str, target_id: &str, photo: &Path) -> Result<Uuid> {
        let media = self.prepare_photos(&[photo.to_path_buf()])?;
        let upload_id = media.first().map(|m| m.0.clone()).unwrap_or_default();
        let payload = dauys_proto::MediaAttachPayload {
            target_kind: target_kind.into(),
            target_id: target_id.into(),
            upload_id,
        };
        self.queue_simple(
            OpKind::MediaAttach,
            serde_json::to_value(&payload)?,
            media,
            None,
        )
    }

    // ----- drafts -----

    /// Creates or updates (autosave) a draft; returns its id.
    pub fn save_draft(&self, id: Option<&str>, content: &DraftContent) -> Result<String> {
        let id = id
            .map(String::from)
            .unwrap_or_else(|| Uuid::now_v7().to_string());
        let now = now_ms();
        let c = self.conn();
        c.execute(
            "INSERT INTO drafts (id, kind, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data, updated_at = excluded.updated_at",
            params![id, content.kind(), self.cipher.seal_json(content)?, now],
        )?;
        Ok(id)
    }

    fn draft_row(&self, r: &rusqlite::Row) -> rusqlite::Result<DraftRow> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    }

    fn decode_draft(&self, row: DraftRow) -> Result<Draft> {
        let (id, data, rej, created_at, updated_at) = row;
        Ok(Draft {
            photos: self.draft_photos(&id)?,
            id,
            content: self.cipher.open_json(&data)?,
            rejection: rej.map(|r| self.cipher.open_json(&r)).transpose()?,
            created_at,
            updated_at,
        })
    }

    pub fn drafts(&self) -> Result<Vec<Draft>> {
        let rows = {
            let c = self.conn();
            let mut st = c.prepare("SELECT id, data, rejection, created_at, updated_at FROM drafts ORDER BY updated_at DESC")?;
            let rows = st
                .query_map([], |r| self.draft_row(r))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        rows.into_iter().map(|r| self.decode_draft(r)).collect()
    }

    pub fn draft(&self, id: &str) -> Result<Draft> {
        let row = {
            let c = self.conn();
            c.query_row(
                "SELECT id, data, rejection, created_at, updated_at FROM drafts WHERE id = ?1",
                [id],
                |r| self.draft_row(r),
            )
            .optional()?
        };
        row.map(|r| self.decode_draft(r))
            .transpose()?
            .ok_or_else(|| CoreError::NotFound(format!("draft {id}")))
    }

    /// Deletes a draft and its photos (rows and sealed files).
    pub fn delete_draft(&self, id: &str) -> Result<()> {
        let files = {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            tx.execute("DELETE FROM drafts WHERE id = ?1", [id])?;
            let files = self.drop_draft_photos(&tx, id)?;
            tx.commit()?;
            files
        };
        Self::remove_files(&files);
        Ok(())
    }

    /// Checks that draft `id` exists, takes photos (appeal or proposal) and
    /// has room for one more ([`dauys_proto::limits::MAX_MEDIA_PER_ITEM`]).
    fn check_photo_room(&self, c: &Connection, id: &str) -> Result<()> {
        let data: Option<Vec<u8>> = c
            .query_row("SELECT data FROM drafts WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let data = data.ok_or_else(|| CoreError::NotFound(format!("draft {id}")))?;
        let already = match self.cipher.open_json::<DraftContent>(&data)? {
            DraftContent::Appeal(a) => a.photos.len() + a.media.len(),
            DraftContent::Proposal(p) => p.photos.len() + p.media.len(),
            _ => {
                return Err(CoreError::Invalid(
                    "only appeal and proposal drafts take photos".into(),
                ))
            }
        };
        let sealed: i64 = c.query_row(
            "SELECT COUNT(*) FROM draft_media WHERE draft_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let max = dauys_proto::limits::MAX_MEDIA_PER_ITEM;
        if already + usize::try_from(sealed).unwrap_or(usize::MAX) >= max {
            return Err(CoreError::Invalid(format!("at most {max} photos")));
        }
        Ok(())
    }

    /// Adds a photo to an appeal or proposal draft. `data` is the user's
    /// file as picked (JPEG or PNG, at most [`crate::media::MAX_INPUT_BYTES`]):
    /// it is prepared at once ([`crate::media::prepare_photo_bytes`]:
    /// downscaled, EXIF and location stripped) and only the prepared JPEG
    /// is stored, sealed with the profile's key inside the profile's
    /// directory — the original never touches the disk. `name` is the
    /// file's name, for display (any path is dropped). Submitting the draft
    /// ([`Profile::submit_draft`]) uploads it; deleting the draft, or
    /// wiping the profile, deletes it.
    pub fn add_draft_photo(&self, draft_id: &str, name: &str, data: &[u8]) -> Result<DraftPhoto> {
        let max = crate::media::MAX_INPUT_BYTES;
        if data.len() as u64 > max {
            return Err(CoreError::Image(format!(
                "the photo is larger than {} MB",
                max / 1024 / 1024
            )));
        }
        // Fail early, before the costly preparation.
        self.check_photo_room(&self.conn(), draft_id)?;
        let jpeg = Zeroizing::new(crate::media::prepare_photo_bytes(data)?);
        let name = display_name(name);
        let id = Uuid::now_v7().to_string();
        let file = self.media_file(&id);
        crate::crypto::write_private(&file, &self.cipher.seal(&jpeg))?;
        let stored = (|| -> Result<()> {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            // Again under the lock: the draft may have gone meanwhile.
            self.check_photo_room(&tx, draft_id)?;
            tx.execute(
                "INSERT INTO draft_media (id, draft_id, length, name) VALUES (?1, ?2, ?3, ?4)",
                params![
                    id,
                    draft_id,
                    jpeg.len() as i64,
                    self.cipher.seal(name.as_bytes())
                ],
            )?;
            tx.execute(
                "UPDATE drafts SET updated_at = ?2 WHERE id = ?1",
                params![draft_id, now_ms()],
            )?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = stored {
            Self::remove_files(&[file]);
            return Err(e);
        }
        Ok(DraftPhoto {
            id,
            name,
            bytes: jpeg.len() as u64,
        })
    }

    /// The photos of a draft, in the order added (also in [`Draft::photos`]).
    pub fn draft_photos(&self, draft_id: &str) -> Result<Vec<DraftPhoto>> {
        let rows: Vec<(String, i64, Vec<u8>)> = {
            let c = self.conn();
            let mut st = c.prepare_cached(
                "SELECT id, length, name FROM draft_media WHERE draft_id = ?1 ORDER BY seq",
            )?;
            let r = st
                .query_map([draft_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        rows.into_iter()
            .map(|(id, len, name)| {
                Ok(DraftPhoto {
                    id,
                    name: String::from_utf8_lossy(&self.cipher.open(&name)?).into_owned(),
                    bytes: u64::try_from(len).unwrap_or(0),
                })
            })
            .collect()
    }

    /// The prepared JPEG of a draft's photo, decrypted in memory (e.g. for
    /// a thumbnail). Never written anywhere in clear.
    pub fn draft_photo(&self, draft_id: &str, photo_id: &str) -> Result<Vec<u8>> {
        let known: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM draft_media WHERE id = ?1 AND draft_id = ?2)",
            params![photo_id, draft_id],
            |r| r.get(0),
        )?;
        if !known {
            return Err(CoreError::NotFound(format!(
                "photo {photo_id} of draft {draft_id}"
            )));
        }
        self.cipher.open(&std::fs::read(self.media_file(photo_id))?)
    }

    /// Removes a photo from a draft and deletes its file. Removing a photo
    /// that is not (or no longer) there is not an error.
    pub fn remove_draft_photo(&self, draft_id: &str, photo_id: &str) -> Result<()> {
        let removed = {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            let n = tx.execute(
                "DELETE FROM draft_media WHERE id = ?1 AND draft_id = ?2",
                params![photo_id, draft_id],
            )?;
            if n > 0 {
                tx.execute(
                    "UPDATE drafts SET updated_at = ?2 WHERE id = ?1",
                    params![draft_id, now_ms()],
                )?;
            }
            tx.commit()?;
            n > 0
        };
        if removed {
            Self::remove_files(&[self.media_file(photo_id)]);
        }
        Ok(())
    }

    /// Queues the draft's content as a new op (new id, new signature) and
    /// deletes the draft in the same transaction. The draft's photos
    /// ([`Profile::add_draft_photo`]) become the op's media under the same
    /// ids: their sealed files are handed to the upload queue as they are.
    pub fn submit_draft(&self, id: &str) -> Result<Uuid> {
        let d = self.draft(id)?;
        match &d.content {
            DraftContent::Appeal(a) => self.queue_appeal(a, Some(id)),
            DraftContent::Proposal(p) => self.queue_proposal(p, Some(id)),
            DraftContent::Comment(cm) => self.queue_comment(cm, Some(id)),
            DraftContent::Ballot(b) => self.queue_ballot(b, Some(id)),
        }
    }

    // ----- outbox -----

    pub(crate) fn outbox_rows(&self, where_clause: &str) -> Result<Vec<OutboxRow>> {
        type Raw = (
            i64,
            Vec<u8>,
            String,
            i64,
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        type Err = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let raw: Vec<(Raw, Err)> = {
            let c = self.conn();
            let mut st = c.prepare(&format!(
                "SELECT seq, op, state, attempts, created_at, updated_at, entity_id, receipt, applied_at,
                        error_code, message_key, error_field, error_detail, draft_id
                 FROM outbox {where_clause} ORDER BY seq"
            ))?;
            let rows = st
                .query_map([], |r| {
                    Ok((
                        (
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                        ),
                        (r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?),
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        raw.into_iter()
            .map(
                |(
                    (
                        seq,
                        op,
                        state,
                        attempts,
                        created_at,
                        updated_at,
                        entity_id,
                        receipt,
                        applied_at,
                    ),
                    e,
                )| {
                    let op: Op = self.cipher.open_json(&op)?;
                    let state = match state.as_str() {
                        "queued" => OpState::Queued,
                        "sending" => OpState::Sending,
                        "accepted" => OpState::Accepted {
                            entity_id: entity_id.unwrap_or_default(),
                            receipt,
                            applied_at: applied_at.unwrap_or(0),
                        },
                        _ => OpState::Rejected {
                            code: e.0.unwrap_or_default(),
                            message_key: e.1.unwrap_or_default(),
                            field: e.2,
                            detail: e.3.unwrap_or_default(),
                            draft_id: e.4,
                        },
                    };
                    Ok(OutboxRow {
                        seq,
                        op,
                        state,
                        attempts,
                        created_at,
                        updated_at,
                    })
                },
            )
            .collect()
    }

    /// The outbox, oldest first, with each op's state.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let pending_media: std::collections::HashMap<String, i64> = {
            let c = self.conn();
            let mut st = c.prepare("SELECT op_id, COUNT(*) FROM media WHERE complete = 0 AND op_id IS NOT NULL GROUP BY op_id")?;
            let m = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            m
        };
        Ok(self
            .outbox_rows("")?
            .into_iter()
            .map(|r| OutboxEntry {
                id: r.op.id,
                seq: r.seq,
                summary: summarize(&r.op.kind, &r.op.payload),
                target: target_of(&r.op.kind, &r.op.payload),
                kind: r.op.kind.clone(),
                media_pending: if r.state.is_pending() {
                    pending_media
                        .get(&r.op.id.to_string())
                        .copied()
                        .unwrap_or(0)
                } else {
                    0
                },
                state: r.state,
                attempts: r.attempts,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    /// Retries an op. A queued or sending op simply goes out with the next
    /// sync (same id). A rejected op is re-queued from its draft as a new
    /// op (new id: the server keeps the old id's answer forever).
    pub fn retry(&self, op_id: Uuid) -> Result<Uuid> {
        let row = self
            .outbox_rows(&format!("WHERE id = '{op_id}'"))?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("op {op_id}")))?;
        match row.state {
            OpState::Rejected {
                draft_id: Some(d), ..
            } => self.submit_draft(&d),
            OpState::Rejected { .. } => {
                Err(CoreError::Invalid("this op has no draft to resend".into()))
            }
            _ => {
                self.conn().execute(
                    "UPDATE outbox SET attempts = 0, updated_at = ?2 WHERE id = ?1",
                    params![op_id.to_string(), now_ms()],
                )?;
                Ok(op_id)
            }
        }
    }

    /// Discards an op that was never sent (queued) or was rejected. An op
    /// already sent cannot be recalled: the server may have applied it.
    /// For a rejected op, its draft is kept (delete it separately).
    pub fn discard(&self, op_id: Uuid) -> Result<()> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let state: Option<String> = tx
            .query_row(
                "SELECT state FROM outbox WHERE id = ?1",
                [op_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match state.as_deref() {
            None => return Err(CoreError::NotFound(format!("op {op_id}"))),
            Some("queued") | Some("rejected") => {}
            Some(s) => {
                return Err(CoreError::Invalid(format!(
                    "op {op_id} is {s}: it may already be applied and cannot be discarded"
                )))
            }
        }
        tx.execute("DELETE FROM outbox WHERE id = ?1", [op_id.to_string()])?;
        tx.execute("DELETE FROM my_appeals WHERE id = ?1", [op_id.to_string()])?;
        tx.commit()?;
        Ok(())
    }

    /// The editable draft holding a rejected op's content.
    pub fn edit_rejected(&self, op_id: Uuid) -> Result<Draft> {
        let row = self
            .outbox_rows(&format!("WHERE id = '{op_id}'"))?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("op {op_id}")))?;
        match row.state {
            OpState::Rejected {
                draft_id: Some(d), ..
            } => self.draft(&d),
            _ => Err(CoreError::Invalid(format!("op {op_id} was not rejected"))),
        }
    }

    /// Records the server's answer for ops (one transaction). Rejected
    /// content goes back to a draft; the local effect is undone.
    pub(crate) fn record_results(
        &self,
        results: &[dauys_proto::OpResult],
        ops: &[Op],
    ) -> Result<(usize, usize)> {
        let (mut acc, mut rej) = (0, 0);
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let now = now_ms();
        for r in results {
            let id = r.id.to_string();
            let still_pending: bool = tx
                .query_row(
                    "SELECT state IN ('queued', 'sending') FROM outbox WHERE id = ?1",
                    [&id],
                    |x| x.get(0),
                )
                .optional()?
                .unwrap_or(false);
            if !still_pending {
                continue;
            }
            match &r.outcome {
                dauys_proto::OpOutcome::Accepted {
                    entity_id,
                    receipt,
                    applied_at,
                } => {
                    acc += 1;
                    tx.execute(
                        "UPDATE outbox SET state = 'accepted', entity_id = ?2, receipt = ?3, applied_at = ?4, updated_at = ?5 WHERE id = ?1",
                        params![id, entity_id, receipt, applied_at, now],
                    )?;
                }
                dauys_proto::OpOutcome::Rejected {
                    code,
                    message_key,
                    field,
                    detail,
                } => {
                    rej += 1;
                    let draft_id = match ops.iter().find(|o| o.id == r.id).and_then(draft_from_op) {
                        Some(content) => {
                            let did = Uuid::now_v7().to_string();
                            let rejection = Rejection {
                                op_id: r.id,
                                code: code.as_str().into(),
                                message_key: message_key.clone(),
                                field: field.clone(),
                                detail: detail.clone(),
                            };
                            tx.execute(
                                "INSERT INTO drafts (id, kind, data, rejection, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                params![
                                    did,
                                    content.kind(),
                                    self.cipher.seal_json(&content)?,
                                    self.cipher.seal_json(&rejection)?,
                                    now
                                ],
                            )?;
                            Some(did)
                        }
                        None => None,
                    };
                    tx.execute(
                        "UPDATE outbox SET state = 'rejected', error_code = ?2, message_key = ?3, error_field = ?4,
                           error_detail = ?5, draft_id = ?6, updated_at = ?7 WHERE id = ?1",
                        params![id, code.as_str(), message_key, field, detail, draft_id, now],
                    )?;
                    tx.execute("DELETE FROM my_appeals WHERE id = ?1", [&id])?;
                }
            }
        }
        tx.commit()?;
        Ok((acc, rej))
    }

    // ----- local queries -----

    pub fn localities(&self) -> Result<Vec<Locality>> {
        let c = self.conn();
        let mut st = c.prepare("SELECT data FROM localities ORDER BY code")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| Ok(serde_json::from_str(&r?)?)).collect()
    }

    /// Cycles mirrored locally, optionally of one locality.
    pub fn cycles(&self, locality: Option<&str>) -> Result<Vec<Cycle>> {
        let c = self.conn();
        let mut st =
            c.prepare("SELECT data FROM cycles WHERE ?1 IS NULL OR locality = ?1 ORDER BY id")?;
        let rows = st.query_map([locality], |r| r.get::<_, String>(0))?;
        rows.map(|r| Ok(serde_json::from_str(&r?)?)).collect()
    }

    pub fn cycle(&self, id: &str) -> Result<Option<Cycle>> {
        let c = self.conn();
        let v: Option<String> = c
            .query_row("SELECT data FROM cycles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        v.map(|s| Ok(serde_json::from_str(&s)?)).transpose()
    }

    /// Builds an FTS5 query: every word must match as a prefix.
    pub fn fts_query(text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\"*"))
            .collect();
        (!words.is_empty()).then(|| words.join(" AND "))
    }

    /// Proposals from the local mirror; with `search`, ranked by FTS5 (bm25).
    pub fn proposals(&self, q: &ProposalQuery) -> Result<Vec<dauys_proto::Proposal>> {
        let limit = i64::from(q.limit.unwrap_or(200).min(10_000));
        let c = self.conn();
        let rows: Vec<String> = match q.search.as_deref().and_then(Self::fts_query) {
            Some(m) => {
                let mut st = c.prepare_cached(
                    "SELECT p.data FROM proposals_fts f JOIN proposals p ON p.rowid = f.rowid
                     WHERE proposals_fts MATCH ?1 AND (?2 IS NULL OR p.cycle_id = ?2)
                     ORDER BY bm25(proposals_fts) LIMIT ?3",
                )?;
                let r = st
                    .query_map(params![m, q.cycle_id, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
            None => {
                let mut st = c.prepare_cached(
                    "SELECT data FROM proposals WHERE ?1 IS NULL OR cycle_id = ?1 ORDER BY rowid LIMIT ?2",
                )?;
                let r = st
                    .query_map(params![q.cycle_id, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                r
            }
        };
        rows.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
    }

    /// Comments of a proposal: pulled ones plus the user's own not yet
    /// pulled back (with their delivery state).
    pub fn comments(&self, proposal_id: &str) -> Result<Vec<CommentView>> {
        let mut out: Vec<CommentView> = {
            let c = self.conn();
            let mut st = c.prepare(
                "SELECT data FROM comments WHERE proposal_id = ?1 ORDER BY created_at, id",
            )?;
            let rows = st.query_map([proposal_id], |r| r.get::<_, String>(0))?;
            rows.map(|r| {
                Ok(CommentView {
                    comment: serde_json::from_str(&r?)?,
                    delivery: None,
                })
            })
            .collect::<Result<_>>()?
        };
        for row in self.outbox_rows("WHERE kind = 'comment.add' AND state != 'rejected'")? {
            let Ok(p) = serde_json::from_value::<CommentAddPayload>(row.op.payload.clone()) else {
                continue;
            };
            let Some(target) = p.target() else {
                continue;
            };
            if target.proposal_id().as_deref() != Some(proposal_id) {
                continue;
            }
            let id = row.op.id.to_string();
            if let Some(v) = out.iter_mut().find(|v| v.comment.id == id) {
                v.delivery = Some(row.state);
                continue;
            }
            out.push(CommentView {
                comment: Comment {
                    id,
                    proposal_id: target.proposal_id(),
                    target,
                    locality: String::new(),
                    body: p.body,
                    visible: true,
                    mine: true,
                    created_at: row.op.client_ts,
                },
                delivery: Some(row.state),
            });
        }
        Ok(out)
    }

    /// The user's appeals (newest first) with timelines.
    pub fn appeals(&self) -> Result<Vec<AppealView>> {
        let rows: Vec<Vec<u8>> = {
            let c = self.conn();
            let mut st = c.prepare("SELECT data FROM my_appeals ORDER BY sort_at DESC")?;
            let r = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        let states: std::collections::HashMap<String, OpState> = self
            .outbox_rows("WHERE kind = 'appeal.submit'")?
            .into_iter()
            .map(|r| (r.op.id.to_string(), r.state))
            .collect();
        rows.iter()
            .map(|d| {
                let appeal: Appeal = self.cipher.open_json(d)?;
                let delivery = states.get(&appeal.id).cloned();
                Ok(AppealView { appeal, delivery })
            })
            .collect()
    }

    pub fn appeal(&self, id: &str) -> Result<AppealView> {
        self.appeals()?
            .into_iter()
            .find(|a| a.appeal.id == id)
            .ok_or_else(|| CoreError::NotFound(format!("appeal {id}")))
    }

    /// The user's ballots with honest status per cycle.
    pub fn ballots(&self) -> Result<Vec<BallotView>> {
        let counted: Vec<dauys_proto::Ballot> = {
            let c = self.conn();
            let mut st = c.prepare("SELECT data FROM my_ballots")?;
            let rows: Vec<Vec<u8>> = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            rows.iter()
                .map(|d| self.cipher.open_json(d))
                .collect::<Result<_>>()?
        };
        let mut latest: std::collections::BTreeMap<String, (BallotCastPayload, OutboxRow)> =
            Default::default();
        for row in self.outbox_rows("WHERE kind = 'ballot.cast'")? {
            if let Ok(p) = serde_json::from_value::<BallotCastPayload>(row.op.payload.clone()) {
                latest.insert(p.cycle_id.clone(), (p, row));
            }
        }
        let mut cycles: Vec<String> = latest.keys().cloned().collect();
        for b in &counted {
            if !cycles.contains(&b.cycle_id) {
                cycles.push(b.cycle_id.clone());
            }
        }
        cycles.sort();
        let mut out = Vec::new();
        for cy in cycles {
            let cb = counted.iter().find(|b| b.cycle_id == cy).cloned();
            let cycle = self.cycle(&cy)?;
            let voting_ends = cycle
                .as_ref()
                .and_then(|c| c.schedule.get("tallying").cloned());
            let phase = cycle.as_ref().map(|c| c.phase.as_str().to_string());
            let view = match latest.remove(&cy) {
                Some((p, row)) => {
                    let status = match &row.state {
                        OpState::Queued => BallotStatus::QueuedNotCounted,
                        OpState::Sending => BallotStatus::SendingNotCounted,
                        OpState::Accepted { receipt, .. } => BallotStatus::Counted {
                            receipt: receipt.clone().unwrap_or_default(),
                        },
                        OpState::Rejected {
                            code,
                            message_key,
                            draft_id,
                            ..
                        } => BallotStatus::Rejected {
                            code: code.clone(),
                            message_key: message_key.clone(),
                            draft_id: draft_id.clone(),
                        },
                    };
                    BallotView {
                        cycle_id: cy,
                        proposal_ids: p.proposal_ids,
                        status,
                        op_id: Some(row.op.id.to_string()),
                        counted: cb,
                        voting_ends,
                        phase,
                    }
                }
                None => match cb {
                    Some(b) => BallotView {
                        cycle_id: cy,
                        proposal_ids: b.proposal_ids.clone(),
                        status: BallotStatus::Counted {
                            receipt: b.receipt.clone(),
                        },
                        op_id: Some(b.op_id.clone()),
                        counted: Some(b),
                        voting_ends,
                        phase,
                    },
                    None => continue,
                },
            };
            out.push(view);
        }
        Ok(out)
    }

    pub fn status(&self) -> Result<Status> {
        let follows = self.follows()?;
        let me = self.me()?;
        let signed_in = self.token()?.is_some();
        let c = self.conn();
        let count = |state: &str| -> Result<i64> {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = ?1",
                [state],
                |r| r.get(0),
            )?)
        };
        Ok(Status {
            profile: self.info.id.clone(),
            server: self.info.server.clone(),
            signed_in,
            user_id: me.as_ref().map(|m| m.user_id.clone()),
            locality: me.map(|m| m.locality),
            follows,
            queued: count("queued")?,
            sending: count("sending")?,
            accepted: count("accepted")?,
            rejected: count("rejected")?,
            drafts: c.query_row("SELECT COUNT(*) FROM drafts", [], |r| r.get(0))?,
            media_pending: c.query_row(
                "SELECT COUNT(*) FROM media WHERE complete = 0",
                [],
                |r| r.get(0),
            )?,
            cursor: Self::meta(&c, "cursor")?.unwrap_or_else(|| "0".into()),
            last_sync_at: Self::meta(&c, "last_sync_at")?.and_then(|s| s.parse().ok()),
            key_storage: self.info.key_storage,
        })
    }

    /// Ops not yet answered by the server.
    pub fn pending_count(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')",
            [],
            |r| r.get(0),
        )?)
    }

    /// `PRAGMA integrity_check` of the profile database.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}
