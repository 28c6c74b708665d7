//! Group commit for ballot pushes: the pushes that arrive while a write
//! transaction runs are applied together in the next one.
//!
//! On a voting evening thousands of devices push one ballot each. Alone,
//! each push pays for a whole write transaction — taking the writers'
//! lock, its statements' round trips, the commit — one after the other.
//! Here a request checks its batch (sign-in, signatures, parsing) on its
//! own, then hands it to this instance's one writer thread, which takes
//! every batch waiting, applies them in one transaction (each op still in
//! its own savepoint, so one refused ballot refuses only itself) and
//! answers each. What a push is told is exactly what it would be told
//! alone; only the commit is shared. Ballots refuse before they write, so
//! in a group they go without savepoints, and the op-log rows of the group
//! are written together. If a group fails as a whole (not an
//! op's fault), its batches are applied again one by one, so one batch
//! the database cannot take never fails the others.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use dauys_proto::{Op, OpResult};
use tokio::sync::oneshot;

use crate::auth::Actor;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::kernel::push::{self, AfterCommit, Batch, Prepared};
use crate::state::AppState;

/// At most this many ops in one group: a bounded transaction (and a
/// bounded wait for the pushes behind it).
const MAX_GROUP_OPS: usize = 1_000;

/// A prepared batch waiting for the writer, with where its answer goes.
struct Job {
    /// The state the batch belongs to. Jobs carry it, not the writer
    /// thread: the thread ends when its state is dropped.
    st: AppState,
    actor: Actor,
    ops: Vec<Op>,
    prepared: Prepared,
    reply: oneshot::Sender<AppResult<Vec<OpResult>>>,
}

/// The queue to this instance's writer thread, started on first use.
#[derive(Default)]
pub struct GroupCommit {
    queue: OnceLock<Mutex<mpsc::Sender<Job>>>,
    /// Shared with the writer: groups committed and the pushes in them.
    stats: Arc<Stats>,
}

#[derive(Default)]
struct Stats {
    groups: AtomicU64,
    pushes: AtomicU64,
}

impl GroupCommit {
    /// Applies a prepared batch in the next group and returns its results
    /// once that group has committed.
    pub async fn push(
        &self,
        st: &AppState,
        actor: Actor,
        ops: Vec<Op>,
        prepared: Prepared,
    ) -> AppResult<Vec<OpResult>> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            st: st.clone(),
            actor,
            ops,
            prepared,
            reply,
        };
        let queue = self
            .queue
            .get_or_init(|| Mutex::new(start_writer(self.stats.clone())));
        let sent = queue
            .lock()
            .map_err(|_| AppError::Internal("group commit queue poisoned".into()))?
            .send(job);
        if let Err(mpsc::SendError(job)) = sent {
            // The writer is gone (it never is, short of a bug): apply alone.
            return tokio::task::spawn_blocking(move || apply_alone(job))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        answer
            .await
            .map_err(|_| AppError::Internal("the writer dropped a batch".into()))?
    }

    /// Groups applied so far, and the pushes in them (benchmarks print the
    /// mean group).
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.groups.load(Ordering::Relaxed),
            self.stats.pushes.load(Ordering::Relaxed),
        )
    }
}

fn start_writer(stats: Arc<Stats>) -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel::<Job>();
    let spawned = std::thread::Builder::new()
        .name("dauys-group-commit".into())
        .spawn(move || writer(rx, &stats));
    if let Err(e) = spawned {
        // Sends then fail, and each batch is applied alone.
        tracing::error!(error = %e, "group commit writer not started");
    }
    tx
}

/// The writer: waits for a batch, takes every other one waiting (up to
/// [`MAX_GROUP_OPS`]), applies them together. Ends when the state's last
/// sender is dropped.
fn writer(rx: mpsc::Receiver<Job>, stats: &Stats) {
    while let Ok(first) = rx.recv() {
        let mut n = first.ops.len();
        let mut jobs = vec![first];
        while n < MAX_GROUP_OPS {
            match rx.try_recv() {
                Ok(j) => {
                    n += j.ops.len();
                    jobs.push(j);
                }
                Err(_) => break,
            }
        }
        stats.groups.fetch_add(1, Ordering::Relaxed);
        stats.pushes.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        // A panic fails this group's requests (their answers are dropped),
        // never the writer.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| apply_group(jobs)));
        if run.is_err() {
            tracing::error!("a group of ballot pushes panicked; its requests failed");
        }
    }
}

/// One group: one transaction for all; if it fails as a whole, each batch
/// on its own.
fn apply_group(jobs: Vec<Job>) {
    let Some(st) = jobs.first().map(|j| j.st.clone()) else {
        return;
    };
    let mut c = match st.pool.get() {
        Ok(c) => c,
        Err(e) => {
            for j in jobs {
                let _ = j.reply.send(Err(AppError::Db(db::DbError::Other(format!(
                    "no database connection: {e}"
                )))));
            }
            return;
        }
    };
    let batches: Vec<Batch> = jobs
        .iter()
        .map(|j| Batch {
            actor: &j.actor,
            ops: &j.ops,
            prepared: &j.prepared,
        })
        .collect();
    match commit(&st, &mut *c, &batches, true) {
        Ok(results) => {
            drop(batches);
            for (j, r) in jobs.into_iter().zip(results) {
                let _ = j.reply.send(Ok(r));
            }
        }
        Err(e) => {
            // Not one op's rejection: applied again push by push, each op
            // in its savepoint, so only what fails is refused.
            tracing::warn!(error = %e, pushes = jobs.len(), "group failed; applying its pushes one by one");
            drop(batches);
            for j in jobs {
                let batch = [Batch {
                    actor: &j.actor,
                    ops: &j.ops,
                    prepared: &j.prepared,
                }];
                let r =
                    commit(&st, &mut *c, &batch, false).map(|mut r| r.pop().unwrap_or_default());
                let _ = j.reply.send(r);
            }
        }
    }
}

/// `batches` in one write transaction (`lean`: see
/// [`push::apply_batches`]), then what follows its commit.
fn commit(
    st: &AppState,
    c: &mut dyn db::Conn,
    batches: &[Batch],
    lean: bool,
) -> AppResult<Vec<Vec<OpResult>>> {
    let mut after = AfterCommit::default();
    let results = db::write_tx(c, |c| {
        after = AfterCommit::default();
        push::apply_batches(st, c, batches, None, lean, &mut after)
    })?;
    // Committed: the answers stand whatever follows (a vote left uncounted
    // here is counted at start-up).
    if let Err(e) = after.run(st, c) {
        tracing::warn!(error = %e, "after a group commit");
    }
    Ok(results)
}

/// A job applied on the calling thread (no writer to take it).
fn apply_alone(job: Job) -> AppResult<Vec<OpResult>> {
    let mut c = job.st.pool.get()?;
    let batch = [Batch {
        actor: &job.actor,
        ops: &job.ops,
        prepared: &job.prepared,
    }];
    commit(&job.st, &mut *c, &batch, false).map(|mut r| r.pop().unwrap_or_default())
}
