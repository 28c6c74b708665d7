//! Appeals storage: appeals as a viewer may see them, loaded in batches.

use dauys_proto::workdays::parse_date;
use dauys_proto::{Appeal, AppealStatus, AppealType};

use crate::db::{load_in, Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::params;
use crate::read::{enum_of, json, point, rows};

struct AppealRow {
    id: String,
    user_id: String,
    appeal_type: String,
    addressee: String,
    locality: String,
    subject: String,
    body: String,
    lat: Option<f64>,
    lon: Option<f64>,
    public: bool,
    media: String,
    status: String,
    reg_number: Option<String>,
    submitted_at: i64,
    registered_on: Option<String>,
    due_date: Option<String>,
    answer: Option<String>,
    history: String,
}

impl FromRow for AppealRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(AppealRow {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            appeal_type: r.get("appeal_type")?,
            addressee: r.get("addressee")?,
            locality: r.get("locality")?,
            subject: r.get("subject")?,
            body: r.get("body")?,
            lat: r.get("lat")?,
            lon: r.get("lon")?,
            public: r.get("public")?,
            media: r.get("media")?,
            status: r.get("status")?,
            reg_number: r.get("reg_number")?,
            submitted_at: r.get("submitted_at")?,
            registered_on: r.get("registered_on")?,
            due_date: r.get("due_date")?,
            answer: r.get("answer")?,
            history: r.get("history")?,
        })
    }
}

impl AppealRow {
    /// The appeal as `viewer` may see it; `official` lets staff see private ones.
    fn visible_to(
        self,
        viewer: Option<&str>,
        official: bool,
        today: time::Date,
    ) -> AppResult<Option<Appeal>> {
        let mine = viewer == Some(self.user_id.as_str());
        if !mine && !self.public && !official {
            return Ok(None);
        }
        let status: AppealStatus = enum_of(&self.status)?;
        let overdue = status.is_open()
            && self
                .due_date
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d < today);
        Ok(Some(Appeal {
            appeal_type: enum_of::<AppealType>(&self.appeal_type)?,
            location: point(self.lat, self.lon),
            media: json(&self.media),
            history: json(&self.history),
            id: self.id,
            addressee: self.addressee,
            locality: self.locality,
            subject: self.subject,
            body: self.body,
            public: self.public,
            status,
            registration_number: self.reg_number,
            submitted_at: self.submitted_at,
            registered_on: self.registered_on,
            due_date: self.due_date,
            overdue,
            answer: self.answer,
            mine,
        }))
    }
}

const APPEAL_SELECT: &str = "SELECT id, user_id, appeal_type, addressee, locality, subject, body,
    lat, lon, public, media, status, reg_number, submitted_at, registered_on, due_date, answer,
    history FROM appeals";

/// An appeal as `viewer` may see it; `official` lets staff see private ones.
pub fn appeal(
    c: &mut dyn Conn,
    id: &str,
    viewer: Option<&str>,
    official: bool,
    today: time::Date,
) -> AppResult<Option<Appeal>> {
    Ok(appeals(c, &[id.to_string()], viewer, official, today)?
        .into_iter()
        .next())
}

/// Appeals by id that `viewer` may see (any order).
pub fn appeals(
    c: &mut dyn Conn,
    ids: &[String],
    viewer: Option<&str>,
    official: bool,
    today: time::Date,
) -> AppResult<Vec<Appeal>> {
    let rows: Vec<AppealRow> = load_in(c, ids, &[], |list| {
        format!("{APPEAL_SELECT} WHERE id IN ({list})")
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(r.visible_to(viewer, official, today)?);
    }
    Ok(out)
}

/// A page of a user's own appeals, newest first; whether more follow.
pub fn appeals_of_user(
    c: &mut dyn Conn,
    user_id: &str,
    today: time::Date,
    page: crate::db::Page,
) -> AppResult<(Vec<Appeal>, bool)> {
    let mut rows: Vec<AppealRow> = rows(
        c,
        &format!(
            "{APPEAL_SELECT} WHERE user_id = $1 ORDER BY submitted_at DESC, id{}",
            page.sql()
        ),
        params![user_id],
    )?;
    let more = page.trim(&mut rows);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(r.visible_to(Some(user_id), false, today)?);
    }
    Ok((out, more))
}

/// Where an appeal lies: the locality and the body it is addressed to
/// (for officials' access checks).
pub fn appeal_place(c: &mut dyn Conn, id: &str) -> AppResult<Option<crate::auth::Place>> {
    match c.query_one(
        "SELECT locality, addressee FROM appeals WHERE id = $1",
        params![id],
    )? {
        Some(r) => Ok(Some(crate::auth::Place {
            locality: r.get("locality")?,
            body: Some(r.get("addressee")?),
        })),
        None => Ok(None),
    }
}

/// [`crate::components::Component::item_visible`] for appeals: a public
/// appeal to anyone; a private one to its author and the officials whose
/// scope holds it (the staff console's rule).
pub fn item_visible(
    c: &mut dyn Conn,
    kind: &str,
    id: &str,
    viewer: Option<&crate::auth::Actor>,
) -> AppResult<Option<bool>> {
    if kind != "appeal" {
        return Ok(None);
    }
    let item = c
        .query_one(
            "SELECT user_id, public, locality, addressee FROM appeals WHERE id = $1",
            params![id],
        )?
        .map(|r| -> DbResult<_> {
            Ok(crate::auth::ItemAccess {
                public: r.get("public")?,
                owner: r.get("user_id")?,
                locality: r.get("locality")?,
                body: Some(r.get("addressee")?),
            })
        })
        .transpose()?;
    let staff = [dauys_proto::Role::Official];
    crate::auth::may_see_item(c, item, viewer, &staff).map(Some)
}
