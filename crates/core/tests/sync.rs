//! Acceptance tests of the client core against a real (in-process) server.

mod common;

use common::*;
use dauys_core::*;
use dauys_proto::AppealType;

fn appeal(i: usize, addressee: &str) -> AppealInput {
    let mut a = AppealInput::new(
        AppealType::Complaint,
        addressee,
        &format!("Өтініш №{i}: жарық жоқ"),
        &format!("Көшеде жарық жоқ, № {i}. Нет света на улице."),
    );
    a.appeal.public = i & 1 == 0;
    a
}

/// Acceptance 1: 200 mixed ops queued with the server down, delivered
/// exactly once after it comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_then_online_200_mixed_ops() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = TestServer::start(&dir.path().join("server.db")).await;
    let (cy2, cy2_props) = second_voting_cycle(&srv).await;
    let (_home, p) = client(&dir.path().join("home"), &srv, 0, false).await;
    let me = p.me().unwrap().unwrap();
    // First sync while online: mirror of the city.
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert!(r.delivered(), "{r:?}");
    let cycles = p.cycles(None).unwrap();
    let voting: Vec<_> = cycles
        .iter()
        .filter(|c| c.phase == dauys_proto::Phase::Voting)
        .collect();
    assert_eq!(voting.len(), 2, "two cycles in voting");
    let cy1 = voting.iter().find(|c| c.id != cy2).unwrap().id.clone();
    let props1: Vec<String> = p
        .proposals(&ProposalQuery {
            cycle_id: Some(cy1.clone()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|x| x.status == dauys_proto::ProposalStatus::OnBallot)
        .map(|x| x.id)
        .collect();
    assert!(props1.len() >= 5);

    let ops_before: i64 = srv
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM ops WHERE user_id = ?1",
            [&me.user_id],
            |r| r.get(0),
        )
        .unwrap();
    let srv_appeals_before: i64 = srv
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM appeals WHERE user_id = ?1",
            [&me.user_id],
            |r| r.get(0),
        )
        .unwrap();
    // Server down.
    srv.stop();
    let t0 = std::time::Instant::now();
    let mut appeal_ids = Vec::new();
    for i in 0..50 {
        appeal_ids.push(
            p.submit_appeal(&appeal(
                i,
                if i % 3 == 0 {
                    "pvl-housing"
                } else {
                    "pvl-akimat"
                },
            ))
            .unwrap(),
        );
    }
    for i in 0..100 {
        let pid = &props1[i % props1.len()];
        p.add_comment(&CommentInput {
            proposal_id: pid.clone(),
            body: format!("Пікір {i}: қолдаймын!"),
        })
        .unwrap();
    }
    let mut last = (None, None);
    for i in 0..20 {
        let a = p
            .cast_ballot(&BallotInput {
                cycle_id: cy1.clone(),
                proposal_ids: vec![props1[i % 5].clone(), props1[(i + 1) % 5].clone()],
            })
            .unwrap();
        let b = p
            .cast_ballot(&BallotInput {
                cycle_id: cy2.clone(),
                proposal_ids: vec![cy2_props[i % 3].clone()],
            })
            .unwrap();
        last = (Some(a), Some(b));
    }
    eprintln!("queued 190 ops in {:?}", t0.elapsed());
    let photos: Vec<_> = (0..10)
        .map(|i| {
            let photo = dir.path().join(format!("photo{i}.png"));
            make_photo(&photo, 2000, 1500, i as u32);
            photo
        })
        .collect();
    let t0 = std::time::Instant::now();
    for (i, photo) in photos.iter().enumerate() {
        p.attach_photo("appeal", &appeal_ids[i].to_string(), photo)
            .unwrap();
    }
    eprintln!("queued 10 photo attachments in {:?}", t0.elapsed());
    let ob = p.outbox().unwrap();
    assert_eq!(ob.len(), 200);
    assert!(ob.iter().all(|e| e.state == OpState::Queued));
    // Honest status while offline.
    let mine = |bs: Vec<BallotView>| -> Vec<BallotView> {
        bs.into_iter()
            .filter(|b| b.cycle_id == cy1 || b.cycle_id == cy2)
            .collect()
    };
    let bs = mine(p.ballots().unwrap());
    assert_eq!(bs.len(), 2);
    assert!(
        bs.iter()
            .all(|b| b.status == BallotStatus::QueuedNotCounted),
        "{bs:?}"
    );
    // Local effect is visible at once.
    let appeals_before = p
        .appeals()
        .unwrap()
        .iter()
        .filter(|a| a.delivery.is_some())
        .count();
    assert_eq!(appeals_before, 50);

    // A sync while the server is down delivers nothing and says so.
    let quick = SyncOptions {
        max_attempts: 2,
        backoff_base: std::time::Duration::from_millis(50),
        ..Default::default()
    };
    let r = p.sync(&quick).await.unwrap();
    assert_eq!(r.remaining, 200);
    assert!(r.last_error.is_some());

    srv.restart().await;
    let t1 = std::time::Instant::now();
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    eprintln!("delivered: {r:?} in {:?}", t1.elapsed());
    assert!(r.delivered(), "{r:?}");
    assert_eq!(r.accepted, 200, "{r:?}");
    assert_eq!(r.media_uploaded, 10);
    let ob = p.outbox().unwrap();
    assert!(
        ob.iter()
            .all(|e| matches!(e.state, OpState::Accepted { .. })),
        "{:?}",
        ob.iter()
            .find(|e| !matches!(e.state, OpState::Accepted { .. }))
    );

    // Server-side counts: exactly once.
    let db = srv.sql();
    let n = |sql: &str| -> i64 { db.query_row(sql, [&me.user_id], |r| r.get(0)).unwrap() };
    assert_eq!(
        n("SELECT COUNT(*) FROM ops WHERE user_id = ?1"),
        ops_before + 200
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM appeals WHERE user_id = ?1"),
        srv_appeals_before + 50
    );
    assert_eq!(n("SELECT COUNT(*) FROM comments WHERE author = ?1"), 100);
    // The appeals and ballots were signed bound to the account and server
    // (protocol v2): the server marked the device key so.
    assert_eq!(
        n("SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND bound > 0"),
        1
    );
    let nb: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM ballots WHERE user_id = ?1 AND cycle_id IN (?2, ?3)",
            [&me.user_id, &cy1, &cy2],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nb, 2);
    let media: i64 = db
        .query_row(
            "SELECT COALESCE(SUM(json_array_length(media)), 0) FROM appeals WHERE user_id = ?1",
            [&me.user_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(media, 10);
    let complete: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM uploads WHERE received = length",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(complete, 10);
    // The last cast wins.
    for (cy, op) in [(&cy1, last.0.unwrap()), (&cy2, last.1.unwrap())] {
        let counted: String = db
            .query_row(
                "SELECT op_id FROM ballots WHERE user_id = ?1 AND cycle_id = ?2",
                [&me.user_id, cy],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(counted, op.to_string());
    }
    // Ballots show receipts.
    let bs = mine(p.ballots().unwrap());
    assert_eq!(bs.len(), 2);
    for b in &bs {
        match &b.status {
            BallotStatus::Counted { receipt } => assert!(!receipt.is_empty()),
            other => panic!("ballot not counted: {other:?}"),
        }
        assert!(b.counted.is_some(), "pulled back from the server");
    }
    // Pulled back: appeals with server timeline, own comments.
    let ap: Vec<_> = p
        .appeals()
        .unwrap()
        .into_iter()
        .filter(|a| a.delivery.is_some())
        .collect();
    assert_eq!(ap.len(), 50);
    assert!(ap
        .iter()
        .all(|a| a.appeal.history.iter().all(|h| h.status != "queued")));
    assert_eq!(p.integrity_check().unwrap(), "ok");

    // A second sync has nothing to do and re-sends nothing.
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.accepted, r.rejected, r.media_uploaded), (0, 0, 0));
    assert_eq!(
        n("SELECT COUNT(*) FROM ops WHERE user_id = ?1"),
        ops_before + 200
    );
}

/// Acceptance 4: rejections come back with codes as editable drafts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_return_to_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let (_home, p) = client(&dir.path().join("home"), &srv, 1, false).await;
    p.sync(&SyncOptions::default()).await.unwrap();
    let closed = p
        .cycles(None)
        .unwrap()
        .into_iter()
        .find(|c| c.phase == dauys_proto::Phase::Implementation)
        .expect("finished cycle");
    let closed_prop = p
        .proposals(&ProposalQuery {
            cycle_id: Some(closed.id.clone()),
            ..Default::default()
        })
        .unwrap()
        .remove(0)
        .id;
    let any_prop = p.proposals(&ProposalQuery::default()).unwrap().remove(0).id;
    let b = p
        .cast_ballot(&BallotInput {
            cycle_id: closed.id.clone(),
            proposal_ids: vec![closed_prop.clone()],
        })
        .unwrap();
    let a = p.submit_appeal(&appeal(1, "no-such-akimat")).unwrap();
    let long = "ы".repeat(dauys_proto::limits::MAX_COMMENT_CHARS + 1);
    let c = p
        .add_comment(&CommentInput {
            proposal_id: any_prop.clone(),
            body: long.clone(),
        })
        .unwrap();
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.accepted, r.rejected), (0, 3), "{r:?}");
    let ob = p.outbox().unwrap();
    let code = |id: uuid::Uuid| match &ob.iter().find(|e| e.id == id).unwrap().state {
        OpState::Rejected {
            code,
            message_key,
            draft_id,
            ..
        } => (code.clone(), message_key.clone(), draft_id.clone().unwrap()),
        s => panic!("{s:?}"),
    };
    let (bc, bk, bd) = code(b);
    assert_eq!(
        (bc.as_str(), bk.as_str()),
        ("voting_closed", "error-voting-closed")
    );
    let (ac, _, ad) = code(a);
    assert_eq!(ac, "invalid_field");
    let (cc, _, cd) = code(c);
    assert_eq!(cc, "invalid_field");
    // Content is intact in editable drafts.
    match p.draft(&bd).unwrap().content {
        DraftContent::Ballot(x) => assert_eq!(x.proposal_ids, vec![closed_prop]),
        o => panic!("{o:?}"),
    }
    let ad_draft = p.draft(&ad).unwrap();
    assert_eq!(
        ad_draft.rejection.as_ref().unwrap().field.as_deref(),
        Some("addressee")
    );
    match ad_draft.content.clone() {
        DraftContent::Appeal(mut x) => {
            assert_eq!(x.appeal.subject, appeal(1, "").appeal.subject);
            // Edit and resend.
            x.appeal.addressee = "pvl-akimat".into();
            p.save_draft(Some(&ad), &DraftContent::Appeal(x)).unwrap();
        }
        o => panic!("{o:?}"),
    }
    match p.draft(&cd).unwrap().content {
        DraftContent::Comment(x) => assert_eq!(x.body, long),
        o => panic!("{o:?}"),
    }
    // The ballot shows as rejected, not silently dropped.
    let bv = p
        .ballots()
        .unwrap()
        .into_iter()
        .find(|v| v.cycle_id == closed.id)
        .unwrap();
    assert!(
        matches!(bv.status, BallotStatus::Rejected { ref code, .. } if code == "voting_closed")
    );
    // The rejected appeal left "my appeals".
    assert!(p
        .appeals()
        .unwrap()
        .iter()
        .all(|v| v.appeal.id != a.to_string()));
    let before = p.appeals().unwrap().len();
    let resent = p.submit_draft(&ad).unwrap();
    assert_ne!(resent, a);
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!(r.accepted, 1);
    assert!(p.draft(&ad).is_err(), "draft consumed");
    assert_eq!(p.appeals().unwrap().len(), before + 1);
    // Discard the other rejected ops; their drafts stay until deleted.
    p.discard(b).unwrap();
    assert!(p.draft(&bd).is_ok());
}
