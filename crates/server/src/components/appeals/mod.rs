//! Appeals to akimats (the law on appeals: registration, redirection,
//! extension, answer, dismissal, with working-day due dates).

pub mod apply;
#[cfg(feature = "demo")]
pub mod demo;
pub mod notify;
pub mod open311;
pub mod routes;
pub mod schema;
pub mod search;
pub mod store;

use dauys_proto::{AppealOp, Op, OpBody};

use super::{not_mine, Builtin};
use crate::db::Conn;
use crate::error::AppResult;
use crate::kernel::ops::{Applied, Ctx};
use apply as appeals;

/// The appeals component, as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "appeals",
    apply: apply_body,
    routes: routes::routes,
    schema: schema::STEPS,
    item_visible: store::item_visible,
};

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, op: &Op, body: OpBody) -> AppResult<Applied> {
    let id = op.id.to_string();
    match body {
        OpBody::Appeal(AppealOp::Submit(p)) => appeals::submit(c, ctx, &id, p, op),
        OpBody::Appeal(AppealOp::Register(p)) => appeals::register(c, ctx, p),
        OpBody::Appeal(AppealOp::Redirect(p)) => appeals::redirect(c, ctx, p),
        OpBody::Appeal(AppealOp::Extend(p)) => appeals::extend(c, ctx, p),
        OpBody::Appeal(AppealOp::Answer(p)) => appeals::answer(c, ctx, p),
        OpBody::Appeal(AppealOp::Dismiss(p)) => appeals::dismiss(c, ctx, p),
        _ => Err(not_mine(COMPONENT.name)),
    }
}
