//! Signing in the pushes that arrive together: the sessions, roles and
//! device keys of a whole batch of pushes in three queries
//! ([`authenticate_many`]), on one worker thread (`kernel::batcher`),
//! instead of three queries and a connection per push. What each push is
//! told is what [`auth::authenticate`] would tell it.

use tokio::sync::oneshot;

use crate::auth::{self, Actor};
use crate::db::Conn;
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
        .and_then(|mut c| authenticate_many(&st, &mut *c, &tokens));
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

/// A signed-in actor and their device keys (hex, bound at: see
/// [`auth::device_keys`]).
pub type SignedIn = (Actor, Vec<(String, i64)>);

/// [`auth::authenticate`] and [`auth::device_keys`] for many tokens at once, in three
/// queries whatever their number (`push_auth`): each token's actor and
/// keys, or why it is refused — the same answers as one by one.
pub fn authenticate_many(
    st: &AppState,
    c: &mut dyn Conn,
    tokens: &[String],
) -> AppResult<Vec<AppResult<SignedIn>>> {
    let hashes: Vec<String> = tokens
        .iter()
        .map(|t| crate::crypto::sha256_hex(t.as_bytes()))
        .collect();
    let sessions: Vec<crate::db::Row> = crate::db::load_in(c, &hashes, &[], |list| {
        format!("{} WHERE s.token_hash IN ({list})", auth::SESSION_SELECT)
    })?;
    let mut users: Vec<String> = Vec::new();
    for r in &sessions {
        let u: String = r.get("user_id")?;
        if !users.contains(&u) {
            users.push(u);
        }
    }
    let roles: Vec<crate::db::Row> = crate::db::load_in(c, &users, &[], |list| {
        format!(
            "SELECT user_id, role, locality, body FROM roles WHERE user_id IN ({list})
             ORDER BY user_id, role, locality, body"
        )
    })?;
    let keys: Vec<crate::db::Row> = crate::db::load_in(c, &users, &[], |list| {
        format!(
            "SELECT user_id, public_key, id, bound FROM devices WHERE revoked = 0 AND user_id IN ({list})
             ORDER BY user_id, id"
        )
    })?;
    let mut out = Vec::with_capacity(tokens.len());
    for hash in &hashes {
        let one = || -> AppResult<SignedIn> {
            let row = sessions
                .iter()
                .find(|r| r.get::<String>("token_hash").is_ok_and(|h| h == *hash))
                .ok_or_else(auth::unknown_session)?;
            auth::session_usable(st, row)?;
            let user: String = row.get("user_id")?;
            let device: String = row.get("device_id")?;
            let mine = |r: &&crate::db::Row| r.get::<String>("user_id").is_ok_and(|u| u == user);
            let actor = auth::actor_from(&user, &device, row, roles.iter().filter(mine))?;
            let mut own = Vec::new();
            for r in keys.iter().filter(mine) {
                let key = (r.get::<String>("public_key")?, r.get::<i64>("bound")?);
                if r.get::<String>("id")? == device {
                    own.insert(0, key);
                } else {
                    own.push(key);
                }
            }
            Ok((actor, own))
        };
        out.push(one());
    }
    Ok(out)
}
