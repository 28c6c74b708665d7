//! Every list route answers one page at a time: `?limit=&offset=`, with
//! `Link: <…>; rel="next"` while more follow — on both databases.

mod common;

use common::Server;
use serde_json::{json, Value};

/// Follows `Link: rel="next"` from `first` to the end: the items of every
/// page, and the page sizes.
async fn walk(srv: &Server, first: &str, token: Option<&str>) -> (Vec<Value>, Vec<usize>) {
    let mut next = Some(first.to_string());
    let (mut items, mut sizes) = (Vec::new(), Vec::new());
    while let Some(path) = next.take() {
        let mut req = srv.http.get(srv.url(&path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("get");
        assert_eq!(r.status(), 200, "{path}");
        next = r
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix('<'))
            .and_then(|v| v.split_once(">; rel=\"next\""))
            .map(|(p, _)| p.to_string());
        let page: Vec<Value> = r.json().await.expect("json");
        sizes.push(page.len());
        items.extend(page);
        assert!(sizes.len() < 100, "the pages never end");
    }
    (items, sizes)
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn pages(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 2)).await;
    for i in 0..5 {
        let r = resident
            .one(
                &srv,
                "appeal.submit",
                json!({"type": "request", "addressee": "pvl-akimat", "subject": format!("page {i}"), "body": "b", "public": false}),
            )
            .await;
        assert_eq!(r["status"], "accepted", "{r}");
    }
    // Own appeals: two by two, newest first, each once; the whole list
    // is what one big page holds.
    let (all, sizes) = walk(&srv, "/v1/appeals?limit=500", Some(&resident.token)).await;
    assert_eq!(sizes.len(), 1);
    assert!(all.len() >= 5);
    let (paged, sizes) = walk(&srv, "/v1/appeals?limit=2", Some(&resident.token)).await;
    assert_eq!(ids(&paged), ids(&all), "the same appeals in the same order");
    assert!(
        sizes[..sizes.len() - 1].iter().all(|n| *n == 2),
        "{sizes:?}"
    );
    let submitted: Vec<i64> = all
        .iter()
        .map(|a| a["submitted_at"].as_i64().unwrap_or_default())
        .collect();
    assert!(submitted.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // A cycle's proposals and a proposal's comments, one by one; the
    // locality's cycles keep their `locality` across pages.
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle");
    let (whole, _) = walk(&srv, &format!("/v1/cycles/{cid}/proposals"), None).await;
    let (one_by_one, sizes) =
        walk(&srv, &format!("/v1/cycles/{cid}/proposals?limit=1"), None).await;
    assert_eq!(ids(&one_by_one), ids(&whole));
    assert!(sizes.len() > 1);
    let pid = whole[0]["id"].as_str().expect("proposal").to_string();
    for i in 0..3 {
        let r = resident
            .one(
                &srv,
                "comment.add",
                json!({"proposal_id": pid, "body": format!("comment {i}")}),
            )
            .await;
        assert_eq!(r["status"], "accepted", "{r}");
    }
    let path = format!("/v1/proposals/{pid}/comments");
    let (whole, _) = walk(&srv, &path, None).await;
    let (paged, sizes) = walk(&srv, &format!("{path}?limit=1"), None).await;
    assert_eq!(ids(&paged), ids(&whole));
    assert!(sizes.len() >= 3);
    let city = dauys_server::demo::CITY;
    let (whole, _) = walk(&srv, &format!("/v1/cycles?locality={city}"), None).await;
    let (paged, _) = walk(&srv, &format!("/v1/cycles?locality={city}&limit=1"), None).await;
    assert!(whole.len() > 1);
    assert_eq!(ids(&paged), ids(&whole));
    // Out of range: refused with the field named.
    for bad in ["limit=0", "limit=501", "limit=x", "offset=-1"] {
        let (s, v) = srv
            .get(&format!("/v1/cycles/{cid}/proposals?{bad}"), None)
            .await;
        assert_eq!(s, 422, "{bad}: {v}");
    }
}
both_backends!(list_pages, pages);
