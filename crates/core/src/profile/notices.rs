//! Notifications: what changed for the user — their appeal registered,
//! redirected, extended, answered or overdue; their proposal moderated,
//! reviewed, on the ballot or selected; their comment hidden; results of a
//! cycle they follow published; an op of theirs refused or a ballot
//! counted. Built from what a sync already brings (pulled changes, the
//! server's answers to a push): no extra round trip.
//!
//! A change is noticed by comparing a pulled entity with the row the
//! mirror held before it, so only real changes count: an item seen for the
//! first time (a new profile's first pull, a place just followed, an
//! appeal sent from another device) is old news, not news.

use dauys_proto::{
    Appeal, AppealStatus, Comment, CommentTarget, Cycle, Entity, Localized, Proposal,
    ProposalStatus,
};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Profile;
use crate::crypto::Cipher;
use crate::db::now_ms;
use crate::error::Result;

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub seq: i64,
    /// When it was noticed (ms).
    pub at: i64,
    pub read: bool,
    pub event: NoticeEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum NoticeEvent {
    /// The user's appeal changed status (or is now past its due date).
    Appeal {
        id: String,
        subject: String,
        status: AppealStatus,
        overdue: bool,
        addressee: String,
        registration_number: Option<String>,
    },
    /// The user's proposal changed status; `note`: the published reason.
    Proposal {
        id: String,
        title: String,
        status: ProposalStatus,
        note: String,
    },
    /// A moderator hid the user's comment.
    CommentHidden {
        id: String,
        target: CommentTarget,
        reason: String,
    },
    /// The results of a followed cycle are out.
    Results { cycle_id: String, title: Localized },
    /// The server counted the user's ballot.
    BallotCounted { cycle_id: String, receipt: String },
    /// The server refused an op of the user (its content is back in the
    /// drafts where the op has a form).
    Refused {
        op_id: String,
        op_kind: String,
        summary: String,
        message_key: String,
    },
}

impl NoticeEvent {
    /// The Fluent message id that says it (`notice-*` in `locales/`; a
    /// status change names the new status with the status's own label).
    pub fn message_key(&self) -> &'static str {
        match self {
            NoticeEvent::Appeal { overdue: true, .. } => "notice-appeal-overdue",
            NoticeEvent::Appeal { .. } => "notice-appeal",
            NoticeEvent::Proposal { .. } => "notice-proposal",
            NoticeEvent::CommentHidden { .. } => "notice-comment-hidden",
            NoticeEvent::Results { .. } => "notice-results",
            NoticeEvent::BallotCounted { .. } => "notice-ballot-counted",
            NoticeEvent::Refused { .. } => "notice-refused",
        }
    }
}

/// Records a notice once per `key` (call inside the transaction that
/// applies the change).
pub(crate) fn add(c: &Connection, cipher: &Cipher, key: &str, event: &NoticeEvent) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO notices (key, at, data) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING",
    )?
    .execute(params![key, now_ms(), cipher.seal_json(event)?])?;
    Ok(())
}

/// The last proposal history note (the moderator's or expert's reason).
fn last_note(p: &Proposal) -> String {
    p.history.last().map(|h| h.note.clone()).unwrap_or_default()
}

fn appeal_event(a: &Appeal, overdue: bool) -> NoticeEvent {
    NoticeEvent::Appeal {
        id: a.id.clone(),
        subject: a.subject.clone(),
        status: a.status,
        overdue,
        addressee: a.addressee.clone(),
        registration_number: a.registration_number.clone(),
    }
}

/// Notices what a pulled entity changed for the user, comparing it with
/// the mirror's row before it is replaced (none: nothing is noticed).
pub(crate) fn observe(c: &Connection, cipher: &Cipher, e: &Entity) -> Result<()> {
    match e {
        Entity::Appeal(a) if a.mine => {
            let before: Option<Appeal> = c
                .query_row("SELECT data FROM my_appeals WHERE id = ?1", [&a.id], |r| {
                    r.get::<_, Vec<u8>>(0)
                })
                .optional()?
                .map(|d| cipher.open_json(&d))
                .transpose()?;
            let changed = before.is_some_and(|b| {
                b.status != a.status || b.addressee != a.addressee || b.due_date != a.due_date
            });
            if changed && a.status != AppealStatus::Submitted {
                let key = format!(
                    "appeal:{}:{}:{}:{}",
                    a.id,
                    a.status.as_str(),
                    a.addressee,
                    a.due_date.as_deref().unwrap_or("")
                );
                add(c, cipher, &key, &appeal_event(a, false))?;
            }
        }
        Entity::Proposal(p) if p.mine => {
            let before: Option<String> = c
                .query_row("SELECT status FROM proposals WHERE id = ?1", [&p.id], |r| {
                    r.get(0)
                })
                .optional()?;
            // Steps the resident took (or that only echo them) are no news.
            let quiet = matches!(
                p.status,
                ProposalStatus::Submitted
                    | ProposalStatus::InModeration
                    | ProposalStatus::Withdrawn
            );
            if before.is_some_and(|b| b != p.status.as_str()) && !quiet {
                let key = format!(
                    "proposal:{}:{}:{}",
                    p.id,
                    p.status.as_str(),
                    p.history.len()
                );
                let event = NoticeEvent::Proposal {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    status: p.status,
                    note: last_note(p),
                };
                add(c, cipher, &key, &event)?;
            }
        }
        Entity::Comment(cm) if cm.mine && !cm.visible => {
            let before: Option<Comment> = c
                .query_row("SELECT data FROM comments WHERE id = ?1", [&cm.id], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .map(|d| serde_json::from_str(&d))
                .transpose()?;
            if before.is_some_and(|b| b.visible) {
                let event = NoticeEvent::CommentHidden {
                    id: cm.id.clone(),
                    target: cm.target.clone(),
                    reason: cm.moderation_note.clone(),
                };
                add(c, cipher, &format!("comment:{}:hidden", cm.id), &event)?;
            }
        }
        Entity::Cycle(cy) if cy.results.is_some() => {
            let before: Option<Cycle> = c
                .query_row("SELECT data FROM cycles WHERE id = ?1", [&cy.id], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .map(|d| serde_json::from_str(&d))
                .transpose()?;
            if before.is_some_and(|b| b.results.is_none()) {
                let event = NoticeEvent::Results {
                    cycle_id: cy.id.clone(),
                    title: cy.title.clone(),
                };
                add(c, cipher, &format!("cycle:{}:results", cy.id), &event)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Notices the user's open appeals that passed their due date (the server
/// sends no change for that: it is a matter of the calendar).
fn notice_overdue_in(c: &Connection, cipher: &Cipher, today: &str) -> Result<()> {
    let mut st = c.prepare_cached("SELECT data FROM my_appeals")?;
    let rows: Vec<Vec<u8>> = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for d in rows {
        let a: Appeal = cipher.open_json(&d)?;
        let Some(due) = a.due_date.as_deref() else {
            continue;
        };
        if a.status.is_open() && due < today {
            add(
                c,
                cipher,
                &format!("appeal:{}:overdue:{due}", a.id),
                &appeal_event(&a, true),
            )?;
        }
    }
    Ok(())
}

/// Today in Kazakhstan (one time zone, UTC+5, since March 2024), as the
/// server writes due dates.
fn today() -> String {
    let d = (time::OffsetDateTime::now_utc() + time::Duration::hours(5)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Profile {
    /// Notifications, newest first (at most `limit`).
    pub fn notices(&self, limit: u32) -> Result<Vec<Notice>> {
        self.notice_overdue()?;
        let c = self.conn();
        let mut st =
            c.prepare_cached("SELECT seq, at, read, data FROM notices ORDER BY seq DESC LIMIT ?1")?;
        let rows: Vec<(i64, i64, bool, Vec<u8>)> = st
            .query_map([i64::from(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(seq, at, read, data)| {
                Ok(Notice {
                    seq,
                    at,
                    read,
                    event: self.cipher.open_json(&data)?,
                })
            })
            .collect()
    }

    /// Notices the user's open appeals now past their due date (each
    /// once). Run by every sync and when the list is read.
    pub(crate) fn notice_overdue(&self) -> Result<()> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        notice_overdue_in(&tx, &self.cipher, &today())?;
        tx.commit()?;
        Ok(())
    }

    /// How many notifications are unread (the badge): one count.
    pub fn unread_notices(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM notices WHERE read = 0", [], |r| {
                r.get(0)
            })?)
    }

    /// Marks notifications read up to `seq` (all with `None`): what the
    /// user has seen, not what arrived meanwhile.
    pub fn mark_notices_read(&self, up_to: Option<i64>) -> Result<usize> {
        Ok(self.conn().execute(
            "UPDATE notices SET read = 1 WHERE read = 0 AND seq <= ?1",
            [up_to.unwrap_or(i64::MAX)],
        )?)
    }
}
