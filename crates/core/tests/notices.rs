//! Notifications and public appeals, against a real (in-process) server:
//! what staff do to a resident's appeal and proposal reaches the
//! resident's notification list at the next sync, with nothing noticed
//! twice; other residents' public appeals are listed and found offline.

mod common;

use common::*;
use dauys_core::*;
use dauys_proto::{AppealStatus, AppealType, ProposalStatus, ProposalSubmitPayload};
use serde_json::json;

fn opts() -> SyncOptions {
    SyncOptions {
        max_attempts: 2,
        ..SyncOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_actions_become_notices_and_public_appeals_are_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let (_home, me) = client(&dir.path().join("me"), &srv, 0, false).await;
    let (_home2, neighbour) = client(&dir.path().join("neighbour"), &srv, 1, false).await;
    for p in [&me, &neighbour] {
        p.follow(dauys_server::demo::CITY).unwrap();
        p.sync(&opts()).await.unwrap();
    }
    // Old news is not news: the first pull notices nothing.
    assert_eq!(
        me.unread_notices().unwrap(),
        0,
        "{:#?}",
        me.notices(50).unwrap()
    );
    assert!(me.notices(50).unwrap().is_empty());

    // A cycle collecting proposals; my appeal and my proposal.
    let official = raw_login(&srv, 13).await;
    let moderator = raw_login(&srv, 14).await;
    let cycle = action(
        &srv,
        &official,
        "cycle.create",
        json!({
            "locality": dauys_server::demo::CITY, "budget": 5_000_000, "rule": "greedy",
            "title": {"kk": "Хабарлама", "ru": "Уведомления", "en": "Notices"}
        }),
    )
    .await;
    me.sync(&opts()).await.unwrap();
    let mut a = AppealInput::new(
        AppealType::Complaint,
        "pvl-akimat",
        "Аулада жарық жоқ",
        "Кешке аула қараңғы.",
    );
    a.appeal.public = false;
    let appeal_id = me.submit_appeal(&a).unwrap().to_string();
    let proposal_op = me
        .submit_proposal(&ProposalInput {
            proposal: ProposalSubmitPayload {
                cycle_id: cycle.clone(),
                title: "Балалар алаңы".into(),
                description: "Аулаға жаңа алаң.".into(),
                category: "playgrounds".into(),
                cost: 2_000_000,
                location: None,
                media: Vec::new(),
            },
            photos: Vec::new(),
        })
        .unwrap();
    me.sync(&opts()).await.unwrap();
    let proposal_id = me
        .op_state(proposal_op)
        .unwrap()
        .and_then(|s| match s {
            OpState::Accepted { entity_id, .. } => Some(entity_id),
            _ => None,
        })
        .expect("proposal accepted");
    // Queued and delivered: nothing happened to them yet.
    assert_eq!(me.unread_notices().unwrap(), 0);

    // The neighbour's public appeal, answered.
    let mut n = AppealInput::new(
        AppealType::Request,
        "pvl-akimat",
        "Street light on Toraigyrov street",
        "The street light at house 12 is broken.",
    );
    n.appeal.public = true;
    let public_id = neighbour.submit_appeal(&n).unwrap().to_string();
    neighbour.sync(&opts()).await.unwrap();

    // Staff act.
    action(
        &srv,
        &official,
        "appeal.register",
        json!({"appeal_id": appeal_id}),
    )
    .await;
    action(
        &srv,
        &official,
        "appeal.register",
        json!({"appeal_id": public_id}),
    )
    .await;
    action(
        &srv,
        &official,
        "appeal.answer",
        json!({"appeal_id": public_id, "answer": "The lamp is replaced."}),
    )
    .await;
    action(
        &srv,
        &moderator,
        "proposal.moderate",
        json!({
            "proposal_id": proposal_id, "decision": "needs_changes", "reason": "Мекенжайын жазыңыз"
        }),
    )
    .await;

    me.sync(&opts()).await.unwrap();
    let notices = me.notices(50).unwrap();
    assert_eq!(me.unread_notices().unwrap(), 2, "{notices:#?}");
    assert!(notices.iter().any(|n| matches!(&n.event,
        NoticeEvent::Appeal { id, status: AppealStatus::Registered, overdue: false, registration_number: Some(_), .. }
            if *id == appeal_id)), "{notices:#?}");
    let moderated = notices
        .iter()
        .find_map(|n| match &n.event {
            NoticeEvent::Proposal {
                id, status, note, ..
            } if *id == proposal_id => Some((*status, note.clone())),
            _ => None,
        })
        .expect("proposal notice");
    assert_eq!(
        moderated,
        (ProposalStatus::NeedsChanges, "Мекенжайын жазыңыз".into())
    );
    assert!(
        matches!(notices[0].event, NoticeEvent::Proposal { .. }),
        "newest first"
    );

    // "My proposals" shows the status and the moderator's reason; a
    // revision shows at once as submitted and on its way, then delivered.
    let mine = me.my_proposals().unwrap();
    let p = mine.iter().find(|v| v.proposal.id == proposal_id).unwrap();
    assert_eq!(p.proposal.status, ProposalStatus::NeedsChanges);
    assert_eq!(
        p.proposal.history.last().unwrap().note,
        "Мекенжайын жазыңыз"
    );
    assert_eq!(p.delivery, None);
    me.revise_proposal(&dauys_proto::ProposalRevisePayload {
        proposal_id: proposal_id.clone(),
        title: "Балалар алаңы, Сәтпаев 120".into(),
        description: "Сәтпаев көшесі, 120 үйдің ауласына жаңа алаң.".into(),
        category: "playgrounds".into(),
        cost: 2_000_000,
    })
    .unwrap();
    let p = me
        .my_proposals()
        .unwrap()
        .into_iter()
        .find(|v| v.proposal.id == proposal_id)
        .unwrap();
    assert_eq!(p.proposal.status, ProposalStatus::Submitted);
    assert_eq!(p.proposal.title, "Балалар алаңы, Сәтпаев 120");
    assert!(p.delivery.as_ref().is_some_and(|d| d.is_pending()));
    me.sync(&opts()).await.unwrap();
    let p = me
        .my_proposals()
        .unwrap()
        .into_iter()
        .find(|v| v.proposal.id == proposal_id)
        .unwrap();
    assert_eq!(p.delivery, None);
    assert!(matches!(
        p.proposal.status,
        ProposalStatus::Submitted | ProposalStatus::InModeration
    ));
    assert_eq!(p.proposal.title, "Балалар алаңы, Сәтпаев 120");

    // Syncing again notices nothing new; reading clears the badge.
    me.sync(&opts()).await.unwrap();
    assert_eq!(me.notices(50).unwrap().len(), 2);
    assert_eq!(me.mark_notices_read(Some(notices[0].seq)).unwrap(), 2);
    assert_eq!(me.unread_notices().unwrap(), 0);

    // The answer reaches me as a new notice.
    action(
        &srv,
        &official,
        "appeal.answer",
        json!({"appeal_id": appeal_id, "answer": "Шам орнатылды."}),
    )
    .await;
    me.sync(&opts()).await.unwrap();
    assert_eq!(me.unread_notices().unwrap(), 1);
    assert!(matches!(
        me.notices(1).unwrap()[0].event,
        NoticeEvent::Appeal {
            status: AppealStatus::Answered,
            ..
        }
    ));

    // The neighbour's public appeal, with its answer, is found offline by a
    // word; my private appeal is never among the public ones.
    let found = me
        .public_appeals(&PublicAppealQuery {
            search: Some("light".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].id, public_id);
    assert_eq!(found[0].answer.as_deref(), Some("The lamp is replaced."));
    let answered = me
        .public_appeals(&PublicAppealQuery {
            answered: true,
            ..Default::default()
        })
        .unwrap();
    assert!(answered.iter().any(|a| a.id == public_id));
    let all = me.public_appeals(&PublicAppealQuery::default()).unwrap();
    assert!(all.iter().all(|a| a.id != appeal_id && a.public));
    assert!(me
        .public_appeals(&PublicAppealQuery {
            search: Some("nothing-like-this".into()),
            ..Default::default()
        })
        .unwrap()
        .is_empty());

    // A ballot counted is noticed with its receipt.
    let (voting, ids) = second_voting_cycle(&srv).await;
    me.sync(&opts()).await.unwrap();
    me.cast_ballot(&BallotInput {
        cycle_id: voting.clone(),
        proposal_ids: vec![ids[0].clone()],
    })
    .unwrap();
    me.sync(&opts()).await.unwrap();
    assert!(me.notices(50).unwrap().iter().any(|n| matches!(&n.event,
        NoticeEvent::BallotCounted { cycle_id, receipt } if *cycle_id == voting && !receipt.is_empty())));

    // Before voting is over nothing is published to check against.
    let early = me.check_receipt(&voting, None).await;
    assert!(
        matches!(
            &early,
            Err(CoreError::Api {
                code: dauys_proto::ErrorCode::PhaseClosed,
                ..
            })
        ),
        "{early:?}"
    );
    // Voting closes: the results are noticed, and my receipt checks out
    // against the published list (fetched whole); a made-up one does not.
    action(
        &srv,
        &official,
        "cycle.phase",
        json!({"cycle_id": voting, "phase": "tallying"}),
    )
    .await;
    me.sync(&opts()).await.unwrap();
    me.sync(&opts()).await.unwrap();
    assert!(
        me.notices(50).unwrap().iter().any(|n| matches!(&n.event,
        NoticeEvent::Results { cycle_id, .. } if *cycle_id == voting)),
        "{:#?}",
        me.notices(50).unwrap()
    );
    let mine = me.check_receipt(&voting, None).await.unwrap();
    assert!(mine.counted, "{mine:?}");
    assert!(mine.published >= 1);
    assert_eq!(mine.receipt, me.ballot_receipt(&voting).unwrap());
    let made_up = me
        .check_receipt(&voting, Some("0000-1111-2222-3333"))
        .await
        .unwrap();
    assert!(!made_up.counted);
    assert!(me
        .check_receipt(&voting, Some("not a receipt"))
        .await
        .is_err());
}
