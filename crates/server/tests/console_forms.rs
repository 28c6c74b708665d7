//! Console forms beyond one action: bulk registration from the queue, and
//! a form sent after the session expired (sign in again, nothing lost).
//! Real HTTP, on SQLite and — with `DAUYS_TEST_POSTGRES` — PostgreSQL.

mod common;

use common::Server;
use serde_json::json;

#[path = "support/console_web.rs"]
mod web;
use web::*;

/// Every `name="pick" value="…"` of a page.
fn picks(html: &str) -> Vec<String> {
    html.split("name=\"pick\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

async fn bulk_registration(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let out = resident
            .one(
                &srv,
                "appeal.submit",
                json!({"type": "request", "addressee": "pvl-akimat", "subject": format!("Bulk {n}"),
                       "body": "b", "public": false}),
            )
            .await;
        ids.push(out["entity_id"].as_str().unwrap_or_default().to_string());
    }
    let official = staff(&srv, &srv.person("official, Pavlodar", 0)).await;
    let (_, html) = get(&srv, &official.cookie, "/console/appeals?q=Bulk").await;
    let mine: Vec<String> = picks(&html)
        .into_iter()
        .filter(|p| ids.iter().any(|id| p.starts_with(id.as_str())))
        .collect();
    assert_eq!(mine.len(), 3, "{html}");

    // Another region's official sends the same lines: nothing happens.
    let other = staff(&srv, &srv.person("official, Almaty region", 0)).await;
    let forged: Vec<(&str, String)> = std::iter::once(("csrf", other.csrf.clone()))
        .chain(
            ids.iter()
                .map(|id| ("pick", format!("{id}:{}", uuid::Uuid::now_v7()))),
        )
        .collect();
    let r = post(&srv, &other.cookie, "/console/appeals/register", &[]).await;
    assert_eq!(r.status(), 403, "no CSRF token");
    let form: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(&srv, &other.cookie, "/console/appeals/register", &form).await;
    let registered: &'static str =
        "SELECT COUNT(*) FROM appeals WHERE subject LIKE 'Bulk %' AND status = 'registered'";
    assert_eq!(srv.count(registered, vec![]).await, 0);

    // The official registers all three; the form sent twice applies once.
    let mut form = vec![("csrf", official.csrf.as_str())];
    form.extend(mine.iter().map(|p| ("pick", p.as_str())));
    for _ in 0..2 {
        let r = post(&srv, &official.cookie, "/console/appeals/register", &form).await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            location(&r),
            "/console/appeals?flash=console-flash-bulk-registered"
        );
    }
    assert_eq!(srv.count(registered, vec![]).await, 3);
    let ops: &'static str = "SELECT COUNT(*) FROM ops WHERE kind = 'appeal.register'";
    let before = srv.count(ops, vec![]).await;
    // Fresh op ids for appeals already registered: refused, reported.
    let again: Vec<String> = ids
        .iter()
        .map(|id| format!("{id}:{}", uuid::Uuid::now_v7()))
        .collect();
    let mut form = vec![("csrf", official.csrf.as_str())];
    form.extend(again.iter().map(|p| ("pick", p.as_str())));
    let r = post(&srv, &official.cookie, "/console/appeals/register", &form).await;
    assert_eq!(
        location(&r),
        "/console/appeals?flash=console-flash-bulk-partial"
    );
    assert_eq!(
        srv.count(ops, vec![]).await,
        before + 3,
        "refusals are in the op log"
    );
    let numbers: &'static str =
        "SELECT COUNT(DISTINCT reg_number) FROM appeals WHERE subject LIKE 'Bulk %'";
    assert_eq!(srv.count(numbers, vec![]).await, 3, "one number each");
}
both_backends!(console_bulk, bulk_registration);
