//! Participatory components over the kernel, and the one registry of them.
//!
//! A component owns a set of op kinds: it parses their payloads once (at
//! push), applies them (its effects, inside the push transaction), may
//! bring its own tables (`migrations`) and HTTP routes. The kernel (op log
//! and idempotency, change feed, auth, uploads, localities, census) knows
//! components only through [`Component`] and [`Registry`].
//!
//! To add a component: implement [`Component`] in its module and list it
//! in [`builtin`] (or, for a component outside this crate, pass it to
//! [`AppState::with_components`](crate::state::AppState::with_components)).

pub mod admin;
pub mod appeals;
pub mod budgets;
pub mod comments;
pub mod media;

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use dauys_proto::{Op, OpBody, OpKind};

use crate::auth::Actor;
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// An op's payload after its component parsed it. Shared, so a retried
/// transaction re-applies the same parsed value without parsing again.
#[derive(Clone)]
pub struct ParsedOp(Arc<dyn Any + Send + Sync>);

impl ParsedOp {
    pub fn new<T: Any + Send + Sync>(v: T) -> ParsedOp {
        ParsedOp(Arc::new(v))
    }

    /// The parsed value as the component stored it.
    pub fn get<T: Any>(&self) -> AppResult<&T> {
        self.0
            .downcast_ref::<T>()
            .ok_or_else(|| AppError::Internal("op parsed by another component".into()))
    }
}

/// A migration of a component's own tables: `(version, SQL)`, versions
/// counted per component (recorded in `component_migrations`).
pub type Migration = (i64, &'static str);

/// A self-contained participatory unit over the kernel.
pub trait Component: Send + Sync + 'static {
    /// Stable name (also the key of its migrations).
    fn name(&self) -> &'static str;

    /// The wire kinds of the ops it owns, e.g. `ballot.cast`.
    fn op_kinds(&self) -> Vec<&'static str>;

    /// Whether ops of `kind` must be signed by a device key.
    fn requires_signature(&self, kind: &str) -> bool {
        let _ = kind;
        false
    }

    /// Whether an op of `kind` refuses (returns a rejection) only before it
    /// writes anything, in a transaction that holds the writers' lock from
    /// its start. Such ops need no savepoint of their own in a group
    /// commit (`kernel::group_commit`), where any other failure sends the
    /// whole group back to be applied push by push, with savepoints.
    fn refuses_before_writing(&self, kind: &str) -> bool {
        let _ = kind;
        false
    }

    /// Parses a payload once, where the op enters the server. A failure is
    /// that op's rejection (stored like any other verdict on its content).
    fn parse(&self, kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject>;

    /// Whether `viewer` may see item `id` of `kind` (and so the photos
    /// linked to it, `kernel/uploads.rs`); `None` when `kind` is not one
    /// of this component's items.
    fn item_visible(
        &self,
        c: &mut dyn Conn,
        kind: &str,
        id: &str,
        viewer: Option<&Actor>,
    ) -> AppResult<Option<bool>> {
        let _ = (c, kind, id, viewer);
        Ok(None)
    }

    /// The op's effect, inside the push transaction and the op's savepoint:
    /// a rejection rolls back everything it did.
    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied>;

    /// Its own tables, created by the kernel's migration run.
    fn migrations(&self) -> &'static [Migration] {
        &[]
    }

    /// Its HTTP routes with their OpenAPI entries, from one list
    /// (`routes!(handler)` for documented JSON routes): merged into the
    /// server's router and its OpenAPI document.
    fn routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
    }
}

/// How a built-in component applies its part of a parsed body: the
/// connection, the op's context, the op and the whole body (a body of
/// another component is a registry bug: [`not_mine`]).
pub type ApplyBody = fn(&mut dyn Conn, &mut Ctx, &Op, OpBody) -> AppResult<Applied>;

/// A built-in component: its ops are part of proto's closed [`OpBody`], so
/// its kinds, which of them are signed and how they parse all come from
/// proto. It only says how to apply its part of the body (and its routes);
/// its [`Component`] impl below does the rest once for all of them.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// The component's name, as `OpKind::component` gives it.
    pub name: &'static str,
    pub apply: ApplyBody,
    pub routes: fn() -> OpenApiRouter<AppState>,
    /// Its steps of the built-in, kernel-numbered schema history
    /// (`db/schema.rs`); components added later use `migrations()`.
    pub schema: &'static [crate::db::schema::Step],
    /// [`Component::item_visible`] for its items with photos.
    pub item_visible: ItemVisible,
}

/// See [`Component::item_visible`].
pub type ItemVisible = fn(&mut dyn Conn, &str, &str, Option<&Actor>) -> AppResult<Option<bool>>;

/// For components whose items have no photos.
pub fn no_items(_: &mut dyn Conn, _: &str, _: &str, _: Option<&Actor>) -> AppResult<Option<bool>> {
    Ok(None)
}

impl Component for Builtin {
    fn name(&self) -> &'static str {
        self.name
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        OpKind::ALL
            .iter()
            .filter(|k| k.component() == self.name)
            .map(|k| k.as_str())
            .collect()
    }

    fn requires_signature(&self, kind: &str) -> bool {
        OpKind::parse(kind).is_some_and(OpKind::requires_signature)
    }

    fn refuses_before_writing(&self, kind: &str) -> bool {
        // `budgets::cycles::cast`: every check reads, then the ballot and
        // its feed row are written (its late phase check runs only when the
        // lock was taken late).
        OpKind::parse(kind) == Some(OpKind::BallotCast)
    }

    fn parse(&self, kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject> {
        OpBody::parse(kind, payload)
            .map(ParsedOp::new)
            .map_err(Reject::from)
    }

    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        (self.apply)(c, ctx, op, body.get::<OpBody>()?.clone())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        (self.routes)()
    }

    fn item_visible(
        &self,
        c: &mut dyn Conn,
        kind: &str,
        id: &str,
        viewer: Option<&Actor>,
    ) -> AppResult<Option<bool>> {
        (self.item_visible)(c, kind, id, viewer)
    }
}

/// A body routed to a component that does not own it: a registry bug.
pub fn not_mine(name: &str) -> AppError {
    AppError::Internal(format!("not a {name} op"))
}

/// The components every Dauys server runs: the one list (the schema's
/// history reads their steps in this order too).
pub const BUILTIN: &[&Builtin] = &[
    &appeals::COMPONENT,
    &budgets::COMPONENT,
    &comments::COMPONENT,
    &media::COMPONENT,
    &admin::COMPONENT,
];

/// The built-in components, as the registry holds them.
pub fn builtin() -> Vec<Arc<dyn Component>> {
    BUILTIN
        .iter()
        .map(|b| Arc::new(**b) as Arc<dyn Component>)
        .collect()
}

/// The components of a server, indexed by the op kinds they own.
pub struct Registry {
    components: Vec<Arc<dyn Component>>,
    by_kind: HashMap<&'static str, usize>,
}

impl Registry {
    /// Fails if two components claim one op kind or one name.
    pub fn new(components: Vec<Arc<dyn Component>>) -> AppResult<Registry> {
        let mut by_kind = HashMap::new();
        for (i, comp) in components.iter().enumerate() {
            if components[..i].iter().any(|c| c.name() == comp.name()) {
                return Err(AppError::Internal(format!(
                    "component {} registered twice",
                    comp.name()
                )));
            }
            for kind in comp.op_kinds() {
                if by_kind.insert(kind, i).is_some() {
                    return Err(AppError::Internal(format!(
                        "op kind {kind} claimed by two components"
                    )));
                }
            }
        }
        Ok(Registry {
            components,
            by_kind,
        })
    }

    /// The component owning `kind`, if any.
    pub fn for_kind(&self, kind: &str) -> Option<&dyn Component> {
        self.by_kind
            .get(kind)
            .and_then(|i| self.components.get(*i))
            .map(|c| &**c)
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Component> {
        self.components.iter().map(|c| &**c)
    }

    /// A registry with `extra` added after the current components.
    pub fn with(&self, extra: Vec<Arc<dyn Component>>) -> AppResult<Registry> {
        let mut all = self.components.clone();
        all.extend(extra);
        Registry::new(all)
    }
}
