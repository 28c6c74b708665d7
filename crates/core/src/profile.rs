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
                proposal_id: p.proposal_id,
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

    fn prepare_photos(&self, photos: &[PathBuf]) -> Result<Vec<(String, PathBuf, u64)>> {
        let mut out = Vec::new();
        for p in photos {
            let jpeg = crate::media::prepare_photo(p)?;
            let id = Uuid::now_v7().to_string();
            let file = self.dir.join("media").join(format!("{id}.bin"));
            crate::crypto::write_private(&file, &self.cipher.seal(&jpeg))?;
            out.push((id, file, jpeg.len() as u64));
        }
        Ok(out)
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

    fn consume_draft(tx: &Transaction, draft: Option<&str>) -> Result<()> {
        if let Some(d) = draft {
            tx.execute("DELETE FROM drafts WHERE id = ?1", [d])?;
        }
        Ok(())
    }

    fn queue_appeal(&self, input: &AppealInput, draft: Option<&str>) -> Result<Uuid> {
        let new_media = self.prepare_photos(&input.photos)?;
        let mut media = input.media.clone();
        media.extend(new_media.iter().map(|m| m.0.clone()));
        let payload = AppealSubmitPayload {
            appeal_type: input.appeal_type,
            addressee: input.addressee.trim().to_string(),
            subject: input.subject.clone(),
            body: input.body.clone(),
            location: input.location,
            public: input.public,
            media: media.clone(),
        };
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        Self::insert_media(&tx, &new_media)?;
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
        Self::consume_draft(&tx, draft)?;
        tx.commit()?;
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
        Self::consume_draft(&tx, draft)?;
        tx.commit()?;
        Ok(op.id)
    }

    fn queue_proposal(&self, input: &ProposalInput, draft: Option<&str>) -> Result<Uuid> {
        let new_media = self.prepare_photos(&input.photos)?;
        let mut media = input.media.clone();
        media.extend(new_media.iter().map(|m| m.0.clone()));
        let payload = ProposalSubmitPayload {
            cycle_id: input.cycle_id.clone(),
            title: input.title.clone(),
            description: input.description.clone(),
            category: input.category.clone(),
            cost: input.cost,
            location: input.location,
            media,
        };
        self.queue_simple(
            OpKind::ProposalSubmit,
            serde_json::to_value(&payload)?,
            new_media,
            draft,
        )
    }

    fn queue_comment(&self, input: &CommentInput, draft: Option<&str>) -> Result<Uuid> {
        let payload = CommentAddPayload {
            proposal_id: input.proposal_id.clone(),
            body: input.body.clone(),
        };
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

    pub fn delete_draft(&self, id: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM drafts WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Queues the draft's content as a new op (new id, new signature) and
    /// deletes the draft in the same transaction.
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
            if p.proposal_id != proposal_id {
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
                    proposal_id: p.proposal_id,
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
