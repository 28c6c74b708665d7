//! App state: the core's `Home` (profiles), the open active profile, the
//! app's own settings, the connection status, and the background sync task.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dauys_core::{Home, HomeConfig, Profile, SignIn, SyncEvent, SyncOptions};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;

use crate::dto::{Settings, SyncStatus, EVENT_DATA, EVENT_STATUS};

pub struct Inner {
    pub dir: PathBuf,
    pub home: Mutex<Arc<Home>>,
    /// The signed-in profile in use (opened once: its database stays open).
    pub active: Mutex<Option<Arc<Profile>>>,
    /// A profile in the middle of signing in (code requested, not verified).
    pub signing_in: Mutex<Option<Arc<SignIn>>>,
    pub settings: Mutex<Settings>,
    pub status: Mutex<SyncStatus>,
    pub kick: Notify,
    /// The UI drew its first screen (`ui_ready`): the first sync waits for it.
    pub first_screen: Notify,
    pub default_server: String,
}

pub type AppState = Arc<Inner>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Opens the app's data directory and the core's home in it.
pub fn open(app: &AppHandle) -> Result<AppState, Box<dyn std::error::Error>> {
    {
        // DAUYS_HOME overrides the data directory (tests, several kiosks).
        let dir = match std::env::var_os("DAUYS_HOME") {
            Some(d) => PathBuf::from(d),
            None => app.path().app_data_dir()?,
        };
        std::fs::create_dir_all(&dir)?;
        let default_server =
            std::env::var("DAUYS_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8080".to_string());
        let settings: Settings = std::fs::read(dir.join("app-settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_else(|| Settings {
                server: default_server.clone(),
                ..Settings::default()
            });
        let home = Home::open(dir.join("home"), home_config(&settings))?;
        let active = home
            .active_id()?
            .and_then(|_| home.open_active().ok())
            .map(Arc::new);
        Ok(Arc::new(Inner {
            dir,
            home: Mutex::new(Arc::new(home)),
            active: Mutex::new(active),
            signing_in: Mutex::new(None),
            settings: Mutex::new(settings),
            status: Mutex::new(SyncStatus::default()),
            kick: Notify::new(),
            first_screen: Notify::new(),
            default_server,
        }))
    }
}

pub fn home_config(s: &Settings) -> HomeConfig {
    let mut cfg = HomeConfig::default();
    if s.kiosk_idle_minutes > 0 {
        cfg.kiosk_idle = Duration::from_secs(u64::from(s.kiosk_idle_minutes) * 60);
    }
    cfg
}

impl Inner {
    pub fn home(&self) -> Arc<Home> {
        lock(&self.home).clone()
    }
    pub fn active(&self) -> Option<Arc<Profile>> {
        lock(&self.active).clone()
    }
    pub fn set_active(&self, p: Option<Arc<Profile>>) {
        *lock(&self.active) = p;
    }
    pub fn signing_in(&self) -> Option<Arc<SignIn>> {
        lock(&self.signing_in).clone()
    }
    pub fn set_signing_in(&self, p: Option<Arc<SignIn>>) {
        *lock(&self.signing_in) = p;
    }
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }
    pub fn set_settings(&self, s: Settings) -> std::io::Result<()> {
        let reopen = lock(&self.settings).kiosk_idle_minutes != s.kiosk_idle_minutes;
        std::fs::write(
            self.dir.join("app-settings.json"),
            serde_json::to_vec_pretty(&s).unwrap_or_default(),
        )?;
        *lock(&self.settings) = s.clone();
        if reopen {
            if let Ok(h) = Home::open(self.dir.join("home"), home_config(&s)) {
                *lock(&self.home) = Arc::new(h);
            }
        }
        Ok(())
    }
    pub fn status(&self) -> SyncStatus {
        lock(&self.status).clone()
    }
    pub fn update_status(&self, app: &AppHandle, f: impl FnOnce(&mut SyncStatus)) {
        let s = {
            let mut st = lock(&self.status);
            f(&mut st);
            st.clone()
        };
        let _ = app.emit(EVENT_STATUS, s);
    }
    /// Recounts the active profile's pending ops and unread notifications
    /// and tells the UI.
    pub fn refresh_pending(&self, app: &AppHandle) {
        let p = self.active();
        let pending = p.as_ref().and_then(|p| p.pending_count().ok()).unwrap_or(0);
        let unread = p
            .as_ref()
            .and_then(|p| p.unread_notices().ok())
            .unwrap_or(0);
        self.update_status(app, |s| {
            s.pending = pending.max(0) as u32;
            s.unread = unread.max(0) as u32;
        });
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Runs one sync of the active profile now; returns whether it reached the server.
pub async fn sync_once(app: &AppHandle, st: &AppState) -> bool {
    let Some(p) = st.active() else {
        return false;
    };
    let app2 = app.clone();
    let st2 = st.clone();
    let opts = SyncOptions {
        // The loop below retries; one attempt keeps the banner honest.
        max_attempts: 1,
        progress: Some(Arc::new(move |ev: &SyncEvent| {
            if let SyncEvent::Pushed {
                accepted,
                rejected,
                remaining,
            } = ev
            {
                st2.update_status(&app2, |s| {
                    s.sent += (*accepted + *rejected) as u32;
                    s.pending = (*remaining).max(0) as u32;
                });
            }
        })),
        ..SyncOptions::default()
    };
    st.update_status(app, |s| {
        s.syncing = true;
        s.sent = 0;
    });
    let unread_before = p.unread_notices().unwrap_or(0);
    let result = p.sync(&opts).await;
    let pending = p.pending_count().unwrap_or(0).max(0) as u32;
    let unread = p.unread_notices().unwrap_or(0);
    if unread > unread_before {
        crate::notify::news(app, &p, unread_before);
    }
    let ok = match &result {
        Ok(r) => r.last_error.is_none() && !r.cancelled,
        Err(_) => false,
    };
    let changed = matches!(&result, Ok(r) if r.accepted + r.rejected + r.pulled > 0);
    st.update_status(app, |s| {
        s.syncing = false;
        s.pending = pending;
        s.unread = unread.max(0) as u32;
        if ok {
            s.online = true;
            s.offline_since = None;
            s.last_sync = Some(now_ms());
        } else {
            if s.online || s.offline_since.is_none() {
                s.offline_since = Some(now_ms());
            }
            s.online = false;
        }
    });
    if let Err(e) = &result {
        tracing::warn!("sync failed: {e}");
    }
    if changed {
        let _ = app.emit(EVENT_DATA, ());
    }
    ok
}

/// Syncs when kicked (after every action) and periodically: every 5 s
/// while something waits, every 60 s otherwise; kiosk housekeeping too.
pub fn spawn_sync_loop(app: AppHandle, st: AppState) {
    tauri::async_runtime::spawn(async move {
        // The first screen before the first sync (at most 2 s later): both
        // need the profile's database, and the first screen waiting behind
        // a pull made a signed-in start take twice as long now and then.
        tokio::select! {
            _ = st.first_screen.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
        loop {
            let ok = sync_once(&app, &st).await;
            let home = st.home();
            let wiped = home
                .maintain(&SyncOptions {
                    max_attempts: 1,
                    ..SyncOptions::default()
                })
                .await;
            if let Ok(ids) = wiped {
                if let Some(p) = st.active() {
                    if ids.iter().any(|id| id == p.id()) {
                        st.set_active(None);
                    }
                }
            }
            let pending = st.status().pending;
            let wait = if !ok && st.active().is_some() {
                Duration::from_secs(5)
            } else if pending > 0 {
                Duration::from_secs(3)
            } else {
                Duration::from_secs(60)
            };
            tokio::select! {
                _ = st.kick.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}
