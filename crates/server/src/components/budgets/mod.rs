//! Participatory budgeting: cycles, proposals, ballots, results and
//! implementation progress. Proposals are commentable.

pub mod cycles;
#[cfg(feature = "demo")]
pub mod demo;
pub mod export;
pub mod proposals;
pub mod receipts;
pub mod results;
pub mod routes;
pub mod schema;
pub mod store;

use dauys_proto::{BudgetOp, Op, OpBody};

use super::{not_mine, Builtin};
use crate::db::Conn;
use crate::error::AppResult;
use crate::kernel::ops::{Applied, Ctx};

/// The participatory budgeting component, as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "budgets",
    apply: apply_body,
    routes: routes::routes,
    schema: schema::STEPS,
    item_visible: store::item_visible,
};

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, op: &Op, body: OpBody) -> AppResult<Applied> {
    let OpBody::Budget(b) = body else {
        return Err(not_mine(COMPONENT.name));
    };
    let id = op.id.to_string();
    match b {
        BudgetOp::ProposalSubmit(p) => proposals::submit(c, ctx, &id, p),
        BudgetOp::ProposalRevise(p) => proposals::revise(c, ctx, p),
        BudgetOp::ProposalWithdraw(p) => proposals::withdraw(c, ctx, p),
        BudgetOp::ProposalModerate(p) => proposals::moderate(c, ctx, p),
        BudgetOp::ProposalReview(p) => proposals::review(c, ctx, p),
        BudgetOp::ProposalProgress(p) => proposals::progress(c, ctx, p),
        BudgetOp::BallotCast(p) => cycles::cast(c, ctx, &id, p, op),
        BudgetOp::CycleCreate(p) => cycles::create(c, ctx, &id, p),
        BudgetOp::CyclePhase(p) => cycles::phase(c, ctx, p),
    }
}
