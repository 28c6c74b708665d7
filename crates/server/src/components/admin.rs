//! `role.grant` / `role.revoke`, `template.save` / `template.delete`
//! (answer templates) and `partner.issue` / `partner.revoke` (Open311
//! partner apps' keys): staff administration as ops, so the
//! console's admin pages go through the op log, its idempotency and the
//! audit log like every other staff action. Only an administrator whose
//! scope covers the grant's locality may apply them (an unscoped grant
//! needs an unscoped administrator).

use dauys_proto::{
    AdminOp, EntityKind, ErrorCode, LocalityRoutePayload, Op, OpBody, PartnerIssuePayload,
    PartnerRevokePayload, Role, RoleGrantPayload, RoleRevokePayload, TemplateDeletePayload,
    TemplateSavePayload,
};

use super::{not_mine, Builtin};
use crate::auth::require_role;
use crate::census::{self, GrantPlace};
use crate::components::appeals::open311::store as partner_store;
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};
use crate::params;

/// The admin component (no routes of its own), as the server registers it.
pub const COMPONENT: Builtin = Builtin {
    name: "admin",
    apply: apply_body,
    routes: utoipa_axum::router::OpenApiRouter::new,
    schema: SCHEMA,
    item_visible: super::no_items,
};

/// The admin component's steps of the numbered schema history.
const SCHEMA: &[crate::db::schema::Step] = &[
    // Answer templates per appeal type, kept by administrators; ''
    // locality: offered everywhere.
    (
        6,
        r#"
CREATE TABLE answer_templates (
  id TEXT PRIMARY KEY, appeal_type TEXT NOT NULL, locality TEXT NOT NULL, title TEXT NOT NULL,
  body TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX answer_templates_type ON answer_templates(appeal_type);
"#,
    ),
];

fn apply_body(c: &mut dyn Conn, ctx: &mut Ctx, op: &Op, body: OpBody) -> AppResult<Applied> {
    match body {
        OpBody::Admin(AdminOp::RoleGrant(p)) => grant(c, ctx, p),
        OpBody::Admin(AdminOp::RoleRevoke(p)) => revoke(c, ctx, p),
        OpBody::Admin(AdminOp::TemplateSave(p)) => save_template(c, ctx, &op.id.to_string(), p),
        OpBody::Admin(AdminOp::TemplateDelete(p)) => delete_template(c, ctx, p),
        OpBody::Admin(AdminOp::PartnerIssue(p)) => issue_partner_key(c, ctx, &op.id.to_string(), p),
        OpBody::Admin(AdminOp::PartnerRevoke(p)) => revoke_partner_key(c, ctx, p),
        OpBody::Admin(AdminOp::LocalityRoute(p)) => route(c, ctx, p),
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
    // A department's grant lies in its body's locality: that is where the
    // administrator must be one.
    let place = GrantPlace::new(p.locality.as_deref(), p.body.as_deref()).resolve(c, p.role)?;
    check(c, ctx, p.role, place.locality.as_deref())?;
    let user = census::grant_in(ctx.st, c, p.role, &p.iin, &place, &p.label)?;
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
    let body = p.body.as_deref().filter(|b| !b.is_empty());
    if !census::revoke_in(c, &p.user_id, p.role, locality, body)? {
        return Err(Reject::new(ErrorCode::NotFound, "no such grant").into());
    }
    Ok(Applied {
        entity_id: p.user_id,
        receipt: None,
    })
}

/// Routing help: which body a locality's residents are pointed to for an
/// appeal topic. The body must serve the place (belong to it or to a place
/// above it). Clients get the locality again through the change feed.
fn route(c: &mut dyn Conn, ctx: &mut Ctx, p: LocalityRoutePayload) -> AppResult<Applied> {
    if crate::kernel::localities::locality(c, &p.locality)?.is_none() {
        return Err(Reject::field("locality", "no such locality").into());
    }
    require_role(c, ctx.actor, &[Role::Admin], &p.locality)?;
    if !dauys_proto::APPEAL_TOPICS.contains(&p.topic.as_str()) {
        return Err(Reject::field("topic", "not an appeal topic").into());
    }
    match p.body.as_deref().filter(|b| !b.is_empty()) {
        Some(body) => {
            let serves =
                match c.query_one("SELECT locality FROM bodies WHERE id = $1", params![body])? {
                    Some(r) => {
                        let at: String = r.get("locality")?;
                        crate::auth::locality_within(c, &p.locality, &at)?
                    }
                    None => false,
                };
            if !serves {
                return Err(Reject::field("body", "not a body serving this locality").into());
            }
            c.exec(
                "INSERT INTO locality_routes (locality, topic, body) VALUES ($1, $2, $3)
                 ON CONFLICT (locality, topic) DO UPDATE SET body = excluded.body",
                params![&p.locality, &p.topic, body],
            )?;
        }
        None => {
            c.exec(
                "DELETE FROM locality_routes WHERE locality = $1 AND topic = $2",
                params![&p.locality, &p.topic],
            )?;
        }
    }
    crate::kernel::ops::record_change(
        c,
        ctx.now,
        EntityKind::Locality,
        &p.locality,
        Some(&p.locality),
        None,
    )?;
    Ok(Applied {
        entity_id: p.locality,
        receipt: None,
    })
}

/// Longest template title and text.
const TITLE_MAX: usize = 120;
const BODY_MAX: usize = 8000;

/// The locality of an existing template (None: no such template).
fn template_locality(c: &mut dyn Conn, id: &str) -> AppResult<Option<String>> {
    Ok(c.query_one(
        "SELECT locality FROM answer_templates WHERE id = $1",
        params![id],
    )?
    .map(|r| r.get("locality"))
    .transpose()?)
}

/// Creates (the op id becomes the template's id) or replaces a template;
/// the administrator must cover both its old and its new locality.
fn save_template(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op_id: &str,
    p: TemplateSavePayload,
) -> AppResult<Applied> {
    let title = p.title.trim();
    let body = p.body.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        return Err(Reject::field("title", "1 to 120 characters").into());
    }
    if body.is_empty() || body.chars().count() > BODY_MAX {
        return Err(Reject::field("body", "1 to 8000 characters").into());
    }
    let locality = p.locality.as_deref().filter(|l| !l.is_empty());
    require_role(c, ctx.actor, &[Role::Admin], locality.unwrap_or(""))?;
    let id = match &p.id {
        Some(id) => {
            let old = template_locality(c, id)?
                .ok_or_else(|| Reject::new(ErrorCode::NotFound, "no such template"))?;
            require_role(c, ctx.actor, &[Role::Admin], &old)?;
            c.exec(
                "UPDATE answer_templates SET appeal_type = $2, locality = $3, title = $4, body = $5,
                   updated_at = $6 WHERE id = $1",
                params![id, p.appeal_type.as_str(), locality.unwrap_or(""), title, body, ctx.now],
            )?;
            id.clone()
        }
        None => {
            c.exec(
                "INSERT INTO answer_templates (id, appeal_type, locality, title, body, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                params![
                    op_id,
                    p.appeal_type.as_str(),
                    locality.unwrap_or(""),
                    title,
                    body,
                    ctx.now
                ],
            )?;
            op_id.to_string()
        }
    };
    Ok(Applied {
        entity_id: id,
        receipt: None,
    })
}

fn delete_template(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    p: TemplateDeletePayload,
) -> AppResult<Applied> {
    let loc = template_locality(c, &p.id)?
        .ok_or_else(|| Reject::new(ErrorCode::NotFound, "no such template"))?;
    require_role(c, ctx.actor, &[Role::Admin], &loc)?;
    c.exec("DELETE FROM answer_templates WHERE id = $1", params![&p.id])?;
    Ok(Applied {
        entity_id: p.id,
        receipt: None,
    })
}

/// Issues an Open311 partner key (administrators granted everywhere: a
/// key is not tied to a locality). The key is derived from the op id
/// ([`crate::crypto::partner_key`]): the console shows it once after the
/// op is accepted, and a form sent twice stores one key and shows the same.
fn issue_partner_key(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    op_id: &str,
    p: PartnerIssuePayload,
) -> AppResult<Applied> {
    require_role(c, ctx.actor, &[Role::Admin], "")?;
    let label: String = p.label.trim().to_string();
    if label.is_empty() || label.chars().count() > TITLE_MAX {
        return Err(Reject::field("label", "1 to 120 characters").into());
    }
    let key = crate::crypto::partner_key(&ctx.st.secret, op_id);
    let id = partner_store::add_key(c, &key, &label, &ctx.actor.user_id, ctx.now)?;
    Ok(Applied {
        entity_id: id,
        receipt: None,
    })
}

fn revoke_partner_key(
    c: &mut dyn Conn,
    ctx: &mut Ctx,
    p: PartnerRevokePayload,
) -> AppResult<Applied> {
    require_role(c, ctx.actor, &[Role::Admin], "")?;
    if !partner_store::revoke_key(c, &p.id, ctx.now)? {
        return Err(Reject::new(ErrorCode::NotFound, "no such partner key").into());
    }
    Ok(Applied {
        entity_id: p.id,
        receipt: None,
    })
}

/// The admin component's part of the demo story.
#[cfg(feature = "demo")]
pub mod demo {
    use dauys_proto::OpKind;

    use crate::db::Conn;
    use crate::demo::{act, Cast, CITY};
    use crate::error::AppResult;
    use crate::state::AppState;

    /// Two answer templates, as an akimat's administrator keeps them: saved
    /// through the same op path as the console's form.
    pub fn seed(st: &AppState, c: &mut dyn Conn, cast: &Cast) -> AppResult<()> {
        let rows = [
            (
                "complaint",
                "Жалоба рассмотрена, меры приняты",
                "Уважаемый заявитель! Ваша жалоба рассмотрена. По результатам проверки приняты следующие меры: … \
                 Ответ может быть обжалован в вышестоящем органе или в суде.",
            ),
            (
                "request",
                "Сұрауға жауап",
                "Құрметті өтініш беруші! Сұрауыңыз бойынша мынаны хабарлаймыз: …",
            ),
        ];
        for (ty, title, body) in rows {
            act(
                c,
                st,
                cast.admin,
                OpKind::TemplateSave,
                serde_json::json!({"type": ty, "locality": CITY, "title": title, "body": body}),
            )?;
        }
        Ok(())
    }
}
