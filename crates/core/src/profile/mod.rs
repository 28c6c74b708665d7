//! One resident's profile: its own database, key, session and outbox.
//!
//! [`Profile`] is a thin front; each part has one job:
//! * [`kv`] — the `meta` / `secrets` key/value stores;
//! * [`session`] — device key, sign-in state, followed localities;
//! * [`actions`] — user actions, queued with their local effect in one
//!   transaction;
//! * [`outbox`] — the outbox state machine (all outbox SQL);
//! * [`uploads`] — the photo upload queue;
//! * [`drafts`] — drafts and their sealed photos;
//! * [`mirror`] — the local mirror of pulled data, with FTS5 search;
//! * [`views`] — personal views (appeals, ballots, comments, status);
//! * [`notices`] — notifications built from pulled changes and answers;
//! * [`public_appeals`] — other residents' public appeals, searchable;
//! * [`receipts`] — "check my ballot" against the published receipts;
//! * [`photos`] — photos fetched when asked for, kept sealed on the device;
//! * [`places`] — the followed localities and the places above them;
//! * [`legacy`] — one-off upgrades of data older versions left;
//! * [`components`] — per-component local effects behind one trait.

mod actions;
pub mod components;
pub(crate) mod drafts;
pub(crate) mod kv;
mod legacy;
pub(crate) mod mirror;
pub mod notices;
pub(crate) mod outbox;
mod photos;
pub mod places;
pub mod public_appeals;
pub mod receipts;
mod session;
pub(crate) mod uploads;
mod views;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use ed25519_dalek::SigningKey;
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::crypto::{Cipher, KeyStorage};
use crate::db;
use crate::error::Result;
use crate::net::{Api, NetConfig};
use components::Registry;
use drafts::MediaDir;
use uploads::Uploads;

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
    media: MediaDir,
    conn: Mutex<Connection>,
    pub(crate) cipher: Cipher,
    pub(crate) api: Api,
    signing: SigningKey,
    /// Built-in and registered components (shared by a home's profiles).
    pub(crate) components: Arc<Registry>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.info.id)
            .finish()
    }
}

/// Deletes files after the transaction that dropped their rows committed.
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

impl Profile {
    pub(crate) fn open(
        dir: &Path,
        info: ProfileInfo,
        key: Zeroizing<[u8; 32]>,
        net: NetConfig,
        components: Arc<Registry>,
    ) -> Result<Profile> {
        std::fs::create_dir_all(dir.join("media"))?;
        let mut conn = db::open(&dir.join("profile.db"))?;
        components.migrate(&mut conn)?;
        let cipher = Cipher::new(&key);
        let api = Api::new(&info.server, net)?;
        let signing = session::device_key(&conn, &cipher)?;
        kv::repull_if_entities_changed(&conn)?;
        Ok(Profile {
            info,
            media: MediaDir(dir.join("media")),
            conn: Mutex::new(conn),
            cipher,
            api,
            signing,
            components,
        })
    }

    pub fn info(&self) -> &ProfileInfo {
        &self.info
    }

    pub fn id(&self) -> &str {
        &self.info.id
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every
        // change is transactional), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes sent for a photo upload so far, and its length (for tests and
    /// diagnostics: resumed uploads re-send less than one chunk).
    pub fn media_bytes_sent(&self, upload_id: &str) -> Result<(i64, i64)> {
        Uploads::new(&self.conn()).bytes_sent(upload_id)
    }

    /// Upload ids of all prepared photos.
    pub fn media_ids(&self) -> Result<Vec<String>> {
        Uploads::new(&self.conn()).ids()
    }

    /// `PRAGMA integrity_check` of the profile database.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}
