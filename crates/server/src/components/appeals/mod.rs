//! Appeals to akimats (the law on appeals: registration, redirection,
//! extension, answer, dismissal, with working-day due dates).

pub mod apply;
pub mod routes;
pub mod store;

use dauys_proto::{AppealOp, Op, OpBody};

use super::{builtin_kinds, builtin_requires_signature, parse_builtin, Component, ParsedOp};
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};
use apply as appeals;

pub struct Appeals;

impl Component for Appeals {
    fn name(&self) -> &'static str {
        "appeals"
    }
    fn op_kinds(&self) -> Vec<&'static str> {
        builtin_kinds(self.name())
    }
    fn requires_signature(&self, kind: &str) -> bool {
        builtin_requires_signature(kind)
    }
    fn parse(&self, kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject> {
        parse_builtin(kind, payload)
    }
    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        let OpBody::Appeal(a) = body.get::<OpBody>()? else {
            return Err(AppError::Internal("not an appeals op".into()));
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
    fn routes(&self) -> axum::Router<crate::state::AppState> {
        routes::routes()
    }
}
