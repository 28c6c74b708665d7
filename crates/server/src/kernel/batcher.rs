//! A queue to one worker thread that takes every job waiting at once.
//!
//! On a voting evening thousands of devices push one ballot each. Work
//! that costs a database round trip per push — signing in, committing —
//! costs one per *batch* when the pushes that arrive while the worker is
//! busy are taken together: the busier the server, the larger the batches.
//! Used by `push_auth` (sessions and keys of many pushes in three queries)
//! and `group_commit` (many pushes in one transaction).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

/// How much of a batch's limit a job takes (e.g. its ops).
pub trait Weighed {
    fn weight(&self) -> usize {
        1
    }
}

/// One worker thread per batcher, started on first use. Jobs carry
/// whatever they need (the server state among it), not the thread: it ends
/// when the batcher is dropped.
pub struct Batcher<J> {
    name: &'static str,
    /// A batch closes once its jobs weigh this much.
    limit: usize,
    run: fn(Vec<J>),
    worker: OnceLock<(Mutex<mpsc::Sender<J>>, Arc<Stats>)>,
}

#[derive(Default)]
struct Stats {
    batches: AtomicU64,
    jobs: AtomicU64,
}

impl<J: Weighed + Send + 'static> Batcher<J> {
    /// A batcher whose worker runs `run` on each batch. `run` answers
    /// every job of it (a job dropped unanswered is its caller's error).
    pub fn new(name: &'static str, limit: usize, run: fn(Vec<J>)) -> Batcher<J> {
        Batcher {
            name,
            limit,
            run,
            worker: OnceLock::new(),
        }
    }

    /// Queues `job` for the next batch; gives it back if the worker is
    /// gone (it never is, short of a bug: the caller then does it alone).
    pub fn send(&self, job: J) -> Result<(), J> {
        let (queue, _) = self.worker.get_or_init(|| self.start());
        match queue.lock() {
            Ok(q) => q.send(job).map_err(|mpsc::SendError(job)| job),
            Err(_) => Err(job),
        }
    }

    /// Batches run so far and the jobs in them (benchmarks print the mean).
    pub fn stats(&self) -> (u64, u64) {
        self.worker.get().map_or((0, 0), |(_, s)| {
            (
                s.batches.load(Ordering::Relaxed),
                s.jobs.load(Ordering::Relaxed),
            )
        })
    }

    fn start(&self) -> (Mutex<mpsc::Sender<J>>, Arc<Stats>) {
        let (tx, rx) = mpsc::channel::<J>();
        let stats = Arc::new(Stats::default());
        let (limit, run, counts) = (self.limit, self.run, stats.clone());
        let spawned = std::thread::Builder::new()
            .name(self.name.into())
            .spawn(move || work(&rx, limit, run, &counts));
        if let Err(e) = spawned {
            // Sends then fail, and each caller does its job alone.
            tracing::error!(error = %e, worker = self.name, "worker thread not started");
        }
        (Mutex::new(tx), stats)
    }
}

/// The worker: waits for a job, takes every other one waiting (up to
/// `limit`), runs them together. Ends when the batcher is dropped.
fn work<J: Weighed>(rx: &mpsc::Receiver<J>, limit: usize, run: fn(Vec<J>), stats: &Stats) {
    while let Ok(first) = rx.recv() {
        let mut weight = first.weight();
        let mut jobs = vec![first];
        while weight < limit {
            match rx.try_recv() {
                Ok(j) => {
                    weight += j.weight();
                    jobs.push(j);
                }
                Err(_) => break,
            }
        }
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.jobs.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        // A panic fails this batch's callers (their answers are dropped),
        // never the worker.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(jobs))).is_err() {
            tracing::error!("a batch panicked; its requests failed");
        }
    }
}
