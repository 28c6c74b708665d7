//! The public pages over real HTTP, on SQLite and — with
//! `DAUYS_TEST_POSTGRES` — PostgreSQL: accountability figures computed
//! with Kazakhstan's calendar, page weight and revalidation.

mod common;

use common::{Client, Server};
use serde_json::json;

const DISTRICT: &str = "553200000";

async fn submit(srv: &Server, resident: &Client, to: &str, subject: &str) -> String {
    let out = resident
        .one(
            srv,
            "appeal.submit",
            json!({"type": "complaint", "addressee": to, "subject": subject, "body": "b",
                   "public": false}),
        )
        .await;
    out["entity_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_string()
}

async fn act(srv: &Server, official: &Client, kind: &str, payload: serde_json::Value) {
    let out = official.one(srv, kind, payload).await;
    assert_eq!(out["status"], "accepted", "{kind}: {out}");
}

/// Registered on `reg`, answered on `ans` (when given).
async fn appeal(srv: &Server, r: &Client, o: &Client, reg: &str, ans: Option<&str>) {
    srv.set_today(reg);
    let id = submit(
        srv,
        r,
        "aktogay-district-akimat",
        &format!("registered {reg}"),
    )
    .await;
    act(srv, o, "appeal.register", json!({"appeal_id": id})).await;
    if let Some(day) = ans {
        srv.set_today(day);
        act(
            srv,
            o,
            "appeal.answer",
            json!({"appeal_id": id, "answer": "done"}),
        )
        .await;
    }
}

/// The cells of the table row headed `name`.
fn row(html: &str, name: &str) -> Vec<String> {
    let start = html
        .find(&format!("<th scope=\"row\">{name}</th>"))
        .unwrap_or_else(|| panic!("no row {name}: {html}"));
    let end = start + html[start..].find("</tr>").unwrap_or(0);
    html[start..end]
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or_default().to_string())
        .collect()
}

async fn accountability_figures(srv: Server) {
    let r = srv.sign_in(&srv.person("resident (village)", 0)).await;
    let o = srv
        .sign_in(&srv.person("official, Aktogay district", 0))
        .await;
    // 3 working days: Mar 20, then Nauryz (Mar 21-23, its Saturday and
    // Sunday moved to Mar 24-25), then Mar 26, 27.
    appeal(&srv, &r, &o, "2026-03-19", Some("2026-03-27")).await;
    // 3: Dec 15, Independence Day (Dec 16), Dec 17, 18.
    appeal(&srv, &r, &o, "2026-12-14", Some("2026-12-18")).await;
    // 17, after the term: May 7 and May 11 (Victory Day's Saturday moved)
    // and Kurban ait (May 27) are off, so the 15th working day is May 28.
    appeal(&srv, &r, &o, "2026-05-04", Some("2026-06-01")).await;
    // Open, due Nov 23: overdue on Dec 4.
    appeal(&srv, &r, &o, "2026-11-02", None).await;
    // Redirected to the rural okrug, registered there, open.
    srv.set_today("2026-11-02");
    let id = submit(&srv, &r, "aktogay-district-akimat", "to the okrug").await;
    act(
        &srv,
        &o,
        "appeal.redirect",
        json!({"appeal_id": id, "to": "aktogay-okrug-akimat", "reason": "the okrug's"}),
    )
    .await;
    act(&srv, &o, "appeal.register", json!({"appeal_id": id})).await;
    srv.set_today("2026-12-04");

    let (status, html) = get_text(&srv, &format!("/l/{DISTRICT}/accountability?lang=en")).await;
    assert_eq!(status, 200);
    // received, answered, median working days, within term, overdue, redirected in
    assert_eq!(
        row(&html, "Akimat of Aktogay District"),
        ["4", "3", "3.0", "67 %", "1", "0"],
        "{html}"
    );
    assert_eq!(
        row(&html, "Office of the akim of Aktogay rural okrug"),
        ["1", "0", "—", "—", "1", "1"]
    );
    // Per month of receipt, the whole district.
    assert_eq!(row(&html, "2026-03"), ["1", "1", "3.0", "100 %", "0", "0"]);
    assert_eq!(row(&html, "2026-05"), ["1", "1", "17.0", "0 %", "0", "0"]);
    assert_eq!(row(&html, "2026-11"), ["2", "0", "—", "—", "2", "1"]);
    // The same figures per body and month as open data, under CC BY 4.0.
    let r = reqwest::get(srv.url(&format!("/l/{DISTRICT}/accountability.csv")))
        .await
        .expect("csv");
    assert_eq!(r.status(), 200);
    let link = r
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        link.contains("creativecommons.org/licenses/by/4.0"),
        "{link}"
    );
    let csv = r.text().await.unwrap_or_default();
    assert!(
        csv.starts_with("body,month,received,answered,median_working_days"),
        "{csv}"
    );
    assert!(
        csv.contains("aktogay-district-akimat,2026-05,1,1,17.0,0,0,0,0"),
        "{csv}"
    );
    assert!(
        csv.contains("aktogay-okrug-akimat,2026-11,1,0,,0,,1,1"),
        "{csv}"
    );
    let (_, json) = srv
        .get(&format!("/l/{DISTRICT}/accountability.json"), None)
        .await;
    assert_eq!(json["licence"], "CC BY 4.0");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(5), "{json}");
    // The district's home sums them.
    let (_, home) = get_text(&srv, &format!("/l/{DISTRICT}?lang=en")).await;
    assert!(
        home.contains("<strong>5</strong> appeals received"),
        "{home}"
    );
    assert!(home.contains("<strong>67 %</strong>"));
    // Private appeals are counted, never shown.
    assert!(!home.contains("registered 2026-03-19"));
    let (_, list) = get_text(&srv, &format!("/l/{DISTRICT}/appeals?lang=en")).await;
    assert!(!list.contains("registered 2026-03-19"));
}
both_backends!(public_accountability, accountability_figures);

async fn get_text(srv: &Server, path: &str) -> (u16, String) {
    let r = reqwest::get(srv.url(path)).await.expect("get");
    let s = r.status().as_u16();
    (s, r.text().await.unwrap_or_default())
}

async fn weight_and_revalidation(srv: Server) {
    let (_, v) = srv.get("/v1/cycles?locality=551010000", None).await;
    let cycle = v
        .as_array()
        .and_then(|a| a.iter().find(|c| c["phase"] == "implementation"))
        .and_then(|c| c["id"].as_str())
        .expect("a counted cycle")
        .to_string();
    // No automatic decompression: the bytes as sent.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client");
    for path in [
        "/".to_string(),
        "/l/551010000".into(),
        "/l/551010000/appeals".into(),
        "/l/551010000/accountability".into(),
        "/l/551010000/accountability.csv".into(),
        "/l/551010000/accountability.json".into(),
        format!("/cycles/{cycle}"),
    ] {
        for lang in ["kk", "ru", "en"] {
            let url = srv.url(&format!("{path}?lang={lang}"));
            let r = raw
                .get(&url)
                .header("accept-encoding", "gzip")
                .send()
                .await
                .expect("get");
            assert_eq!(r.status(), 200, "{url}");
            assert_eq!(
                r.headers().get("content-encoding").map(|v| v.as_bytes()),
                Some(&b"gzip"[..]),
                "{url} compressed"
            );
            let cache = r.headers()["cache-control"]
                .to_str()
                .unwrap_or_default()
                .to_string();
            assert!(cache.starts_with("public"), "{url}: {cache}");
            let etag = r.headers()["etag"].to_str().unwrap_or_default().to_string();
            let modified = r.headers()["last-modified"]
                .to_str()
                .unwrap_or_default()
                .to_string();
            let bytes = r.bytes().await.expect("body").len();
            assert!(bytes <= 50 * 1024, "{url}: {bytes} B gzipped");
            let again = raw
                .get(&url)
                .header("accept-encoding", "gzip")
                .header("if-none-match", &etag)
                .send()
                .await
                .expect("revalidate");
            assert_eq!(again.status(), 304, "{url} revalidated");
            // The same by date, for caches that keep only Last-Modified; a
            // copy from a second earlier is sent the page again.
            let since = httpdate::parse_http_date(&modified).expect("an HTTP date");
            let by_date = |t: std::time::SystemTime| {
                raw.get(&url)
                    .header("accept-encoding", "gzip")
                    .header("if-modified-since", httpdate::fmt_http_date(t))
                    .send()
            };
            let again = by_date(since).await.expect("revalidate by date");
            assert_eq!(again.status(), 304, "{url} revalidated by date");
            let older = by_date(since - std::time::Duration::from_secs(1))
                .await
                .expect("revalidate by date");
            assert_eq!(older.status(), 200, "{url}: an older copy is replaced");
        }
    }
    // The cycle's results: an SVG chart, the rule in words, the downloads.
    let (_, html) = get_text(&srv, &format!("/cycles/{cycle}?lang=en")).await;
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("How winners are chosen"));
    assert!(html.contains(&format!("/v1/cycles/{cycle}/ballots.pb")));
    assert_eq!(get_text(&srv, "/l/nowhere?lang=en").await.0, 404);
}
both_backends!(public_weight, weight_and_revalidation);

/// Comments under a proposal on the cycle's public page: visible ones with
/// their text, hidden ones with the moderator's published reason only.
async fn comments_on_the_cycle_page(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let moderator = srv.sign_in(&srv.person("moderator", 0)).await;
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let (proposal, _) = srv
        .ballot_projects(&cid)
        .await
        .into_iter()
        .next()
        .expect("a project");
    let mut ids = Vec::new();
    for body in ["Good idea, the yard needs it", "rude words here"] {
        let out = resident
            .one(
                &srv,
                "comment.add",
                json!({"target": {"kind": "proposal", "id": proposal}, "body": body}),
            )
            .await;
        assert_eq!(out["status"], "accepted", "{out}");
        ids.push(out["entity_id"].as_str().unwrap_or_default().to_string());
    }
    let out = moderator
        .one(
            &srv,
            "comment.moderate",
            json!({"comment_id": ids[1], "visible": false, "reason": "insults"}),
        )
        .await;
    assert_eq!(out["status"], "accepted", "{out}");
    let (status, html) = get_text(&srv, &format!("/cycles/{cid}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Good idea, the yard needs it"), "{html}");
    assert!(html.contains("Hidden by the moderator: insults"));
    assert!(
        !html.contains("rude words"),
        "a hidden comment's text shown"
    );
}
both_backends!(public_comments, comments_on_the_cycle_page);

/// Searching public appeals: by word beginnings in any case and script,
/// in the subject, the text and — once given — the answer; query syntax
/// typed by a visitor is only words; private appeals never found.
async fn search_public_appeals(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 1)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let file = |subject: &'static str, public: bool| {
        let (srv, resident) = (&srv, &resident);
        async move {
            let out = resident
                .one(
                    srv,
                    "appeal.submit",
                    json!({"type": "complaint", "addressee": "pvl-akimat", "subject": subject,
                           "body": "Көше шамы жанбайды, Торайғыров көшесі 12", "public": public}),
                )
                .await;
            out["entity_id"].as_str().unwrap_or_default().to_string()
        }
    };
    let lamp_id = file("Фонарь не горит", true).await;
    assert!(!file("Фонарь во дворе, личное", false).await.is_empty());
    // The list shows subjects.
    let (lamp, secret) = ("Фонарь не горит", "Фонарь во дворе");
    let city = dauys_server::demo::CITY;
    let find = |q: &str| {
        let path = format!("/l/{city}/appeals?lang=ru&q={}", urlencode(q));
        let srv = &srv;
        async move { get_text(srv, &path).await }
    };
    for q in ["фонар", "ФОНАРЬ горит", "көше шам", "ТОРАЙҒЫРОВ"] {
        let (status, html) = find(q).await;
        assert_eq!(status, 200, "{q}");
        assert!(html.contains(lamp), "{q}: {html}");
        assert!(!html.contains(secret), "private appeal listed for {q}");
    }
    let (_, html) = find("фонарь асфальт").await;
    assert!(!html.contains(lamp), "every word must match");
    for q in ["\"*", "фонар*) OR (x", ":* & | !", "NEAR(a b)"] {
        let (status, _) = find(q).await;
        assert_eq!(status, 200, "{q}");
    }
    // The answer is searchable once given (the index follows updates).
    let (_, html) = find("асфальтировано").await;
    assert!(!html.contains(lamp));
    act(
        &srv,
        &official,
        "appeal.register",
        json!({"appeal_id": lamp_id}),
    )
    .await;
    act(
        &srv,
        &official,
        "appeal.answer",
        json!({"appeal_id": lamp_id, "answer": "Фонарь заменён, двор асфальтирован"}),
    )
    .await;
    let (_, html) = find("асфальт").await;
    assert!(html.contains(lamp), "{html}");
}
both_backends!(public_search, search_public_appeals);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
