//! `media.attach`: a completed upload attached to one's own appeal or
//! proposal after it was sent (uploads themselves are kernel).

use dauys_proto::{MediaOp, Op, OpBody};

use super::{not_mine, Builtin};
use crate::db::Conn;
use crate::error::AppResult;
use crate::kernel::ops::{Applied, Ctx};

/// The media component (no routes of its own), as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "media",
    apply: apply_body,
    routes: utoipa_axum::router::OpenApiRouter::new,
    schema: &[],
    item_visible: super::no_items,
};

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, _: &Op, body: OpBody) -> AppResult<Applied> {
    match body {
        OpBody::Media(MediaOp::Attach(p)) => {
            crate::components::budgets::proposals::attach_media(c, ctx, p)
        }
        _ => Err(not_mine(COMPONENT.name)),
    }
}
