//! The sync engine: upload photos (resumable), push the outbox in
//! batches, pull changes since the cursor. Every step is restartable: a
//! crash or a dropped connection at any point leaves the outbox in a state
//! from which the next sync continues, and re-sent ops carry their original
//! ids, so the server applies each at most once.

use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use dauys_proto::{Entity, ErrorCode, Op, PullRequest, PullResponse};
pub use tokio_util::sync::CancellationToken;

use crate::db::now_ms;
use crate::error::{CoreError, Result};
use crate::net::Wire;
use crate::profile::kv::{self, Meta};
use crate::profile::mirror::Mirror;
use crate::profile::uploads::Uploads;
use crate::profile::Profile;

/// Progress reported to the UI while syncing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    Started {
        pending: i64,
    },
    Uploading {
        upload_id: String,
        sent: u64,
        total: u64,
    },
    Pushed {
        accepted: usize,
        rejected: usize,
        remaining: i64,
    },
    Pulled {
        changes: usize,
        cursor: String,
    },
    Retrying {
        attempt: u32,
        delay_ms: u64,
        error: String,
    },
    Bytes {
        up: u64,
        down: u64,
    },
}

pub type ProgressFn = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

/// How a sync runs.
#[derive(Clone)]
pub struct SyncOptions {
    /// Ops per push request (the server allows up to 500).
    pub batch_size: usize,
    /// Uncompressed JSON bytes per push request, at most.
    pub batch_bytes: usize,
    /// Bytes per upload PATCH (64 KiB suits 2G; the server allows 1 MiB).
    pub chunk_size: usize,
    /// Tries per sync before giving up with "queued, not delivered".
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Pull after pushing.
    pub pull: bool,
    pub pull_limit: u32,
    pub progress: Option<ProgressFn>,
    pub cancel: CancellationToken,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch_size: 200,
            batch_bytes: 1024 * 1024,
            chunk_size: 64 * 1024,
            max_attempts: 6,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            pull: true,
            pull_limit: 1000,
            progress: None,
            cancel: CancellationToken::new(),
        }
    }
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("batch_size", &self.batch_size)
            .field("chunk_size", &self.chunk_size)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SyncReport {
    pub accepted: usize,
    pub rejected: usize,
    pub pulled: usize,
    pub media_uploaded: usize,
    /// Bytes put on / taken off the wire (bodies as sent, headers estimated).
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub requests: u64,
    pub attempts: u32,
    /// Ops still not answered by the server (0: everything delivered).
    pub remaining: i64,
    pub cancelled: bool,
    /// The last transient error when giving up.
    pub last_error: Option<String>,
}

impl SyncReport {
    /// Everything queued has been answered (accepted or rejected).
    pub fn delivered(&self) -> bool {
        self.remaining == 0 && !self.cancelled
    }
}

struct Run<'a> {
    p: &'a Profile,
    o: &'a SyncOptions,
    report: SyncReport,
}

impl Run<'_> {
    fn emit(&self, e: SyncEvent) {
        if let Some(f) = &self.o.progress {
            f(&e);
        }
    }

    async fn guard<T>(&self, fut: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            _ = self.o.cancel.cancelled() => Err(CoreError::Cancelled),
            r = fut => r,
        }
    }

    fn add_wire(&mut self, w: Wire) {
        self.report.bytes_up += w.up;
        self.report.bytes_down += w.down;
        self.report.requests += 1;
        self.emit(SyncEvent::Bytes {
            up: self.report.bytes_up,
            down: self.report.bytes_down,
        });
    }

    async fn upload_media(&mut self, token: &str) -> Result<()> {
        let rows = {
            let c = self.p.conn();
            let unanswered = self.p.outbox_store(&c).unanswered_ids()?;
            Uploads::new(&c).pending(&unanswered)?
        };
        for u in rows {
            let (id, file, length, media_type) = (u.id, u.file, u.length, u.media_type);
            let data = self.p.cipher.open(&std::fs::read(&file)?)?;
            let total = data.len() as u64;
            if total != length as u64 {
                return Err(CoreError::Invalid(format!("photo {id} changed on disk")));
            }
            let mut w = Wire::default();
            let api = self.p.api.clone();
            let r = self
                .guard(api.upload_create(token, &id, total, &media_type, &mut w))
                .await;
            self.add_wire(w);
            let mut offset = r?;
            // The offset is the server's: a resumed upload continues there.
            tracing::info!(upload = %id, offset, total, "upload starts at the server's offset");
            while offset < total {
                let end = (offset + self.o.chunk_size as u64).min(total);
                let chunk = data[offset as usize..end as usize].to_vec();
                let len = chunk.len() as i64;
                Uploads::new(&self.p.conn()).add_sent(&id, len)?;
                let mut w = Wire::default();
                let r = self
                    .guard(api.upload_patch(token, &id, offset, chunk, &mut w))
                    .await;
                self.add_wire(w);
                offset = match r {
                    Ok(o) => o,
                    // Our idea of the offset is stale (a lost response): ask.
                    Err(CoreError::Api { status: 409, .. }) => {
                        let mut w = Wire::default();
                        let r = self.guard(api.upload_head(token, &id, &mut w)).await;
                        self.add_wire(w);
                        r?
                    }
                    Err(e) => return Err(e),
                };
                Uploads::new(&self.p.conn()).set_acked(&id, offset as i64)?;
                self.emit(SyncEvent::Uploading {
                    upload_id: id.clone(),
                    sent: offset,
                    total,
                });
            }
            Uploads::new(&self.p.conn()).complete(&id)?;
            self.report.media_uploaded += 1;
        }
        Ok(())
    }

    /// Next batch: pending ops in order whose photos are all uploaded; and
    /// whether more such ops wait behind it.
    fn next_batch(&self) -> Result<(Vec<Op>, bool)> {
        let c = self.p.conn();
        let blocked = Uploads::new(&c).blocked_ops()?;
        self.p
            .outbox_store(&c)
            .next_batch(&blocked, self.o.batch_size, self.o.batch_bytes)
    }

    /// The pull to ride on the last push batch, if this sync pulls and the
    /// mirror is initialised (a fresh one fetches localities first).
    fn riding_pull(&self) -> Result<Option<PullRequest>> {
        if !self.o.pull {
            return Ok(None);
        }
        let c = self.p.conn();
        let since = kv::cursor(&c)?;
        if Mirror::new(&c).is_empty()? || since == "0" {
            // A pull from the start fetches the places first: separately.
            return Ok(None);
        }
        drop(c);
        Ok(Some(PullRequest {
            since,
            follow: self.p.follows()?,
            limit: Some(self.o.pull_limit),
            v: Some(dauys_proto::ENTITY_VERSION),
        }))
    }

    /// Applies a page of changes; true when nothing more is waiting.
    fn apply_page(&mut self, since: &str, resp: &PullResponse) -> Result<bool> {
        let n = resp.changes.len();
        apply_pull(self.p, resp)?;
        self.report.pulled += n;
        self.emit(SyncEvent::Pulled {
            changes: n,
            cursor: resp.cursor.clone(),
        });
        Ok(!resp.more || n == 0 && resp.cursor == since)
    }

    /// Pushes the outbox in batches. The last batch carries the pull
    /// (one round trip for delivery and refresh); returns true when that
    /// pull is complete, so no separate pull is needed.
    async fn push(&mut self, token: &str) -> Result<bool> {
        let mut pulled = false;
        loop {
            let (batch, more) = self.next_batch()?;
            if batch.is_empty() {
                return Ok(pulled);
            }
            let ride = if more { None } else { self.riding_pull()? };
            let was_queued = {
                let c = self.p.conn();
                let tx = c.unchecked_transaction()?;
                let ob = self.p.outbox_store(&tx);
                let was_queued = ob.queued_ids()?;
                ob.mark_sending(&batch)?;
                tx.commit()?;
                was_queued
            };
            let mut w = Wire::default();
            let api = self.p.api.clone();
            let since = ride.as_ref().map(|r| r.since.clone());
            let r = self.guard(api.push(token, &batch, ride, &mut w)).await;
            self.add_wire(w);
            if let Err(CoreError::Unreachable(_)) = &r {
                // Nothing left the device: these ops are still just queued.
                let c = self.p.conn();
                let tx = c.unchecked_transaction()?;
                self.p.outbox_store(&tx).unsend(&batch, &was_queued)?;
                tx.commit()?;
            }
            let resp = r?;
            let (a, j) = self.p.record_results(&resp.results, &batch)?;
            self.report.accepted += a;
            self.report.rejected += j;
            let remaining = self.p.pending_count()?;
            self.emit(SyncEvent::Pushed {
                accepted: a,
                rejected: j,
                remaining,
            });
            // A server that does not know `pull` ignores it: pull separately.
            pulled = match (&since, &resp.changes) {
                (Some(since), Some(page)) => self.apply_page(since, page)?,
                _ => false,
            };
            if a + j == 0 {
                // The server answered nothing we could record: avoid a hot loop.
                return Err(CoreError::Net("push made no progress".into()));
            }
        }
    }

    async fn pull(&mut self, token: Option<&str>) -> Result<()> {
        let api = self.p.api.clone();
        // The places come whole with a pull from the start: a new profile's,
        // or one after an update that reads more of them (their centres and
        // routing help came with entity version 2).
        let from_start = {
            let c = self.p.conn();
            Mirror::new(&c).is_empty()? || kv::cursor(&c)? == "0"
        };
        if from_start {
            let mut w = Wire::default();
            let r = self.guard(api.localities()).await;
            w.up += 200;
            self.add_wire(w);
            let ls = r?;
            let c = self.p.conn();
            let tx = c.unchecked_transaction()?;
            let m = Mirror::new(&tx);
            for l in &ls {
                m.apply(&self.p.cipher, &Entity::Locality(l.clone()))?;
            }
            tx.commit()?;
        }
        let follows = self.p.follows()?;
        loop {
            let since = kv::cursor(&self.p.conn())?;
            let mut w = Wire::default();
            let r = self
                .guard(api.pull(token, &since, &follows, self.o.pull_limit, &mut w))
                .await;
            self.add_wire(w);
            let resp = r?;
            if self.apply_page(&since, &resp)? {
                return Ok(());
            }
        }
    }

    async fn once(&mut self) -> Result<()> {
        let token = self.p.token()?;
        let pending = self.p.pending_count()?;
        let mut pulled = false;
        match token.as_deref() {
            Some(t) => {
                self.upload_media(t).await?;
                pulled = self.push(t).await?;
            }
            None if pending > 0 => return Err(CoreError::NotSignedIn),
            None => {}
        }
        if self.o.pull && !pulled {
            self.pull(token.as_deref().map(|s| s.as_str())).await?;
        }
        Ok(())
    }
}

/// Retry delays: exponential from `backoff_base` up to `backoff_max`,
/// each drawn uniformly from the upper half of its step (jitter spreads
/// the clients that lost the same connection). backon adds a jitter of up
/// to 100 % on top of each step, so it is given half the bounds: steps
/// `base/2 … max/2` plus jitter are delays in `[step, 2·step)`, i.e.
/// `[base/2, base)` first and `[max/2, max)` at most.
fn backoff(o: &SyncOptions) -> impl Iterator<Item = Duration> {
    ExponentialBuilder::default()
        .with_min_delay(o.backoff_base / 2)
        .with_max_delay(o.backoff_max / 2)
        .with_factor(2.0)
        .with_jitter()
        .without_max_times()
        .build()
}

/// Applies a page of changes and advances the cursor in one transaction.
fn apply_pull(p: &Profile, resp: &PullResponse) -> Result<()> {
    let c = p.conn();
    let tx = c.unchecked_transaction()?;
    Mirror::new(&tx).apply_page(&p.cipher, resp)?;
    tx.commit()?;
    Ok(())
}

impl Profile {
    /// Applies a pull response body as received from the server (JSON):
    /// what a sync does with each page. A body that does not decode, or
    /// holds what the mirror refuses, is an error; nothing is half-applied.
    /// Public for the fuzz target (`crates/core/fuzz`).
    #[doc(hidden)]
    pub fn apply_pull_body(&self, body: &[u8]) -> Result<()> {
        let resp: PullResponse = serde_json::from_slice(body)?;
        apply_pull(self, &resp)
    }

    /// Uploads pending photos, pushes the outbox, pulls changes. Transient
    /// failures (network, timeouts, 5xx) are retried with exponential
    /// backoff and jitter up to `max_attempts`; then the report says what
    /// is still undelivered (`remaining`) and why (`last_error`). Errors
    /// that retrying cannot fix (signed out, local database) are returned.
    /// Cancelling `opts.cancel` stops at once and returns a report with
    /// `cancelled: true`; nothing is lost.
    pub async fn sync(&self, opts: &SyncOptions) -> Result<SyncReport> {
        let mut run = Run {
            p: self,
            o: opts,
            report: SyncReport::default(),
        };
        run.emit(SyncEvent::Started {
            pending: self.pending_count()?,
        });
        let mut delays = backoff(opts);
        loop {
            run.report.attempts += 1;
            match run.once().await {
                Ok(()) => {
                    kv::set(&self.conn(), Meta::LastSyncAt, &now_ms().to_string())?;
                    run.report.last_error = None;
                    break;
                }
                Err(CoreError::Cancelled) => {
                    run.report.cancelled = true;
                    break;
                }
                Err(CoreError::Api {
                    code: ErrorCode::Unauthorized,
                    ..
                }) => {
                    self.forget_session()?;
                    return Err(CoreError::NotSignedIn);
                }
                Err(e) if e.is_transient() => {
                    tracing::info!("sync attempt {} failed: {e}", run.report.attempts);
                    run.report.last_error = Some(e.to_string());
                    if run.report.attempts >= opts.max_attempts {
                        break;
                    }
                    let Some(d) = delays.next() else {
                        break;
                    };
                    run.emit(SyncEvent::Retrying {
                        attempt: run.report.attempts,
                        delay_ms: d.as_millis() as u64,
                        error: e.to_string(),
                    });
                    tokio::select! {
                        _ = opts.cancel.cancelled() => { run.report.cancelled = true; break; }
                        _ = tokio::time::sleep(d) => {}
                    }
                }
                Err(e) => return Err(e),
            }
        }
        run.report.remaining = self.pending_count()?;
        // Overdue appeals are a matter of the calendar, not of the server:
        // checked once per sync, online or not.
        self.notice_overdue()?;
        Ok(run.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented delays: `[base/2, base]` first, doubling, never
    /// above `backoff_max`.
    #[test]
    fn backoff_bounds() {
        let o = SyncOptions::default();
        for _ in 0..200 {
            let d: Vec<Duration> = backoff(&o).take(12).collect();
            assert!(
                d[0] >= o.backoff_base / 2 && d[0] <= o.backoff_base,
                "{d:?}"
            );
            assert!(
                d[1] >= o.backoff_base && d[1] <= o.backoff_base * 2,
                "{d:?}"
            );
            assert!(d.iter().all(|x| *x <= o.backoff_max), "{d:?}");
            assert!(d[11] >= o.backoff_max / 2, "{d:?}");
        }
    }
}
