//! Participatory budgeting: cycles, proposals, ballots, results and
//! implementation progress. Proposals are commentable.

pub mod cycles;
pub mod export;
pub mod proposals;
pub mod results;
pub mod routes;
pub mod store;

use dauys_proto::{BudgetOp, Op, OpBody};

use super::{builtin_kinds, builtin_requires_signature, parse_builtin, Component, ParsedOp};
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};

pub struct Budgets;

impl Component for Budgets {
    fn name(&self) -> &'static str {
        "budgets"
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
        let OpBody::Budget(b) = body.get::<OpBody>()? else {
            return Err(AppError::Internal("not a budgets op".into()));
        };
        let id = op.id.to_string();
        match b.clone() {
            BudgetOp::ProposalSubmit(p) => proposals::submit(c, ctx, &id, p),
            BudgetOp::ProposalModerate(p) => proposals::moderate(c, ctx, p),
            BudgetOp::ProposalReview(p) => proposals::review(c, ctx, p),
            BudgetOp::ProposalProgress(p) => proposals::progress(c, ctx, p),
            BudgetOp::BallotCast(p) => cycles::cast(c, ctx, &id, p, op),
            BudgetOp::CycleCreate(p) => cycles::create(c, ctx, &id, p),
            BudgetOp::CyclePhase(p) => cycles::phase(c, ctx, p),
        }
    }
    fn routes(&self) -> axum::Router<crate::state::AppState> {
        routes::routes()
    }
}
