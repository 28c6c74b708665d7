//! Drafts (autosaved inputs and refused ops' content) and their photos,
//! prepared and sealed in `media/<id>.bin`. Owns the SQL of the `drafts`
//! and `draft_media` tables.

use std::path::PathBuf;

use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::uploads::Prepared;
use super::{remove_files, Profile};
use crate::crypto::Cipher;
use crate::db::now_ms;
use crate::error::{CoreError, Result};
use crate::model::{Draft, DraftContent, DraftPhoto, Rejection};

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

/// A draft row before its sealed columns are opened.
struct DraftRow {
    id: String,
    data: Vec<u8>,
    rejection: Option<Vec<u8>>,
    created_at: i64,
    updated_at: i64,
}

fn draft_row(r: &Row) -> rusqlite::Result<DraftRow> {
    Ok(DraftRow {
        id: r.get(0)?,
        data: r.get(1)?,
        rejection: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

pub(crate) struct Drafts<'c> {
    c: &'c Connection,
    cipher: &'c Cipher,
}

impl<'c> Drafts<'c> {
    pub fn new(c: &'c Connection, cipher: &'c Cipher) -> Self {
        Drafts { c, cipher }
    }

    pub fn save(&self, id: &str, content: &DraftContent) -> Result<()> {
        self.c.execute(
            "INSERT INTO drafts (id, kind, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data, updated_at = excluded.updated_at",
            params![id, content.kind(), self.cipher.seal_json(content)?, now_ms()],
        )?;
        Ok(())
    }

    /// Stores a refused op's content as a new draft; returns its id.
    pub fn insert_rejected(&self, content: &DraftContent, rejection: &Rejection) -> Result<String> {
        let id = Uuid::now_v7().to_string();
        self.c.execute(
            "INSERT INTO drafts (id, kind, data, rejection, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                id,
                content.kind(),
                self.cipher.seal_json(content)?,
                self.cipher.seal_json(rejection)?,
                now_ms()
            ],
        )?;
        Ok(id)
    }

    fn decode(&self, row: DraftRow) -> Result<Draft> {
        Ok(Draft {
            photos: self.photos(&row.id)?,
            content: self.cipher.open_json(&row.data)?,
            rejection: row
                .rejection
                .map(|r| self.cipher.open_json(&r))
                .transpose()?,
            id: row.id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    pub fn list(&self) -> Result<Vec<Draft>> {
        let rows: Vec<DraftRow> = {
            let mut st = self.c.prepare_cached(
                "SELECT id, data, rejection, created_at, updated_at FROM drafts ORDER BY updated_at DESC",
            )?;
            let r = st
                .query_map([], draft_row)?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        rows.into_iter().map(|r| self.decode(r)).collect()
    }

    pub fn get(&self, id: &str) -> Result<Option<Draft>> {
        self.c
            .query_row(
                "SELECT id, data, rejection, created_at, updated_at FROM drafts WHERE id = ?1",
                [id],
                draft_row,
            )
            .optional()?
            .map(|r| self.decode(r))
            .transpose()
    }

    pub fn count(&self) -> Result<i64> {
        Ok(self
            .c
            .query_row("SELECT COUNT(*) FROM drafts", [], |r| r.get(0))?)
    }

    /// Deletes a draft and its photo rows; returns the photos' files, to
    /// delete once the transaction has committed.
    pub fn delete(&self, media_dir: &MediaDir, id: &str) -> Result<Vec<PathBuf>> {
        self.c.execute("DELETE FROM drafts WHERE id = ?1", [id])?;
        let ids = self.photo_ids(id)?;
        self.c
            .execute("DELETE FROM draft_media WHERE draft_id = ?1", [id])?;
        Ok(ids.iter().map(|i| media_dir.file(i)).collect())
    }

    fn photo_ids(&self, draft: &str) -> Result<Vec<String>> {
        let mut st = self
            .c
            .prepare_cached("SELECT id FROM draft_media WHERE draft_id = ?1 ORDER BY seq")?;
        let r = st
            .query_map([draft], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(r)
    }

    /// Moves a draft's sealed photos out of the draft (to become an op's
    /// uploads): the sealed files stay where they are, only their rows
    /// move, so nothing is decrypted or written again (never in clear).
    pub fn take_photos(&self, media_dir: &MediaDir, draft: &str) -> Result<Vec<Prepared>> {
        let rows: Vec<(String, i64)> = {
            let mut st = self.c.prepare_cached(
                "SELECT id, length FROM draft_media WHERE draft_id = ?1 ORDER BY seq",
            )?;
            let r = st
                .query_map([draft], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            r
        };
        self.c
            .execute("DELETE FROM draft_media WHERE draft_id = ?1", [draft])?;
        Ok(rows
            .into_iter()
            .map(|(id, len)| Prepared {
                file: media_dir.file(&id),
                id,
                len: u64::try_from(len).unwrap_or(0),
            })
            .collect())
    }

    /// Checks that draft `id` exists, takes photos (appeal or proposal) and
    /// has room for one more ([`dauys_proto::limits::MAX_MEDIA_PER_ITEM`]).
    pub fn check_photo_room(&self, id: &str) -> Result<()> {
        let data: Option<Vec<u8>> = self
            .c
            .query_row("SELECT data FROM drafts WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let data = data.ok_or_else(|| CoreError::NotFound(format!("draft {id}")))?;
        let already = match self.cipher.open_json::<DraftContent>(&data)? {
            DraftContent::Appeal(a) => a.photos.len() + a.appeal.media.len(),
            DraftContent::Proposal(p) => p.photos.len() + p.proposal.media.len(),
            _ => {
                return Err(CoreError::Invalid(
                    "only appeal and proposal drafts take photos".into(),
                ))
            }
        };
        let sealed: i64 = self.c.query_row(
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

    fn touch(&self, draft_id: &str) -> Result<()> {
        self.c.execute(
            "UPDATE drafts SET updated_at = ?2 WHERE id = ?1",
            params![draft_id, now_ms()],
        )?;
        Ok(())
    }

    pub fn add_photo(&self, draft_id: &str, id: &str, len: u64, name: &str) -> Result<()> {
        self.c.execute(
            "INSERT INTO draft_media (id, draft_id, length, name) VALUES (?1, ?2, ?3, ?4)",
            params![id, draft_id, len as i64, self.cipher.seal(name.as_bytes())],
        )?;
        self.touch(draft_id)
    }

    pub fn photos(&self, draft_id: &str) -> Result<Vec<DraftPhoto>> {
        let rows: Vec<(String, i64, Vec<u8>)> = {
            let mut st = self.c.prepare_cached(
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

    pub fn has_photo(&self, draft_id: &str, photo_id: &str) -> Result<bool> {
        Ok(self.c.query_row(
            "SELECT EXISTS (SELECT 1 FROM draft_media WHERE id = ?1 AND draft_id = ?2)",
            params![photo_id, draft_id],
            |r| r.get(0),
        )?)
    }

    /// True when the photo was there.
    pub fn remove_photo(&self, draft_id: &str, photo_id: &str) -> Result<bool> {
        let n = self.c.execute(
            "DELETE FROM draft_media WHERE id = ?1 AND draft_id = ?2",
            params![photo_id, draft_id],
        )?;
        if n > 0 {
            self.touch(draft_id)?;
        }
        Ok(n > 0)
    }
}

/// The profile's `media/` directory of sealed prepared photos (queued and
/// drafts').
#[derive(Debug, Clone)]
pub(crate) struct MediaDir(pub PathBuf);

impl MediaDir {
    pub fn file(&self, id: &str) -> PathBuf {
        self.0.join(format!("{id}.bin"))
    }
}

impl Profile {
    pub(crate) fn drafts_store<'c>(&'c self, c: &'c Connection) -> Drafts<'c> {
        Drafts::new(c, &self.cipher)
    }

    /// Creates or updates (autosave) a draft; returns its id.
    pub fn save_draft(&self, id: Option<&str>, content: &DraftContent) -> Result<String> {
        let id = id
            .map(String::from)
            .unwrap_or_else(|| Uuid::now_v7().to_string());
        self.drafts_store(&self.conn()).save(&id, content)?;
        Ok(id)
    }

    pub fn drafts(&self) -> Result<Vec<Draft>> {
        self.drafts_store(&self.conn()).list()
    }

    pub fn draft(&self, id: &str) -> Result<Draft> {
        self.drafts_store(&self.conn())
            .get(id)?
            .ok_or_else(|| CoreError::NotFound(format!("draft {id}")))
    }

    /// Deletes a draft and its photos (rows and sealed files).
    pub fn delete_draft(&self, id: &str) -> Result<()> {
        let files = {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            let files = self.drafts_store(&tx).delete(&self.media, id)?;
            tx.commit()?;
            files
        };
        remove_files(&files);
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
        self.drafts_store(&self.conn()).check_photo_room(draft_id)?;
        let jpeg = Zeroizing::new(crate::media::prepare_photo_bytes(data)?);
        let name = display_name(name);
        let id = Uuid::now_v7().to_string();
        let file = self.media.file(&id);
        crate::crypto::write_private(&file, &self.cipher.seal(&jpeg))?;
        let stored = (|| -> Result<()> {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            let d = self.drafts_store(&tx);
            // Again under the lock: the draft may have gone meanwhile.
            d.check_photo_room(draft_id)?;
            d.add_photo(draft_id, &id, jpeg.len() as u64, &name)?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = stored {
            remove_files(&[file]);
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
        self.drafts_store(&self.conn()).photos(draft_id)
    }

    /// The prepared JPEG of a draft's photo, decrypted in memory (e.g. for
    /// a thumbnail). Never written anywhere in clear.
    pub fn draft_photo(&self, draft_id: &str, photo_id: &str) -> Result<Vec<u8>> {
        if !self
            .drafts_store(&self.conn())
            .has_photo(draft_id, photo_id)?
        {
            return Err(CoreError::NotFound(format!(
                "photo {photo_id} of draft {draft_id}"
            )));
        }
        self.cipher.open(&std::fs::read(self.media.file(photo_id))?)
    }

    /// Removes a photo from a draft and deletes its file. Removing a photo
    /// that is not (or no longer) there is not an error.
    pub fn remove_draft_photo(&self, draft_id: &str, photo_id: &str) -> Result<()> {
        let removed = {
            let c = self.conn();
            let tx = c.unchecked_transaction()?;
            let removed = self.drafts_store(&tx).remove_photo(draft_id, photo_id)?;
            tx.commit()?;
            removed
        };
        if removed {
            remove_files(&[self.media.file(photo_id)]);
        }
        Ok(())
    }
}
