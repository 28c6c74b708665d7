//! One module per command group. Each function runs one command and says
//! how it ended ([`Outcome`], mapped to the exit code in `main`).

pub mod appeals;
pub mod budgets;
pub mod comments;
pub mod outbox;
pub mod session;

use dauys_core::*;

use crate::args::Cli;
use crate::render::{print, state_text};

/// How a command ended: `Done` exits 0, `Queued` exits 3.
pub enum Outcome {
    Done,
    Queued,
}

impl Outcome {
    /// `Queued` while something waits to be delivered.
    pub fn queued_if(pending: bool) -> Outcome {
        if pending {
            Outcome::Queued
        } else {
            Outcome::Done
        }
    }
}

pub fn parse_op(s: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|_| CoreError::Invalid(format!("{s} is not an op id")))
}

async fn sync_quietly(p: &Profile, attempts: u32) -> Result<Outcome> {
    let opts = SyncOptions {
        max_attempts: attempts,
        ..SyncOptions::default()
    };
    let r = p.sync(&opts).await?;
    Ok(Outcome::queued_if(!r.delivered()))
}

/// After an action was queued: try to deliver it at once (unless
/// `--offline`), then print its state.
pub async fn after_queue(cli: &Cli, p: &Profile, id: uuid::Uuid) -> Result<Outcome> {
    if !cli.offline {
        match sync_quietly(p, 1).await {
            Ok(_) | Err(CoreError::NotSignedIn) => {}
            Err(e) => return Err(e),
        }
    }
    let state = p.op_state(id)?.unwrap_or(OpState::Queued);
    let mut v = serde_json::to_value(&state)?;
    if let Some(m) = v.as_object_mut() {
        m.insert("op_id".into(), serde_json::Value::String(id.to_string()));
    }
    print(cli.json, &v, |_| format!("{id}: {}\n", state_text(&state)))?;
    Ok(Outcome::queued_if(state.is_pending()))
}
