//! The dashboard: what waits for the caller, in the caller's scope.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::appeals::{queue_item, QueueItem};
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{
    self, AppealFilter, APPEAL_ROLES, IN_MODERATION, IN_REVIEW, MODERATION_ROLES, REVIEW_ROLES,
};
use crate::http::blocking;
use crate::read;
use crate::state::AppState;
use dauys_proto::workdays::parse_date;
use dauys_proto::{Cycle, Phase};

#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct DashboardPage {
    pub page: Chrome,
    pub appeals: bool,
    pub new: i64,
    pub due_week: i64,
    pub overdue: i64,
    pub overdue_items: Vec<QueueItem>,
    pub moderation: Option<i64>,
    pub review: Option<i64>,
    /// Cycles whose next stage starts within a week: (name, stage, date).
    pub cycles_soon: Vec<(String, String, String)>,
}

/// Cycles whose next scheduled stage starts between `today` and a week later.
fn ending_soon(cycles: Vec<Cycle>, today: time::Date) -> Vec<(Cycle, Phase, String)> {
    let until = today + time::Duration::days(7);
    cycles
        .into_iter()
        .filter_map(|c| {
            // The next stage that has a date in the cycle's schedule.
            let (next, date) = Phase::ALL
                .iter()
                .filter(|p| **p > c.phase)
                .find_map(|p| Some((*p, c.schedule.get(p.as_str())?.clone())))?;
            let d = parse_date(&date)?;
            (d >= today && d <= until).then_some((c, next, date))
        })
        .collect()
}

/// `GET /console`. Its panels are independent: each is read on its own
/// connection, at the same time (on PostgreSQL, by separate backends), so
/// the page costs the slowest panel, not their sum.
pub async fn page(State(st): State<AppState>, staff: Staff) -> Response {
    let tr = staff.tr;
    let (a1, a2, a3) = (
        staff.actor.clone(),
        staff.actor.clone(),
        staff.actor.clone(),
    );
    let counts = blocking(&st, move |st, c| {
        let scope = store::appeal_scope(c, &a1)?;
        Ok((
            !scope.is_empty(),
            store::appeal_counts(c, &scope, st.clock.today())?,
        ))
    });
    let overdue = blocking(&st, move |st, c| {
        let today = st.clock.today();
        let overdue = AppealFilter {
            overdue: true,
            ..AppealFilter::default()
        };
        let appeals = store::appeal_scope(c, &a2)?;
        let rows = store::appeals_queue(c, &appeals, &overdue, today, 0, 10)?;
        let bodies = super::appeals::body_names(c, tr.lang)?;
        let cycles = store::scope(c, &a2, APPEAL_ROLES)?;
        let ids = store::cycle_ids(c, &cycles)?;
        let soon = ending_soon(read::cycles(c, &ids)?, today);
        Ok((rows, bodies, today, soon))
    });
    let proposals = blocking(&st, move |_, c| {
        let m = store::scope(c, &a3, MODERATION_ROLES)?;
        let r = store::scope(c, &a3, REVIEW_ROLES)?;
        let moderation = if m.is_empty() {
            None
        } else {
            Some(store::count_proposals(c, &m, IN_MODERATION)?)
        };
        let review = if r.is_empty() {
            None
        } else {
            Some(store::count_proposals(c, &r, IN_REVIEW)?)
        };
        Ok((moderation, review))
    });
    let loaded = match tokio::join!(counts, overdue, proposals) {
        (Ok(a), Ok(b), Ok(c)) => Ok((a, b, c)),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e),
    };
    let ((appeals, counts), (rows, bodies, today, soon), (moderation, review)) = match loaded {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let p = DashboardPage {
        page: Chrome::signed_in(tr, "console-dashboard-title", "/console", &staff),
        appeals,
        new: counts.new,
        due_week: counts.due_week,
        overdue: counts.overdue,
        overdue_items: rows
            .into_iter()
            .map(|r| queue_item(tr, r, &bodies, today))
            .collect(),
        moderation,
        review,
        cycles_soon: soon
            .into_iter()
            .map(|(c, next, date)| {
                (
                    super::appeals::localized(&c.title, tr.lang),
                    tr.t(&format!("phase-{}", next.as_str().replace('_', "-"))),
                    date,
                )
            })
            .collect(),
    };
    pages::render(StatusCode::OK, &p)
}
