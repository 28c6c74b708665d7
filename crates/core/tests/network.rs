//! Dropped links without root: a proxy that cuts connections.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use dauys_core::*;

/// An interrupted photo upload resumes from the server's offset: bytes
/// re-sent are less than two chunks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_upload_resumes_from_server_offset() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let proxy = CutProxy::start(srv.addr).await;
    let (_h, p) = client_via(&dir.path().join("home"), &proxy.url(), &srv, 6).await;
    let photo = dir.path().join("busy.png");
    make_busy_photo(&photo, 1600, 1200);
    let op = p
        .submit_appeal(
            &AppealInput::new(
                dauys_proto::AppealType::Statement,
                "pvl-akimat",
                "Photo",
                "See the photo",
            )
            .with_photos(vec![photo]),
        )
        .unwrap();
    let media = p.media_ids().unwrap();
    assert_eq!(media.len(), 1);
    let (_, length) = p.media_bytes_sent(&media[0]).unwrap();
    const CHUNK: usize = 32 * 1024;
    assert!(
        length as usize > 6 * CHUNK,
        "photo big enough for the test: {length}"
    );
    // Cut the link in the middle of the upload.
    proxy.budget.store(length as u64 / 2, Ordering::SeqCst);
    let opts = SyncOptions {
        chunk_size: CHUNK,
        max_attempts: 1,
        pull: false,
        ..Default::default()
    };
    let r = p.sync(&opts).await.unwrap();
    assert_eq!(r.remaining, 1, "{r:?}");
    assert_eq!(r.media_uploaded, 0);
    let (sent_before, _) = p.media_bytes_sent(&media[0]).unwrap();
    assert!(sent_before > 0 && sent_before < length);
    let received: i64 = srv
        .sql()
        .query_row(
            "SELECT received FROM uploads WHERE id = ?1",
            [&media[0]],
            |r| r.get(0),
        )
        .unwrap();
    assert!(received > 0, "part of the photo reached the server");
    // Link back.
    proxy.budget.store(u64::MAX, Ordering::SeqCst);
    let r = p
        .sync(&SyncOptions {
            chunk_size: CHUNK,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(r.delivered(), "{r:?}");
    let (sent, length) = p.media_bytes_sent(&media[0]).unwrap();
    let resent = sent - length;
    eprintln!("photo {length} B, server had {received} B after the cut, sent {sent} B in all: re-sent {resent} B");
    assert!(resent < 2 * CHUNK as i64, "re-sent {resent} B ≥ 2 chunks");
    let (received, len): (i64, i64) = srv
        .sql()
        .query_row(
            "SELECT received, length FROM uploads WHERE id = ?1",
            [&media[0]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((received, len), (length, length));
    assert!(matches!(
        p.outbox()
            .unwrap()
            .iter()
            .find(|e| e.id == op)
            .unwrap()
            .state,
        OpState::Accepted { .. }
    ));
}

/// A pull with nothing new is one round trip of a few hundred bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_pull_is_one_small_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let proxy = CutProxy::start(srv.addr).await;
    let (_h, p) = client_via(&dir.path().join("home"), &proxy.url(), &srv, 5).await;
    p.sync(&SyncOptions::default()).await.unwrap();
    // Let the keep-alive connection settle, then measure one more sync.
    tokio::time::sleep(Duration::from_millis(50)).await;
    proxy.reset_counts();
    let conns = proxy.connections.load(Ordering::SeqCst);
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    let (up, down) = (
        proxy.up.load(Ordering::SeqCst),
        proxy.down.load(Ordering::SeqCst),
    );
    eprintln!(
        "empty pull: {} request(s), {up} B up, {down} B down on the wire, {} new connection(s)",
        r.requests,
        proxy.connections.load(Ordering::SeqCst) - conns
    );
    assert_eq!(r.requests, 1, "one round trip");
    assert!(down <= 400, "response {down} B");
    assert!(up + down <= 900, "total {} B", up + down);
}

/// Queued ops are delivered and the mirror refreshed in one round trip:
/// the pull rides on the (last) push batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_and_refresh_are_one_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let proxy = CutProxy::start(srv.addr).await;
    let (_h, p) = client_via(&dir.path().join("home"), &proxy.url(), &srv, 5).await;
    p.sync(&SyncOptions::default()).await.unwrap();
    let proposal = p
        .proposals(&ProposalQuery {
            cycle_id: None,
            search: None,
            limit: None,
        })
        .unwrap()
        .into_iter()
        .find(|x| x.status == dauys_core::proto::ProposalStatus::OnBallot)
        .expect("a proposal on the ballot")
        .id;
    for i in 0..100 {
        p.add_comment(&CommentInput {
            proposal_id: proposal.clone(),
            body: format!("comment {i} — пікір"),
        })
        .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    proxy.reset_counts();
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    let (up, down) = (
        proxy.up.load(Ordering::SeqCst),
        proxy.down.load(Ordering::SeqCst),
    );
    eprintln!(
        "100 comments: {} request(s), {up} B up, {down} B down, {} pulled",
        r.requests, r.pulled
    );
    assert!(r.delivered());
    assert_eq!((r.accepted, r.requests), (100, 1), "{r:?}");
    assert!(r.pulled >= 100, "{r:?}");
    // The refreshed mirror holds the server's copies, marked delivered.
    let comments = p.comments(&proposal).unwrap();
    let mine: Vec<_> = comments
        .iter()
        .filter(|c| c.comment.body.starts_with("comment "))
        .collect();
    assert_eq!(mine.len(), 100);
    assert!(mine
        .iter()
        .all(|c| !c.comment.locality.is_empty()
            && matches!(c.delivery, Some(OpState::Accepted { .. }))));
    // Nothing new: the next sync is one small pull.
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.requests, r.pulled), (1, 0), "{r:?}");
    // Pushing without pulling leaves the refresh for later.
    p.add_comment(&CommentInput {
        proposal_id: proposal.clone(),
        body: "comment no pull".into(),
    })
    .unwrap();
    let r = p
        .sync(&SyncOptions {
            pull: false,
            ..SyncOptions::default()
        })
        .await
        .unwrap();
    assert_eq!((r.accepted, r.pulled, r.requests), (1, 0, 1), "{r:?}");
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.pulled, r.requests), (1, 1), "{r:?}");
}
