//! Uploads on SQLite and PostgreSQL: who gets the bytes of photos stored
//! before uploads were linked to their items (schema version 15) — after
//! migrating, a published proposal's photo is served to anyone, a private
//! appeal's to nobody without a session — and the daily quota per account.

mod common;

use common::{Backend, Server};
use dauys_server::db::{schema, Pool};
use dauys_server::params;

/// A tiny PNG: its signature and a few bytes (the server checked the
/// signature when the upload completed).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nphoto";

async fn photos_from_before_links(backend: Backend) {
    let Some(srv) = Server::start_prepared(backend, false, |url| {
        let pool = Pool::open(url).expect("pool");
        let mut c = pool.get().expect("conn");
        assert_eq!(schema::migrate_to(&mut *c, 15).expect("v15"), 15);
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(PNG);
        for (sql, p) in [
            (
                "INSERT INTO localities (code, parent, level, name_kk, name_ru, name_en)
                 VALUES ('L1', NULL, 'city', 'Қ', 'Г', 'C')",
                params![],
            ),
            (
                "INSERT INTO cycles (id, locality, title_kk, title_ru, title_en, budget, max_projects,
                   budget_limited, rule, min_age, phase, schedule, results, created_at, updated_at)
                 VALUES ('c1', 'L1', 't', 't', 't', 1000, NULL, 1, 'greedy', 16, 'voting', '{}', NULL, 1, 1)",
                params![],
            ),
            (
                "INSERT INTO proposals (id, cycle_id, locality, author, title, description, category, cost,
                   lat, lon, media, status, expert_cost, expert_note, votes, progress, history, created_at, updated_at)
                 VALUES ('p1', 'c1', 'L1', 'u1', 'Park', 'd', 'ecology', 100, NULL, NULL, '[\"up-public\"]',
                   'on_ballot', NULL, NULL, NULL, NULL, '[]', 1, 1)",
                params![],
            ),
            (
                "INSERT INTO appeals (id, user_id, appeal_type, addressee, locality, subject, body, lat, lon,
                   public, media, status, submitted_at, history, signature, updated_at)
                 VALUES ('a1', 'u2', 'complaint', 'L1', 'L1', 's', 'b', NULL, NULL, 0, '[\"up-private\"]',
                   'submitted', 1, '[]', '', 1)",
                params![],
            ),
        ] {
            c.exec(sql, p).expect("v15 row");
        }
        for (id, owner) in [("up-public", "u1"), ("up-private", "u2")] {
            c.exec(
                "INSERT INTO uploads (id, user_id, length, received, content_type, sha256, created_at)
                 VALUES ($1, $2, $3, $3, 'image/png', NULL, 1)",
                params![id, owner, PNG.len() as i64],
            )
            .expect("upload");
            c.exec(
                "INSERT INTO upload_chunks (upload_id, start_at, data) VALUES ($1, 0, $2)",
                params![id, data.clone()],
            )
            .expect("chunk");
        }
    })
    .await
    else {
        return;
    };
    let get = |id: &str| srv.http.get(srv.url(&format!("/v1/uploads/{id}"))).send();
    let public = get("up-public").await.expect("get");
    assert_eq!(public.status(), 200);
    assert_eq!(public.bytes().await.expect("bytes").as_ref(), PNG);
    assert_eq!(get("up-private").await.expect("get").status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrated_links_sqlite() {
    photos_from_before_links(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrated_links_postgres() {
    photos_from_before_links(Backend::Postgres).await;
}

/// Past 100 uploads or 200 MB declared in a day, an account's next upload
/// is refused with `rate_limited` (429) and nothing is created; creating an
/// existing upload again still answers; other accounts are not affected.
async fn daily_upload_quota(srv: Server) {
    use dauys_proto::limits::{MAX_MEDIA_BYTES, MAX_UPLOADS_PER_DAY};
    let create = |token: String, id: String, length: u64| {
        srv.http
            .post(srv.url("/v1/uploads"))
            .bearer_auth(token)
            .header("upload-length", length.to_string())
            .header("idempotency-key", id)
            .header("media-type", "image/png")
            .send()
    };
    let count = |user: String| {
        srv.count(
            "SELECT COUNT(*) FROM uploads WHERE user_id = $1",
            vec![user.into()],
        )
    };
    // Many small ones.
    let many = srv.sign_in(&srv.person("resident", 6)).await;
    let first = uuid::Uuid::now_v7().to_string();
    for i in 0..MAX_UPLOADS_PER_DAY {
        let id = if i == 0 {
            first.clone()
        } else {
            uuid::Uuid::now_v7().to_string()
        };
        let r = create(many.token.clone(), id, 10).await.expect("create");
        assert_eq!(r.status(), 201, "upload {i}");
    }
    let r = create(many.token.clone(), uuid::Uuid::now_v7().to_string(), 10)
        .await
        .expect("create");
    assert_eq!(r.status(), 429);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["code"], "rate_limited", "{v}");
    assert_eq!(count(many.me.user_id.clone()).await, MAX_UPLOADS_PER_DAY);
    // The first one again (a client that lost the answer): still answered.
    let r = create(many.token.clone(), first, 10).await.expect("create");
    assert_eq!(r.status(), 201);

    // A few large ones: 20 × 10 MB, then not one byte more.
    let big = srv.sign_in(&srv.person("resident", 7)).await;
    for i in 0..20 {
        let r = create(
            big.token.clone(),
            uuid::Uuid::now_v7().to_string(),
            MAX_MEDIA_BYTES,
        )
        .await
        .expect("create");
        assert_eq!(r.status(), 201, "large upload {i}");
    }
    let r = create(big.token.clone(), uuid::Uuid::now_v7().to_string(), 1)
        .await
        .expect("create");
    assert_eq!(r.status(), 429);
    assert_eq!(count(big.me.user_id.clone()).await, 20);
}
both_backends!(quota, daily_upload_quota);
