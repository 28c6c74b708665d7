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

/// The `value` of the hidden input `name` inside the form posting to `action`.
fn hidden_in(html: &str, action: &str, name: &str) -> String {
    let at = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form to {action}: {html}"));
    field(&html[at..], "", name)
}

async fn expired_session_keeps_the_form(srv: Server) {
    srv.set_today("2026-12-01");
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let out = resident
        .one(
            &srv,
            "appeal.submit",
            json!({"type": "request", "addressee": "pvl-akimat", "subject": "Kept form",
                   "body": "b", "public": false}),
        )
        .await;
    let id = out["entity_id"].as_str().unwrap_or_default().to_string();
    let official_p = srv.person("official, Pavlodar", 0);
    let official = staff(&srv, &official_p).await;
    let page = format!("/console/appeals/{id}");
    let (_, html) = get(&srv, &official.cookie, &page).await;
    let op = field(&html, "/dismiss\"", "op_id");

    // The official types a reason, goes for tea; the session expires.
    srv.set_today("2026-12-02");
    let reason = "Anonymous & duplicate <of 12/01>";
    let action = format!("{page}/dismiss");
    let r = post(
        &srv,
        &official.cookie,
        &action,
        &[("csrf", &official.csrf), ("op_id", &op), ("text", reason)],
    )
    .await;
    // Not a bare redirect: the sign-in page, with the form kept.
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("action=\"/console/login\""), "{html}");
    assert_eq!(hidden_in(&html, "/console/login", "resume_to"), action);
    let kept = hidden_in(&html, "/console/login", "resume");
    assert!(!kept.contains("csrf"), "the old token is not carried");
    let not_yet: &'static str =
        "SELECT COUNT(*) FROM appeals WHERE subject = 'Kept form' AND status = 'dismissed'";
    assert_eq!(srv.count(not_yet, vec![]).await, 0);

    // Signing in again shows what was typed and sends it with one button.
    let b = browser();
    let r = b.get(srv.url("/console/login")).send().await.expect("get");
    let pre = cookie_value(&set_cookie(&r, "dauys_console_pre").expect("pre"));
    let pre_cookie = format!("dauys_console_pre={pre}");
    let kept_plain = unescape(&kept);
    let r = b
        .post(srv.url("/console/login"))
        .header("cookie", &pre_cookie)
        .form(&[
            ("csrf", pre.as_str()),
            ("iin", official_p.iin.as_str()),
            ("resume_to", action.as_str()),
            ("resume", kept_plain.as_str()),
        ])
        .send()
        .await
        .expect("iin");
    let html = r.text().await.unwrap_or_default();
    assert_eq!(hidden_in(&html, "/console/login/code", "resume_to"), action);
    let code = srv.last_code(&official_p.phone);
    let r = b
        .post(srv.url("/console/login/code"))
        .header("cookie", &pre_cookie)
        .form(&[
            ("csrf", pre.as_str()),
            ("iin", official_p.iin.as_str()),
            ("code", code.as_str()),
            ("resume_to", action.as_str()),
            ("resume", kept_plain.as_str()),
        ])
        .send()
        .await
        .expect("code");
    assert_eq!(r.status(), 200);
    let session = format!(
        "dauys_console={}",
        cookie_value(&set_cookie(&r, "dauys_console").expect("session"))
    );
    let html = r.text().await.unwrap_or_default();
    assert!(
        html.contains("Anonymous &#38; duplicate") || html.contains("Anonymous &amp; duplicate"),
        "{html}"
    );
    let csrf = hidden_in(&html, &action, "csrf");
    assert_eq!(hidden_in(&html, &action, "op_id"), op, "the same op id");
    let text = unescape(&hidden_in(&html, &action, "text"));
    assert_eq!(text, reason);
    let r = post(
        &srv,
        &session,
        &action,
        &[("csrf", &csrf), ("op_id", &op), ("text", &text)],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("{page}?flash=console-flash-dismissed")
    );
    assert_eq!(srv.count(not_yet, vec![]).await, 1);
}
both_backends!(console_expired_form, expired_session_keeps_the_form);

/// HTML attribute text back to plain text (askama escapes `&<>"'`).
fn unescape(s: &str) -> String {
    s.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}
