//! Comments on any commentable item, named by a polymorphic target
//! `{kind, id}` (Decidim's "commentable"). The comments component knows no
//! other component: it asks the [`Commentable`] registered for the target's
//! kind whether the item exists, whether the actor may see it, where it
//! lies and whether it takes comments.

pub mod apply;
pub mod routes;
pub mod schema;
pub mod store;

use dauys_proto::{CommentOp, Op, OpBody};

use super::{not_mine, Builtin};
use crate::auth::Actor;
use crate::db::Conn;
use crate::error::AppResult;
use crate::kernel::ops::{Applied, Ctx};

/// The comments component, as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "comments",
    apply: apply_body,
    routes: routes::routes,
    schema: schema::STEPS,
    item_visible: super::no_items,
};

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, op: &Op, body: OpBody) -> AppResult<Applied> {
    match body {
        OpBody::Comment(CommentOp::Add(p)) => apply::add(c, ctx, &op.id.to_string(), p),
        OpBody::Comment(CommentOp::Moderate(p)) => apply::moderate(c, ctx, p),
        OpBody::Comment(CommentOp::Report(p)) => apply::report(c, ctx, p),
        _ => Err(not_mine(COMPONENT.name)),
    }
}

/// What the comments component needs to know about a target item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentableItem {
    /// Where the item lies: comments are shown to its followers and
    /// moderated by that locality's moderators.
    pub locality: String,
    /// Whether new comments are taken (e.g. not on a closed item).
    pub accepts_comments: bool,
}

/// Implemented by each component whose items take comments.
pub trait Commentable: Send + Sync {
    /// The target kind it answers for, e.g. `proposal`.
    fn kind(&self) -> &'static str;

    /// The item `id` as `actor` may see it: `None` when it does not exist
    /// or is hidden from them (both answer "not found", revealing nothing).
    fn lookup(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
    ) -> AppResult<Option<CommentableItem>>;

    /// Of the items `ids`, those `viewer` may see (signed in or not).
    /// Comments are shown only where their item is: a comment on an item
    /// still hidden (a proposal in moderation) must not reach anyone else
    /// through the change feed or a list.
    fn visible(
        &self,
        c: &mut dyn Conn,
        ids: &[String],
        viewer: Option<&str>,
    ) -> AppResult<std::collections::HashSet<String>>;
}

/// Every commentable kind of the built-in components.
static COMMENTABLES: &[&dyn Commentable] =
    &[&crate::components::budgets::proposals::ProposalComments];

/// The [`Commentable`] for a target kind, if that kind takes comments.
pub fn commentable(kind: &str) -> Option<&'static dyn Commentable> {
    COMMENTABLES.iter().copied().find(|c| c.kind() == kind)
}
