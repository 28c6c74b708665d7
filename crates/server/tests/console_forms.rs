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
    let (session, html) = sign_in_keeping(&srv, &official_p, &action, &kept).await;
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

/// Signs `who` in again through both sign-in steps, carrying the kept
/// form (`resume_to`, `resume` as the expired page had them); returns the
/// new session's cookie and the page after the code: the form to resend.
async fn sign_in_keeping(
    srv: &Server,
    who: &dauys_server::demo::Person,
    action: &str,
    kept: &str,
) -> (String, String) {
    let b = browser();
    let r = b.get(srv.url("/console/login")).send().await.expect("get");
    let pre = cookie_value(&set_cookie(&r, "dauys_console_pre").expect("pre"));
    let pre_cookie = format!("dauys_console_pre={pre}");
    let kept_plain = unescape(kept);
    let r = b
        .post(srv.url("/console/login"))
        .header("cookie", &pre_cookie)
        .form(&[
            ("csrf", pre.as_str()),
            ("iin", who.iin.as_str()),
            ("resume_to", action),
            ("resume", kept_plain.as_str()),
        ])
        .send()
        .await
        .expect("iin");
    let html = r.text().await.unwrap_or_default();
    assert_eq!(hidden_in(&html, "/console/login/code", "resume_to"), action);
    let code = srv.last_code(&who.phone);
    let r = b
        .post(srv.url("/console/login/code"))
        .header("cookie", &pre_cookie)
        .form(&[
            ("csrf", pre.as_str()),
            ("iin", who.iin.as_str()),
            ("code", code.as_str()),
            ("resume_to", action),
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
    (session, r.text().await.unwrap_or_default())
}

/// A multipart form (an implementation update with a photo) sent after
/// the session expired: its text is kept, the form comes back multipart
/// with an empty file input to choose the photo again, and sent with it
/// the update is applied once.
async fn expired_session_keeps_a_multipart_form(srv: Server) {
    srv.set_today("2026-12-01");
    let official_p = srv.person("official, Pavlodar", 0);
    let official = staff(&srv, &official_p).await;
    let (_, html) = get(&srv, &official.cookie, "/console/implementation").await;
    let at = html.find("/console/work/").expect("a project being built");
    let action: String = html[at..].split('"').next().unwrap_or_default().to_string();
    let project = action.split('/').nth(3).unwrap_or_default().to_string();
    let op = hidden_in(&html, &action, "op_id");
    let photo = include_bytes!("../../cli/tests/data/tiny.png").to_vec();
    let form = |csrf: String, op: String| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("op_id", op)
            .text("progress", "55")
            .text("note", "Walls up & the roof <next>")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(photo.clone())
                    .file_name("works.png")
                    .mime_str("image/png")
                    .expect("mime"),
            )
    };

    srv.set_today("2026-12-02");
    let r = browser()
        .post(srv.url(&action))
        .header("cookie", &official.cookie)
        .multipart(form(official.csrf.clone(), op.clone()))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap_or_default();
    assert_eq!(hidden_in(&html, "/console/login", "resume_to"), action);
    let kept = hidden_in(&html, "/console/login", "resume");
    assert!(
        !kept.contains("csrf"),
        "the old token is not carried: {kept}"
    );
    let (_, v) = srv.get(&format!("/v1/proposals/{project}"), None).await;
    assert_ne!(v["progress"], 55, "nothing applied yet: {v}");

    let (session, html) = sign_in_keeping(&srv, &official_p, &action, &kept).await;
    let at = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form to resend: {html}"));
    let resend = &html[at..html[at..].find("</form>").map_or(html.len(), |e| at + e)];
    assert!(
        resend.contains("enctype=\"multipart/form-data\""),
        "{resend}"
    );
    assert!(
        resend.contains("type=\"file\"") && resend.contains("name=\"photo\""),
        "{resend}"
    );
    assert_eq!(hidden_in(&html, &action, "op_id"), op, "the same op id");
    assert_eq!(hidden_in(&html, &action, "progress"), "55");
    assert_eq!(
        unescape(&hidden_in(&html, &action, "note")),
        "Walls up & the roof <next>"
    );
    assert!(
        !resend.contains("_resume_"),
        "the marks stay out of the form: {resend}"
    );
    let csrf = hidden_in(&html, &action, "csrf");
    let r = browser()
        .post(srv.url(&action))
        .header("cookie", &session)
        .multipart(form(csrf, op.clone()))
        .send()
        .await
        .expect("resend");
    assert_eq!(
        location(&r),
        "/console/implementation?flash=console-flash-progress"
    );
    let (_, v) = srv.get(&format!("/v1/proposals/{project}"), None).await;
    assert_eq!(v["progress"], 55, "{v}");
    let media: Vec<String> = serde_json::from_value(v["media"].clone()).unwrap_or_default();
    assert!(media.contains(&format!("{op}-photo")), "{v}");

    // Without a live session, more than a megabyte is not read to keep:
    // the sign-in page, with nothing kept.
    let big = reqwest::multipart::Form::new()
        .text("op_id", op.clone())
        .part(
            "photo",
            reqwest::multipart::Part::bytes(vec![0u8; 1536 * 1024])
                .file_name("big.png")
                .mime_str("image/png")
                .expect("mime"),
        );
    let r = browser()
        .post(srv.url(&action))
        .header("cookie", "dauys_console=made-up")
        .multipart(big)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("action=\"/console/login\""), "{html}");
    assert!(!html.contains("name=\"resume\""), "{html}");
}
both_backends!(
    console_expired_multipart,
    expired_session_keeps_a_multipart_form
);

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
