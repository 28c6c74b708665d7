//! Signing in the pushes that arrive together: the sessions, roles and
//! device keys of a whole batch of pushes in three queries
//! ([`auth::authenticate_many`]), on one worker thread (`kernel::batcher`),
//! instead of three queries and a connection per push. What each push is
//! told is what [`auth::authenticate`] would tell it.

use tokio::sync::oneshot;

use crate::auth::{self, SignedIn};
use crate::error::{AppError, AppResult};
use crate::kernel::batcher::{Batcher, Weighed};
use crate::state::AppState;

/// Tokens signed in by one batch at most (three queries of this many).
const MAX_BATCH: usize = 200;

struct Job {
    st: AppState,
    token: String,
    reply: oneshot::Sender<AppResult<SignedIn>>,
}

impl Weighed for Job {}

/// This instance's sign-in worker for pushes.
pub struct PushAuth(Batcher<Job>);

impl Default for PushAuth {
    fn default() -> Self {
        PushAuth(Batcher::new("dauys-push-auth", MAX_BATCH, sign_in))
    }
}

impl PushAuth {
    /// The actor behind `token` and their device keys.
    pub async fn sign_in(&self, st: &AppState, token: String) -> AppResult<SignedIn> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            st: st.clone(),
            token,
            reply,
        };
        if let Err(job) = self.0.send(job) {
            return crate::http::blocking(st, move |st, c| {
                let actor = auth::authenticate(st, c, &job.token)?;
                let keys = auth::device_keys(c, &actor)?;
                Ok((actor, keys))
            })
            .await;
        }
        answer
            .await
            .map_err(|_| AppError::Internal("the sign-in worker dropped a push".into()))?
    }

    /// Batches so far, and the pushes in them.
    pub fn stats(&self) -> (u64, u64) {
        self.0.stats()
    }
}

fn sign_in(jobs: Vec<Job>) {
    let Some(st) = jobs.first().map(|j| j.st.clone()) else {
        return;
    };
    let tokens: Vec<String> = jobs.iter().map(|j| j.token.clone()).collect();
    let answers = st
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut c| auth::authenticate_many(&st, &mut *c, &tokens));
    match answers {
        Ok(answers) => {
            for (j, a) in jobs.into_iter().zip(answers) {
                let _ = j.reply.send(a);
            }
        }
        Err(e) => {
            // The database failed the batch: each push is told so (503).
            tracing::warn!(error = %e, "signing in a batch of pushes failed");
            for j in jobs {
                let _ = j
                    .reply
                    .send(Err(AppError::Db(crate::db::DbError::Other(e.to_string()))));
            }
        }
    }
}
