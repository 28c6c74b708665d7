//! The home directory: several profiles on one device, switching,
//! sign-out, kiosk idle sign-out and wipe.
//!
//! Layout: `HOME/profiles.json` (list, active profile; no personal data),
//! `HOME/profiles.lock` (advisory lock serializing changes to the list
//! between processes, e.g. the app and the `dauys` CLI),
//! `HOME/profiles/<id>/profile.db` + `media/` (one database per profile),
//! `HOME/keys/<id>.key` (only for profiles whose key is not in the OS keyring).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2_like::tag_of;

use crate::crypto::{self, KeyStorePolicy};
use crate::db::now_ms;
use crate::error::{CoreError, Result};
use crate::net::NetConfig;
use crate::profile::components::{LocalComponent, Registry};
use crate::profile::{Profile, ProfileInfo};
use crate::sync::SyncOptions;

mod sha2_like {
    /// A short keyed tag of an IIN (not reversible without the home salt).
    pub fn tag_of(salt: &str, iin: &str) -> String {
        use std::hash::{Hash, Hasher};
        // Two independent SipHash passes keyed by the salt: enough to find
        // the profile again, too short to serve as an IIN index.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        iin.trim().hash(&mut h);
        let a = h.finish();
        let mut h2 = std::collections::hash_map::DefaultHasher::new();
        iin.trim().hash(&mut h2);
        salt.hash(&mut h2);
        format!("{:016x}{:08x}", a, h2.finish() as u32)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct HomeFile {
    active: Option<String>,
    salt: String,
    profiles: Vec<ProfileInfo>,
}

/// Settings of a home.
#[derive(Clone)]
pub struct HomeConfig {
    pub net: NetConfig,
    pub keys: KeyStorePolicy,
    /// Kiosk profiles are signed out after this long without activity.
    pub kiosk_idle: Duration,
    /// Components beside the built-in ones: the one place a component from
    /// outside this crate is registered on the client. Every profile
    /// opened by the home uses them; [`Home::open`] refuses two components
    /// claiming one name or op kind.
    pub components: Vec<Arc<dyn LocalComponent>>,
}

impl Default for HomeConfig {
    fn default() -> Self {
        HomeConfig {
            net: NetConfig::default(),
            keys: KeyStorePolicy::from_env(),
            kiosk_idle: Duration::from_secs(120),
            components: Vec::new(),
        }
    }
}

impl std::fmt::Debug for HomeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.components.iter().map(|c| c.name()).collect();
        f.debug_struct("HomeConfig")
            .field("net", &self.net)
            .field("keys", &self.keys)
            .field("kiosk_idle", &self.kiosk_idle)
            .field("components", &names)
            .finish()
    }
}

/// What [`Home::sign_out`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOutOutcome {
    /// Session forgotten; data kept (sealed) for the next sign-in.
    SignedOut,
    /// Kiosk profile with nothing pending: wiped.
    Wiped,
    /// Kiosk profile with undelivered ops: locked now, wiped once synced.
    WipeWhenSynced,
}

/// A directory holding the device's profiles.
pub struct Home {
    dir: PathBuf,
    cfg: HomeConfig,
    /// `cfg.components` with the built-ins, checked once.
    components: Arc<Registry>,
}

/// The home's inter-process registry lock, held while alive: an advisory
/// exclusive lock (`flock` on Unix, `LockFileEx` on Windows) on
/// `HOME/profiles.lock`, released when the file is closed — also when the
/// process dies.
struct RegistryLock {
    _file: std::fs::File,
}

impl Home {
    pub fn open(dir: impl AsRef<Path>, cfg: HomeConfig) -> Result<Home> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(dir.join("profiles"))?;
        let components = Arc::new(Registry::new(cfg.components.clone())?);
        let h = Home {
            dir,
            cfg,
            components,
        };
        if h.load()?.salt.is_empty() {
            h.modify(|f| {
                // Another process may have set it while we waited for the lock.
                if f.salt.is_empty() {
                    let mut b = [0u8; 16];
                    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut b);
                    f.salt = dauys_proto::hex(&b);
                }
                Ok(())
            })?;
        }
        Ok(h)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn config(&self) -> &HomeConfig {
        &self.cfg
    }

    fn file(&self) -> PathBuf {
        self.dir.join("profiles.json")
    }

    fn load(&self) -> Result<HomeFile> {
        match std::fs::read(self.file()) {
            Ok(b) => Ok(serde_json::from_slice(&b)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HomeFile::default()),
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces `profiles.json` atomically (temp file, fsync, rename, fsync
    /// of the directory): readers see the old or the new list, never a torn
    /// one, so reading needs no lock. Call only under [`Home::lock`].
    fn save(&self, f: &HomeFile) -> Result<()> {
        crypto::write_private(&self.file(), &serde_json::to_vec_pretty(f)?)
    }

    /// Takes the registry lock, blocking until other processes (or other
    /// `Home` instances of this one) release it. Never nest: a second
    /// `lock` from the same thread while one is held would wait forever.
    fn lock(&self) -> Result<RegistryLock> {
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(self.dir.join("profiles.lock"))?;
        // Fully qualified: std's inherent `File::lock` is newer than our MSRV.
        fs4::FileExt::lock(&file)?;
        Ok(RegistryLock { _file: file })
    }

    /// Read-modify-write of the registry under the inter-process lock, so
    /// that concurrent changes (the app and the CLI, two CLI runs) are
    /// never lost. `change` must not call back into methods that modify the
    /// registry.
    fn modify<T>(&self, change: impl FnOnce(&mut HomeFile) -> Result<T>) -> Result<T> {
        let _lock = self.lock()?;
        let mut f = self.load()?;
        let out = change(&mut f)?;
        self.save(&f)?;
        Ok(out)
    }

    pub(crate) fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut ProfileInfo),
    ) -> Result<ProfileInfo> {
        self.modify(|f| {
            let p = f
                .profiles
                .iter_mut()
                .find(|p| p.id == id)
                .ok_or_else(|| CoreError::NoProfile(id.into()))?;
            change(p);
            Ok(p.clone())
        })
    }

    fn keys_dir(&self) -> PathBuf {
        self.dir.join("keys")
    }

    fn profile_dir(&self, id: &str) -> PathBuf {
        self.dir.join("profiles").join(id)
    }

    pub fn profiles(&self) -> Result<Vec<ProfileInfo>> {
        Ok(self.load()?.profiles)
    }

    pub fn active_id(&self) -> Result<Option<String>> {
        Ok(self.load()?.active)
    }

    /// The profile a resident used before on this device, if any.
    pub fn find_by_iin(&self, iin: &str) -> Result<Option<ProfileInfo>> {
        let f = self.load()?;
        let tag = tag_of(&f.salt, iin);
        Ok(f.profiles
            .into_iter()
            .find(|p| p.iin_tag.as_deref() == Some(tag.as_str())))
    }

    /// Creates a profile with a fresh key and database; makes it active.
    pub fn create_profile(
        &self,
        label: &str,
        server: &str,
        kiosk: bool,
        iin: Option<&str>,
    ) -> Result<ProfileInfo> {
        crate::net::check_url(server, self.cfg.net.allow_insecure_http)?;
        let id = uuid::Uuid::now_v7().simple().to_string();
        let key_storage = crypto::create_key(&self.keys_dir(), &id, self.cfg.keys)?;
        let added = self.modify(|f| {
            let info = ProfileInfo {
                id: id.clone(),
                label: label.to_string(),
                server: server.trim_end_matches('/').to_string(),
                kiosk,
                key_storage,
                created_at: now_ms(),
                signed_in: false,
                wipe_when_synced: false,
                last_active_at: now_ms(),
                iin_tag: iin.map(|i| tag_of(&f.salt, i)),
            };
            f.profiles.push(info.clone());
            f.active = Some(id.clone());
            Ok(info)
        });
        if added.is_err() {
            // Do not leave a key behind for a profile that does not exist.
            let _ = crypto::delete_key(&self.keys_dir(), &id, key_storage);
        }
        added
    }

    /// Makes a profile the active one.
    pub fn switch(&self, id: &str) -> Result<()> {
        self.modify(|f| {
            let real = f
                .profiles
                .iter()
                .find(|p| p.id == id || p.label == id)
                .map(|p| p.id.clone())
                .ok_or_else(|| CoreError::NoProfile(id.into()))?;
            f.active = Some(real);
            Ok(())
        })
    }

    /// Opens a profile whatever its state (sign-in, maintenance).
    pub fn open_profile(&self, id: &str) -> Result<Profile> {
        let info = self
            .profiles()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| CoreError::NoProfile(id.into()))?;
        let key = crypto::load_key(&self.keys_dir(), &info.id, info.key_storage)?;
        Profile::open(
            &self.profile_dir(&info.id),
            info,
            key,
            self.cfg.net.clone(),
            self.components.clone(),
        )
    }

    /// Opens the active profile for use; a signed-out profile stays locked
    /// until its owner signs in again.
    pub fn open_active(&self) -> Result<Profile> {
        let id = self.active_id()?.ok_or(CoreError::NoActiveProfile)?;
        let info = self.update(&id, |p| p.last_active_at = now_ms())?;
        if !info.signed_in {
            return Err(CoreError::NotSignedIn);
        }
        self.open_profile(&id)
    }

    /// Marks a profile signed in (after a successful verify).
    pub fn mark_signed_in(&self, id: &str) -> Result<()> {
        self.update(id, |p| {
            p.signed_in = true;
            p.wipe_when_synced = false;
            p.last_active_at = now_ms();
        })?;
        self.switch(id)
    }

    /// Records activity (resets the kiosk idle timer).
    pub fn touch(&self, id: &str) -> Result<()> {
        self.update(id, |p| p.last_active_at = now_ms()).map(|_| ())
    }

    /// Signs a profile out. Ordinary profiles keep their sealed data and
    /// device key (their queued ops stay valid) but need a new sign-in.
    /// Kiosk profiles are wiped at once when nothing is pending, else
    /// locked and wiped by [`Home::maintain`] once their ops are delivered.
    pub async fn sign_out(&self, id: &str) -> Result<SignOutOutcome> {
        let p = self.open_profile(id)?;
        let pending = p.pending_count()?;
        let kiosk = p.info().kiosk;
        let outcome = if kiosk && pending > 0 {
            // Keep the token: it is needed to deliver what is queued.
            self.update(id, |i| {
                i.signed_in = false;
                i.wipe_when_synced = true;
            })?;
            SignOutOutcome::WipeWhenSynced
        } else {
            if let Some(t) = p.token()? {
                // Best effort: offline, the token simply expires.
                let _ = tokio::time::timeout(Duration::from_secs(10), p.api.logout(&t)).await;
            }
            p.forget_session()?;
            drop(p);
            if kiosk {
                self.wipe(id)?;
                SignOutOutcome::Wiped
            } else {
                self.update(id, |i| i.signed_in = false)?;
                SignOutOutcome::SignedOut
            }
        };
        if self.active_id()?.as_deref() == Some(id) {
            self.modify(|f| {
                if f.active.as_deref() == Some(id) {
                    f.active = None;
                }
                Ok(())
            })?;
        }
        Ok(outcome)
    }

    /// Deletes a profile: its database, photos (queued and draft) and key.
    /// Irreversible.
    pub fn wipe(&self, id: &str) -> Result<()> {
        self.modify(|f| {
            let info = f
                .profiles
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or_else(|| CoreError::NoProfile(id.into()))?;
            // Key first: even if deleting files fails half-way, what is left is sealed.
            crypto::delete_key(&self.keys_dir(), id, info.key_storage)?;
            let dir = self.profile_dir(id);
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            f.profiles.retain(|p| p.id != id);
            if f.active.as_deref() == Some(id) {
                f.active = None;
            }
            Ok(())
        })
    }

    /// Kiosk housekeeping, to call periodically (the app: every few
    /// seconds; the CLI: `dauys kiosk tick`): signs out idle kiosk
    /// profiles, syncs signed-out kiosk profiles that still have pending
    /// ops and wipes them once delivered. Returns the ids wiped. A profile
    /// that fails (cannot be opened, cannot be wiped) is logged and left for
    /// the next run: it never keeps the others from being delivered and
    /// wiped, nor a signed-in one from being signed out.
    pub async fn maintain(&self, opts: &SyncOptions) -> Result<Vec<String>> {
        let mut wiped = Vec::new();
        let idle_ms = self.cfg.kiosk_idle.as_millis() as i64;
        for info in self.profiles()? {
            if info.kiosk && info.signed_in && now_ms() - info.last_active_at > idle_ms {
                tracing::info!("kiosk profile {} idle: signing out", info.id);
                match self.sign_out(&info.id).await {
                    Ok(SignOutOutcome::Wiped) => wiped.push(info.id.clone()),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("kiosk profile {}: sign-out failed: {e}", info.id),
                }
            }
        }
        for info in self.profiles()? {
            if !info.wipe_when_synced {
                continue;
            }
            match self.deliver_and_wipe(&info.id, opts).await {
                Ok(true) => wiped.push(info.id.clone()),
                Ok(false) => {}
                Err(e) => tracing::warn!("kiosk profile {}: housekeeping failed: {e}", info.id),
            }
        }
        Ok(wiped)
    }

    /// Syncs a signed-out kiosk profile and wipes it once nothing is
    /// pending; true when wiped.
    async fn deliver_and_wipe(&self, id: &str, opts: &SyncOptions) -> Result<bool> {
        let p = self.open_profile(id)?;
        let report = p.sync(opts).await;
        if p.pending_count()? > 0 {
            if let Err(e) = report {
                tracing::warn!("kiosk profile {id} not delivered yet: {e}");
            }
            return Ok(false);
        }
        if let Some(t) = p.token()? {
            let _ = tokio::time::timeout(Duration::from_secs(10), p.api.logout(&t)).await;
        }
        drop(p);
        self.wipe(id)?;
        Ok(true)
    }
}
