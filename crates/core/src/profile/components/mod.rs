//! Per-component local effects. Each participatory component (appeals,
//! budgets, comments, media — and any registered from outside the crate)
//! says, for the op kinds it owns, what queueing an op does to the local
//! database, how to undo that when the server refuses it, how to turn a
//! refused op back into a draft, and how to describe it in the outbox.
//! The outbox and the sync engine only call this trait, so they never
//! match on kinds.
//!
//! To add a component:
//! * built in: implement [`LocalComponent`] in a module here and list it
//!   in `COMPONENTS` (the one list); if users create it from a form, a
//!   `DraftContent` variant and its arm in `body`;
//! * from outside the crate: implement [`LocalComponent`] and put it in
//!   [`HomeConfig::components`](crate::HomeConfig::components) (the one
//!   place); queue its ops with [`Profile::queue_op`](crate::Profile::queue_op).
//!   Its server half is a `dauys_server::components::Component` owning the
//!   same op kinds.

mod appeals;
pub(crate) mod budgets;
pub(crate) mod comments;
mod media;

use std::sync::Arc;

use dauys_proto::{Op, OpBody, OpKind};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::crypto::Cipher;
use crate::error::{CoreError, Result};
use crate::model::DraftContent;

/// What a component's local effect may touch: the transaction the op is
/// queued (or answered) in, and sealing for personal rows. The cipher
/// itself stays inside the crate: a component can seal and open its own
/// rows, never read the profile's key.
pub struct LocalCx<'a> {
    pub(crate) c: &'a Connection,
    pub(crate) cipher: &'a Cipher,
}

impl<'a> LocalCx<'a> {
    pub(crate) fn new(c: &'a Connection, cipher: &'a Cipher) -> Self {
        LocalCx { c, cipher }
    }

    /// The open transaction: what is written here commits (or rolls back)
    /// together with the op.
    pub fn conn(&self) -> &Connection {
        self.c
    }

    /// Seals a value with the profile's key (for personal data).
    pub fn seal_json<T: Serialize>(&self, v: &T) -> Result<Vec<u8>> {
        self.cipher.seal_json(v)
    }

    /// Opens a value sealed by [`LocalCx::seal_json`].
    pub fn open_json<T: DeserializeOwned>(&self, sealed: &[u8]) -> Result<T> {
        self.cipher.open_json(sealed)
    }
}

/// How an op is shown in the outbox.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Described {
    /// Short human summary (subject, comment start, chosen projects…).
    pub summary: String,
    /// What it is about (cycle, proposal, addressee).
    pub target: Option<String>,
}

/// A migration of a component's own local tables: `(version, SQL)`,
/// versions counted per component (recorded in `component_migrations`).
pub type LocalMigration = (i64, &'static str);

/// The client half of a participatory component.
pub trait LocalComponent: Send + Sync {
    /// Stable name (also the key of its local migrations).
    fn name(&self) -> &'static str;

    /// The wire kinds of the ops it owns, e.g. `ballot.cast` — the same
    /// strings its server half lists.
    fn op_kinds(&self) -> Vec<&'static str>;

    /// Whether ops of `kind` are signed with the device key (the server
    /// half must agree). Built-in kinds follow `dauys_proto`'s rule.
    fn requires_signature(&self, _kind: &str) -> bool {
        false
    }

    /// Its own local tables, created when a profile is opened.
    fn migrations(&self) -> &'static [LocalMigration] {
        &[]
    }

    /// The local effect of a just-queued op, written in the op's own
    /// transaction (e.g. the appeal appears in "my appeals" at once). An
    /// error refuses the action: nothing is queued.
    fn apply_local(&self, _cx: &LocalCx, _op: &Op) -> Result<()> {
        Ok(())
    }

    /// Undoes [`LocalComponent::apply_local`] when the server refuses the
    /// op or the user discards it.
    fn undo_on_reject(&self, _cx: &LocalCx, _op: &Op) -> Result<()> {
        Ok(())
    }

    /// The content of a refused op as the input it came from, so the user
    /// can edit and resend it (`None`: nothing to edit).
    fn to_draft(&self, _op: &Op) -> Option<DraftContent> {
        None
    }

    fn describe(&self, op: &Op) -> Described;

    /// Upload ids the op references (it waits until they are uploaded).
    fn media(&self, _op: &Op) -> Vec<String> {
        Vec::new()
    }
}

/// Every built-in client component, in one place.
static COMPONENTS: [&dyn LocalComponent; 4] = [
    &appeals::Appeals,
    &budgets::Budgets,
    &comments::Comments,
    &media::Media,
];

/// The wire names of built-in kinds, as proto spells them (for `op_kinds`).
fn kinds(ks: &[OpKind]) -> Vec<&'static str> {
    ks.iter().map(|k| k.as_str()).collect()
}

/// The components of a home: the built-ins, then the ones registered in
/// its [`HomeConfig`](crate::HomeConfig). Checked once when the home is
/// opened, so a lookup never has to choose between two owners.
pub(crate) struct Registry {
    extra: Vec<Arc<dyn LocalComponent>>,
}

impl Registry {
    /// Refuses two components with one name or one op kind.
    pub fn new(extra: Vec<Arc<dyn LocalComponent>>) -> Result<Registry> {
        let all: Vec<&dyn LocalComponent> = COMPONENTS
            .iter()
            .copied()
            .chain(extra.iter().map(|c| &**c))
            .collect();
        for (i, comp) in all.iter().enumerate() {
            if all[..i].iter().any(|c| c.name() == comp.name()) {
                return Err(CoreError::Invalid(format!(
                    "component {} registered twice",
                    comp.name()
                )));
            }
            for kind in comp.op_kinds() {
                if all[..i].iter().any(|c| c.op_kinds().contains(&kind)) {
                    return Err(CoreError::Invalid(format!(
                        "op kind {kind} claimed by two components"
                    )));
                }
            }
        }
        Ok(Registry { extra })
    }

    /// The component owning ops of `kind` (`None`: a kind this client
    /// does not queue).
    pub fn of(&self, kind: &str) -> Option<&dyn LocalComponent> {
        COMPONENTS
            .iter()
            .copied()
            .chain(self.extra.iter().map(|c| &**c))
            .find(|c| c.op_kinds().contains(&kind))
    }

    /// Whether `kind` belongs to a component registered from outside the
    /// crate (queued through [`crate::Profile::queue_op`]).
    pub fn is_extra(&self, kind: &str) -> bool {
        self.extra.iter().any(|c| c.op_kinds().contains(&kind))
    }

    pub fn describe(&self, op: &Op) -> Described {
        self.of(&op.kind)
            .map(|c| c.describe(op))
            .unwrap_or_default()
    }

    /// Creates or updates the extra components' own tables, each
    /// migration in its own transaction with its bookkeeping row. The
    /// bookkeeping table stays outside the numbered core schema
    /// (`db::MIGRATIONS`): it only exists where extra components run, and
    /// must not make the schema newer for builds without them.
    pub fn migrate(&self, c: &mut Connection) -> Result<()> {
        if self.extra.is_empty() {
            return Ok(());
        }
        c.execute_batch(
            "CREATE TABLE IF NOT EXISTS component_migrations (
               component TEXT NOT NULL, version INTEGER NOT NULL,
               PRIMARY KEY (component, version))",
        )?;
        for comp in &self.extra {
            for (version, sql) in comp.migrations() {
                let done: bool = c.query_row(
                    "SELECT EXISTS (SELECT 1 FROM component_migrations WHERE component = ?1 AND version = ?2)",
                    rusqlite::params![comp.name(), version],
                    |r| r.get(0),
                )?;
                if done {
                    continue;
                }
                let tx = c.transaction()?;
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO component_migrations (component, version) VALUES (?1, ?2)",
                    rusqlite::params![comp.name(), version],
                )?;
                tx.commit()?;
            }
        }
        Ok(())
    }
}

/// The op queueing `content` produces, with `media` (the upload ids of
/// all its photos) in it.
pub(crate) fn body(content: &DraftContent, media: Vec<String>) -> Result<OpBody> {
    Ok(match content {
        DraftContent::Appeal(a) => appeals::body(a, media),
        DraftContent::Proposal(p) => budgets::proposal_body(p, media),
        DraftContent::Ballot(b) => budgets::ballot_body(b)?,
        DraftContent::Comment(c) => comments::body(c),
    })
}

/// An op's typed content, parsed once (`None` when it does not parse:
/// such an op was not written by this client).
fn typed(op: &Op) -> Option<OpBody> {
    op.body().ok()
}

/// At most 60 characters, for one outbox line.
fn short(t: String) -> String {
    if t.chars().count() > 60 {
        format!("{}…", t.chars().take(60).collect::<String>())
    } else {
        t
    }
}
