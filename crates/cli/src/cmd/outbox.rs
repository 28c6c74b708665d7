//! Delivery: `sync`, `status`, `outbox`, `drafts`, `submit-draft`,
//! `retry`, `discard`.

use std::sync::Arc;

use dauys_core::*;

use super::{after_queue, parse_op, Outcome};
use crate::args::Cli;
use crate::render::{self, print};

pub struct SyncArgs {
    pub attempts: u32,
    pub chunk_kib: usize,
    pub batch: usize,
    pub no_pull: bool,
}

pub async fn sync(cli: &Cli, p: &Profile, a: &SyncArgs) -> Result<Outcome> {
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c2.cancel();
        }
    });
    let verbose = !cli.json;
    let opts = SyncOptions {
        max_attempts: a.attempts,
        chunk_size: a.chunk_kib.max(1) * 1024,
        batch_size: a.batch,
        pull: !a.no_pull,
        cancel,
        progress: verbose.then(|| {
            Arc::new(|e: &SyncEvent| match e {
                SyncEvent::Pushed {
                    accepted,
                    rejected,
                    remaining,
                } => {
                    eprintln!("pushed: {accepted} accepted, {rejected} rejected, {remaining} left")
                }
                SyncEvent::Retrying {
                    attempt,
                    delay_ms,
                    error,
                } => {
                    eprintln!("try {attempt} failed ({error}); retrying in {delay_ms} ms")
                }
                _ => {}
            }) as Arc<dyn Fn(&SyncEvent) + Send + Sync>
        }),
        ..SyncOptions::default()
    };
    let r = p.sync(&opts).await?;
    print(cli.json, &r, render::sync_report)?;
    Ok(Outcome::queued_if(!r.delivered()))
}

pub fn status(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let s = p.status()?;
    print(cli.json, &s, render::status)?;
    Ok(Outcome::queued_if(s.queued + s.sending > 0))
}

pub fn outbox(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let o = p.outbox()?;
    print(cli.json, &o, |o| render::outbox(o))?;
    Ok(Outcome::queued_if(o.iter().any(|e| e.state.is_pending())))
}

pub fn drafts(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let v = p.drafts()?;
    print(cli.json, &v, |v| render::drafts(v))?;
    Ok(Outcome::Done)
}

pub async fn submit_draft(cli: &Cli, p: &Profile, id: &str) -> Result<Outcome> {
    let op = p.submit_draft(id)?;
    after_queue(cli, p, op).await
}

pub async fn retry(cli: &Cli, p: &Profile, op: &str) -> Result<Outcome> {
    let id = p.retry(parse_op(op)?)?;
    after_queue(cli, p, id).await
}

pub fn discard(p: &Profile, op: &str) -> Result<Outcome> {
    p.discard(parse_op(op)?)?;
    Ok(Outcome::Done)
}

/// Notifications, newest first; `mark_read`: those listed become read.
pub fn notifications(cli: &Cli, p: &Profile, mark_read: bool, limit: u32) -> Result<Outcome> {
    let v = p.notices(limit)?;
    print(cli.json, &v, |v| render::notices(v))?;
    if mark_read {
        if let Some(newest) = v.first() {
            p.mark_notices_read(Some(newest.seq))?;
        }
    }
    Ok(Outcome::Done)
}
