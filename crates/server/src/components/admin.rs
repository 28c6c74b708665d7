//! `role.grant` / `role.revoke`: staff administration as ops, so the
//! console's admin pages go through the op log, its idempotency and the
//! audit log like every other staff action. Only an administrator whose
//! scope covers the grant's locality may apply them (an unscoped grant
//! needs an unscoped administrator).

use dauys_proto::{AdminOp, ErrorCode, Op, OpBody, Role, RoleGrantPayload, RoleRevokePayload};

use super::{not_mine, Builtin};
use crate::auth::require_role;
use crate::census;
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};

/// The admin component (no routes of its own), as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "admin",
    apply: apply_body,
    routes: axum::Router::new,
};

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, _: &Op, body: OpBody) -> AppResult<Applied> {
    match body {
        OpBody::Admin(AdminOp::RoleGrant(p)) => grant(c, ctx, p),
        OpBody::Admin(AdminOp::RoleRevoke(p)) => revoke(c, ctx, p),
        _ => Err(not_mine(COMPONENT.name)),
    }
}

/// An administrator of `locality` ('' = everywhere, which needs an
/// unscoped grant: no locality lies under ''). Staff roles only.
fn check(c: &mut dyn Conn, ctx: &Ctx, role: Role, locality: Option<&str>) -> AppResult<()> {
    if role == Role::Citizen {
        return Err(Reject::field("role", "not a staff role").into());
    }
    require_role(c, ctx.actor, &[Role::Admin], locality.unwrap_or(""))
}

fn grant(c: &mut dyn Conn, ctx: &mut Ctx, p: RoleGrantPayload) -> AppResult<Applied> {
    let locality = p.locality.as_deref().filter(|l| !l.is_empty());
    check(c, ctx, p.role, locality)?;
    let user = census::grant_in(ctx.st, c, p.role, &p.iin, locality, &p.label)?;
    Ok(Applied {
        entity_id: user,
        receipt: None,
    })
}

fn revoke(c: &mut dyn Conn, ctx: &mut Ctx, p: RoleRevokePayload) -> AppResult<Applied> {
    let locality = p.locality.as_deref().filter(|l| !l.is_empty());
    check(c, ctx, p.role, locality)?;
    if p.user_id == ctx.actor.user_id && p.role == Role::Admin {
        // Nobody locks themselves out; another administrator can do it.
        return Err(Reject::new(ErrorCode::Forbidden, "cannot revoke one's own admin role").into());
    }
    if !census::revoke_in(c, &p.user_id, p.role, locality)? {
        return Err(Reject::new(ErrorCode::NotFound, "no such grant").into());
    }
    Ok(Applied {
        entity_id: p.user_id,
        receipt: None,
    })
}
