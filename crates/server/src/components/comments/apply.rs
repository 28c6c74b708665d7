//! Effects of the comments component's ops.

use dauys_proto::limits::MAX_COMMENT_CHARS;
use dauys_proto::{
    CommentAddPayload, CommentModeratePayload, CommentReportPayload, EntityKind, ErrorCode, Role,
};

use super::{commentable, store};
use crate::auth::require_role;
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::kernel::ops::{not_found, record_change, text, Applied, Ctx};

pub fn add(c: &mut dyn Conn, ctx: &mut Ctx, id: &str, p: CommentAddPayload) -> AppResult<Applied> {
    let body = text("body", &p.body, MAX_COMMENT_CHARS, true)?;
    let Some(target) = p.target() else {
        // What old clients got for a payload without `proposal_id`.
        return Err(Reject {
            code: ErrorCode::InvalidJson,
            field: Some("payload".into()),
            detail: "missing field `target` (or `proposal_id`)".into(),
        }
        .into());
    };
    let Some(kind) = commentable(&target.kind) else {
        return Err(Reject::field("target", "this item cannot be commented on").into());
    };
    let item = kind
        .lookup(c, ctx.actor, &target.id)?
        .ok_or_else(|| not_found(kind.kind()))?;
    if !item.accepts_comments {
        return Err(
            Reject::new(ErrorCode::InvalidTransition, "comments are closed")
                .with_field("target")
                .into(),
        );
    }
    store::insert(
        c,
        id,
        &target,
        &item.locality,
        &ctx.actor.user_id,
        &body,
        ctx.now,
    )?;
    record_change(
        c,
        ctx.now,
        EntityKind::Comment,
        id,
        Some(&item.locality),
        Some(&ctx.actor.user_id),
    )?;
    Ok(Applied {
        entity_id: id.to_string(),
        receipt: None,
    })
}

pub fn moderate(c: &mut dyn Conn, ctx: &mut Ctx, m: CommentModeratePayload) -> AppResult<Applied> {
    let (locality, author) =
        store::locality_and_author(c, &m.comment_id)?.ok_or_else(|| not_found("comment"))?;
    require_role(c, ctx.actor, &[Role::Moderator, Role::Official], &locality)?;
    // Hiding needs a reason, published with the hidden comment.
    let note = text("reason", &m.reason, MAX_COMMENT_CHARS, !m.visible)?;
    store::set_visible(
        c,
        &m.comment_id,
        m.visible,
        if m.visible { "" } else { &note },
    )?;
    record_change(
        c,
        ctx.now,
        EntityKind::Comment,
        &m.comment_id,
        Some(&locality),
        Some(&author),
    )?;
    Ok(Applied {
        entity_id: m.comment_id,
        receipt: None,
    })
}

/// A resident reports a comment they can see (visible, on an item they
/// may see) to the moderators; a second report by the same resident is
/// accepted and changes nothing. Moderators see reported comments first.
pub fn report(c: &mut dyn Conn, ctx: &mut Ctx, r: CommentReportPayload) -> AppResult<Applied> {
    let reason = text("reason", &r.reason, MAX_COMMENT_CHARS, false)?;
    let seen = store::by_ids(
        c,
        std::slice::from_ref(&r.comment_id),
        Some(&ctx.actor.user_id),
    )?;
    if !seen.iter().any(|cm| cm.visible) {
        return Err(not_found("comment"));
    }
    store::add_report(c, &r.comment_id, &ctx.actor.user_id, &reason, ctx.now)?;
    Ok(Applied {
        entity_id: r.comment_id,
        receipt: None,
    })
}
