//! Appeals to akimats (the law on appeals: registration, redirection,
//! extension, answer, dismissal, with working-day due dates).

pub mod apply;
pub mod routes;
pub mod store;

use dauys_proto::{AppealOp, Op, OpBody};

use super::{not_mine, Builtin};
use crate::db::Conn;
use crate::error::AppResult;
use crate::kernel::ops::{Applied, Ctx};
use apply as appeals;

pub struct Appeals;

impl Builtin for Appeals {
    const NAME: &'static str = "appeals";

    fn apply_body(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &OpBody,
    ) -> AppResult<Applied> {
        let OpBody::Appeal(a) = body else {
            return Err(not_mine(Self::NAME));
        };
        let id = op.id.to_string();
        match a.clone() {
            AppealOp::Submit(p) => appeals::submit(c, ctx, &id, p, op),
            AppealOp::Register(p) => appeals::register(c, ctx, p),
            AppealOp::Redirect(p) => appeals::redirect(c, ctx, p),
            AppealOp::Extend(p) => appeals::extend(c, ctx, p),
            AppealOp::Answer(p) => appeals::answer(c, ctx, p),
            AppealOp::Dismiss(p) => appeals::dismiss(c, ctx, p),
        }
    }
    fn builtin_routes(&self) -> axum::Router<crate::state::AppState> {
        routes::routes()
    }
}
