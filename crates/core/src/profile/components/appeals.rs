//! Appeals to akimats: a queued appeal shows in "my appeals" at once.

use dauys_proto::{
    Appeal, AppealOp, AppealStatus, AppealSubmitPayload, HistoryEvent, Op, OpBody, OpKind,
};
use rusqlite::params;

use super::{kinds, short, typed, Described, LocalComponent, LocalCx};
use crate::error::Result;
use crate::model::{AppealInput, DraftContent};
use crate::profile::mirror::Mirror;

pub(crate) struct Appeals;

pub(super) fn body(input: &AppealInput, media: Vec<String>) -> OpBody {
    OpBody::Appeal(AppealOp::Submit(AppealSubmitPayload {
        addressee: input.appeal.addressee.trim().to_string(),
        media,
        ..input.appeal.clone()
    }))
}

/// The submitted appeal of an `appeal.submit` op.
fn submitted(op: &Op) -> Option<AppealSubmitPayload> {
    match typed(op)? {
        OpBody::Appeal(AppealOp::Submit(p)) => Some(p),
        _ => None,
    }
}

impl LocalComponent for Appeals {
    fn name(&self) -> &'static str {
        "appeals"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        kinds(&[OpKind::AppealSubmit])
    }

    fn apply_local(&self, cx: &LocalCx, op: &Op) -> Result<()> {
        let Some(p) = submitted(op) else {
            return Ok(());
        };
        let locality = Mirror::new(cx.c)
            .body_locality(&p.addressee)?
            .unwrap_or_default();
        let local = Appeal {
            id: op.id.to_string(),
            appeal_type: p.appeal_type,
            addressee: p.addressee,
            locality,
            subject: p.subject,
            body: p.body,
            location: p.location,
            public: p.public,
            media: p.media,
            status: AppealStatus::Submitted,
            registration_number: None,
            submitted_at: op.client_ts,
            registered_on: None,
            due_date: None,
            overdue: false,
            answer: None,
            history: vec![HistoryEvent {
                at: op.client_ts,
                status: "queued".into(),
                note: "saved on this device, not sent yet".into(),
            }],
            mine: true,
        };
        cx.c.execute(
            "INSERT INTO my_appeals (id, sort_at, data) VALUES (?1, ?2, ?3)",
            params![local.id, op.client_ts, cx.cipher.seal_json(&local)?],
        )?;
        Ok(())
    }

    fn undo_on_reject(&self, cx: &LocalCx, op: &Op) -> Result<()> {
        cx.c.execute("DELETE FROM my_appeals WHERE id = ?1", [op.id.to_string()])?;
        Ok(())
    }

    fn to_draft(&self, op: &Op) -> Option<DraftContent> {
        let p = submitted(op)?;
        Some(DraftContent::Appeal(AppealInput {
            appeal: p,
            photos: Vec::new(),
        }))
    }

    fn describe(&self, op: &Op) -> Described {
        let Some(p) = submitted(op) else {
            return Described::default();
        };
        Described {
            summary: short(format!("{} → {}", p.subject, p.addressee)),
            target: Some(p.addressee),
        }
    }

    fn media(&self, op: &Op) -> Vec<String> {
        submitted(op).map(|p| p.media).unwrap_or_default()
    }
}
