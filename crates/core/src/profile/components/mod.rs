//! Per-component local effects. Each participatory component (appeals,
//! budgets, comments, media) says, for the op kinds it owns, what queueing
//! an op does to the local database, how to undo that when the server
//! refuses it, how to turn a refused op back into a draft, and how to
//! describe it in the outbox. The outbox and the sync engine only call
//! this trait, so they never match on kinds.
//!
//! To add a component: implement [`LocalComponent`] in a module here and
//! list it in [`COMPONENTS`].

mod appeals;
pub(crate) mod budgets;
pub(crate) mod comments;
mod media;

use dauys_proto::{Op, OpBody, OpKind};
use rusqlite::Connection;

use crate::crypto::Cipher;
use crate::error::Result;
use crate::model::DraftContent;

/// What a component's local effect may touch: the transaction the op is
/// queued (or answered) in, and the profile's cipher for personal rows.
pub(crate) struct LocalCx<'a> {
    pub c: &'a Connection,
    pub cipher: &'a Cipher,
}

impl<'a> LocalCx<'a> {
    pub fn new(c: &'a Connection, cipher: &'a Cipher) -> Self {
        LocalCx { c, cipher }
    }
}

/// How an op is shown in the outbox.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Described {
    /// Short human summary (subject, comment start, chosen projects…).
    pub summary: String,
    /// What it is about (cycle, proposal, addressee).
    pub target: Option<String>,
}

pub(crate) trait LocalComponent: Send + Sync {
    /// Whether this component owns ops of `kind`.
    fn handles(&self, kind: OpKind) -> bool;

    /// The local effect of a just-queued op, written in the op's own
    /// transaction (e.g. the appeal appears in "my appeals" at once).
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

/// Every client component, in one place.
static COMPONENTS: [&dyn LocalComponent; 4] = [
    &appeals::Appeals,
    &budgets::Budgets,
    &comments::Comments,
    &media::Media,
];

/// The component owning ops of `kind` (`None`: a kind this client does not queue).
pub(crate) fn of(kind: &str) -> Option<&'static dyn LocalComponent> {
    let k = OpKind::parse(kind)?;
    COMPONENTS.iter().copied().find(|c| c.handles(k))
}

pub(crate) fn describe(op: &Op) -> Described {
    of(&op.kind).map(|c| c.describe(op)).unwrap_or_default()
}

pub(crate) fn media_of(op: &Op) -> Vec<String> {
    of(&op.kind).map(|c| c.media(op)).unwrap_or_default()
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
