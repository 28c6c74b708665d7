//! Work on accepted proposals: the experts' review (feasible or not, a cost
//! estimate, a note — `proposal.review`) and, for selected projects, the
//! officials' implementation updates (progress %, a milestone note —
//! `proposal.progress`). Scoped like every console page; 404 outside.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::{OpKind, ProposalStatus, Role};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::appeals::FlashArgs;
use super::csrf::{self, Checked};
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, IN_IMPLEMENTATION, IN_REVIEW, REVIEW_ROLES};
use crate::error::{AppError, Reject};
use crate::http::blocking;
use crate::state::AppState;
use crate::uploads;

/// Proposals shown at once, oldest first.
const QUEUE_SIZE: i64 = 50;
/// Who updates a project's progress (what `proposal.progress` requires).
const PROGRESS_ROLES: &[Role] = &[Role::Official];

pub struct Item {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: i64,
    pub progress: i64,
    pub op: String,
}

#[derive(Template)]
#[template(path = "console/reviews.html")]
pub struct ReviewsPage {
    pub page: Chrome,
    pub items: Vec<Item>,
    /// `review` or `progress`: which forms the items get.
    pub kind: &'static str,
}

async fn list(
    st: &AppState,
    staff: &Staff,
    roles: &'static [Role],
    statuses: &'static [ProposalStatus],
) -> Result<Vec<Item>, Response> {
    let actor = staff.actor.clone();
    let rows = blocking(st, move |_, c| {
        let Some(scope) = store::granted_scope(c, &actor, roles)? else {
            return Ok(None);
        };
        store::proposals(c, &scope, statuses, QUEUE_SIZE).map(Some)
    })
    .await;
    Ok(pages::found(staff.tr, rows)?
        .into_iter()
        .map(|r| Item {
            op: action::new_op_id(),
            progress: r.progress.unwrap_or(0),
            id: r.id,
            title: r.title,
            description: r.description,
            category: r.category,
            cost: r.cost,
        })
        .collect())
}

/// One queue page: its proposals (or the 404 of an empty scope) and forms.
async fn queue_page(
    st: &AppState,
    staff: &Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
    (roles, statuses): (&'static [Role], &'static [ProposalStatus]),
    (title, path, kind): (&str, &str, &'static str),
) -> Response {
    let items = match list(st, staff, roles, statuses).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let p = ReviewsPage {
        page: Chrome::signed_in(staff.tr, title, path, staff).with_flash(flash.as_deref()),
        items,
        kind,
    };
    pages::render(StatusCode::OK, &p)
}

/// `GET /console/reviews`.
pub async fn reviews(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let what = ("console-reviews-title", "/console/reviews", "review");
    queue_page(&st, &staff, args, (REVIEW_ROLES, IN_REVIEW), what).await
}

/// `GET /console/implementation`.
pub async fn implementation(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let what = (
        "console-implementation-title",
        "/console/implementation",
        "progress",
    );
    queue_page(&st, &staff, args, (PROGRESS_ROLES, IN_IMPLEMENTATION), what).await
}

#[derive(Debug, Default, Deserialize)]
pub struct WorkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    feasible: String,
    #[serde(default)]
    cost_estimate: String,
    #[serde(default)]
    note: String,
}

/// A number field; a wrong one becomes -1, which the op refuses with its
/// own localized error.
fn number(s: &str) -> i64 {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .parse()
        .unwrap_or(-1)
}

/// `POST /console/work/{id}/review`.
pub async fn act(
    State(st): State<AppState>,
    Path((id, what)): Path<(String, String)>,
    Checked { staff, form: f }: Checked<WorkForm>,
) -> Response {
    let (kind, roles, payload, back, done) = match what.as_str() {
        "review" => (
            OpKind::ProposalReview,
            REVIEW_ROLES,
            json!({"proposal_id": id, "feasible": f.feasible == "yes",
                   "cost_estimate": number(&f.cost_estimate), "note": f.note}),
            "/console/reviews",
            "console-flash-reviewed",
        ),
        _ => return pages::not_found(staff.tr),
    };
    if let Err(r) = action::in_scope(&st, &staff, roles, store::proposal_locality, &id).await {
        return r;
    }
    let outcome = action::run(&st, &staff, &f.op_id, kind, payload).await;
    action::after(&staff, back, done, outcome)
}

/// The largest photo accepted from the progress form.
pub const PHOTO_MAX_BYTES: usize = 8 * 1024 * 1024;

/// The progress form's fields (multipart: it may carry a photo).
#[derive(Default)]
struct ProgressFields {
    csrf: String,
    op_id: String,
    progress: String,
    note: String,
    photo: Option<(Vec<u8>, String)>,
}

async fn progress_fields(mut m: Multipart) -> Result<ProgressFields, Reject> {
    let mut f = ProgressFields::default();
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| Reject::field("photo", e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let media_type = field.content_type().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| Reject::field("photo", e.to_string()))?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => f.csrf = text(),
            "op_id" => f.op_id = text(),
            "progress" => f.progress = text(),
            "note" => f.note = text(),
            "photo" if bytes.is_empty() => {}
            "photo" if bytes.len() > PHOTO_MAX_BYTES => {
                return Err(Reject::field("photo", "photo too large"))
            }
            "photo"
                if matches!(
                    media_type.as_str(),
                    "image/jpeg" | "image/png" | "image/webp"
                ) =>
            {
                f.photo = Some((bytes.to_vec(), media_type))
            }
            "photo" => return Err(Reject::field("photo", "a JPEG, PNG or WebP photo")),
            _ => {}
        }
    }
    Ok(f)
}

/// `POST /console/work/{id}/progress`: an implementation update, with an
/// optional photo stored as the official's upload (its id derived from the
/// form's op id, so a form sent twice stores it once) and attached by the
/// op.
pub async fn progress(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let tr = staff.tr;
    let f = match progress_fields(m).await {
        Ok(f) => f,
        Err(r) => return pages::error(tr, &AppError::Reject(r)),
    };
    if let Some(r) = csrf::refused(&staff, &f.csrf) {
        return r;
    }
    let Ok(op) = uuid::Uuid::parse_str(f.op_id.trim()) else {
        return pages::not_found(tr);
    };
    let actor = staff.actor.clone();
    let id2 = id.clone();
    let photo = f.photo;
    let stored = blocking(&st, move |st, c| {
        let Some(loc) = store::proposal_locality(c, &id2)? else {
            return Ok(None);
        };
        if !store::scope(c, &actor, PROGRESS_ROLES)?.contains(&loc) {
            return Ok(None);
        }
        let mut media = Vec::new();
        if let Some((bytes, media_type)) = photo {
            let upload = format!("{op}-photo");
            uploads::put_whole(
                c,
                &upload,
                &actor.user_id,
                &bytes,
                &media_type,
                st.clock.now_ms(),
            )?;
            media.push(upload);
        }
        Ok(Some(media))
    })
    .await;
    let media = match pages::found(tr, stored) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let payload = json!({"proposal_id": id, "progress": number(&f.progress), "note": f.note,
                         "media": media});
    let outcome = action::run(
        &st,
        &staff,
        &op.to_string(),
        OpKind::ProposalProgress,
        payload,
    )
    .await;
    action::after(
        &staff,
        "/console/implementation",
        "console-flash-progress",
        outcome,
    )
}

super::csrf::csrf_forms!(WorkForm);
