//! Group commit for ballot pushes: the pushes that arrive while a write
//! transaction runs are applied together in the next one.
//!
//! Alone, each push of one ballot pays for a whole write transaction —
//! taking the writers' lock, its statements' round trips, the commit — one
//! after the other. Here a request checks its batch (sign-in, signatures,
//! parsing) on its own, then hands it to this instance's writer thread
//! (`kernel::batcher`), which applies every batch waiting in one
//! transaction and answers each: exactly what it would be told alone. A
//! refused ballot refuses only itself (ballots refuse before they write,
//! so in a group they need no savepoint), and the group's op-log rows are
//! written together. If a group fails as a whole (not an op's rejection),
//! its batches are applied again one by one, each op in its savepoint, so
//! one batch the database cannot take never fails the others.

use dauys_proto::{Op, OpResult};
use tokio::sync::oneshot;

use crate::auth::Actor;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::kernel::batcher::{Batcher, Weighed};
use crate::kernel::push::{self, AfterCommit, Batch, Prepared};
use crate::state::AppState;

/// At most this many ops in one group: a bounded transaction (and a
/// bounded wait for the pushes behind it).
const MAX_GROUP_OPS: usize = 1_000;

/// A prepared batch waiting for the writer, with where its answer goes.
struct Job {
    /// The state the batch belongs to (jobs carry it, not the writer).
    st: AppState,
    actor: Actor,
    ops: Vec<Op>,
    prepared: Prepared,
    reply: oneshot::Sender<AppResult<Vec<OpResult>>>,
}

impl Weighed for Job {
    fn weight(&self) -> usize {
        self.ops.len()
    }
}

/// This instance's writer of ballot groups.
pub struct GroupCommit(Batcher<Job>);

impl Default for GroupCommit {
    fn default() -> Self {
        GroupCommit(Batcher::new(
            "dauys-group-commit",
            MAX_GROUP_OPS,
            apply_group,
        ))
    }
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
        if let Err(job) = self.0.send(job) {
            return tokio::task::spawn_blocking(move || apply_alone(job))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        answer
            .await
            .map_err(|_| AppError::Internal("the writer dropped a batch".into()))?
    }

    /// Groups committed so far, and the pushes in them.
    pub fn stats(&self) -> (u64, u64) {
        self.0.stats()
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
