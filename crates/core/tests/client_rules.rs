//! What the app's shell used to compute itself and now asks the core:
//! the places above the followed localities, addressees, the ballot rule,
//! one op's entry by id, and the sealing of plain draft photos an older
//! app version left behind.

mod common;

use common::*;
use dauys_core::*;
use dauys_proto::{AppealType, ErrorCode, Phase, ProposalStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn places_ballot_rule_op_lookup_and_legacy_photos() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let (_home, p) = client(&dir.path().join("home"), &srv, 0, false).await;
    p.sync(&SyncOptions::default()).await.unwrap();

    // Places: each followed locality, then the places above it, once each.
    let follows = p.follows().unwrap();
    let chain = p.locality_chain().unwrap();
    assert_eq!(chain.first(), follows.first());
    let all = p.localities().unwrap();
    for w in chain.windows(2) {
        let l = all.iter().find(|l| l.code == w[0]);
        if let Some(parent) = l.and_then(|l| l.parent.clone()) {
            assert_eq!(parent, w[1]);
        }
    }
    let bodies = p.addressees().unwrap();
    assert!(bodies.iter().any(|b| b.id == "pvl-akimat"), "{bodies:?}");
    let mut ids: Vec<_> = bodies.iter().map(|b| b.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), bodies.len(), "each body once");

    // The ballot rule against the mirror: the same codes as the server's.
    let cycle = p
        .cycles(None)
        .unwrap()
        .into_iter()
        .find(|c| c.phase == Phase::Voting)
        .unwrap();
    let on_ballot: Vec<String> = p
        .proposals(&ProposalQuery {
            cycle_id: Some(cycle.id.clone()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|x| x.status == ProposalStatus::OnBallot)
        .map(|x| x.id)
        .collect();
    let refused = |ids: Vec<String>| match p.cast_ballot(&BallotInput {
        cycle_id: cycle.id.clone(),
        proposal_ids: ids,
    }) {
        Err(e) => e.code(),
        Ok(op) => panic!("queued {op}"),
    };
    let twice = vec![on_ballot[0].clone(), on_ballot[0].clone()];
    assert_eq!(refused(twice), Some(ErrorCode::DuplicateProject));
    assert_eq!(
        refused(vec!["no-such-proposal".into()]),
        Some(ErrorCode::NotOnBallot)
    );
    assert_eq!(refused(vec![]), Some(ErrorCode::InvalidField));
    assert_eq!(p.pending_count().unwrap(), 0, "nothing refused was queued");
    let ok = BallotInput {
        cycle_id: cycle.id.clone(),
        proposal_ids: vec![on_ballot[0].clone()],
    };
    assert!(p.check_ballot(&ok).unwrap().is_some());
    let op = p.cast_ballot(&ok).unwrap();

    // One op by id, as the outbox lists it.
    let e = p.outbox_entry(op).unwrap().unwrap();
    assert_eq!(Some(&e), p.outbox().unwrap().iter().find(|x| x.id == op));
    assert_eq!(p.op_state(op).unwrap(), Some(OpState::Queued));
    assert_eq!(p.outbox_entry(uuid::Uuid::now_v7()).unwrap(), None);

    // Plain draft photos of an older app version are sealed and deleted.
    let root = dir.path().join("photos");
    let plain = root.join(p.id()).join("d1").join("1-двор.png");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    make_photo(&plain, 800, 600, 3);
    let outside = dir.path().join("elsewhere.png");
    make_photo(&outside, 400, 300, 4);
    let draft = p
        .save_draft(
            None,
            &DraftContent::Appeal(
                AppealInput::new(
                    AppealType::Complaint,
                    "pvl-akimat",
                    "Шұңқыр",
                    "Аулада шұңқыр бар.",
                )
                .with_photos(vec![plain.clone(), outside.clone()]),
            ),
        )
        .unwrap();
    assert!(p.seal_plain_draft_photos(&root));
    assert!(!root.exists(), "the plain files are gone");
    let d = p.draft(&draft).unwrap();
    assert_eq!(d.photos.len(), 1);
    assert_eq!(d.photos[0].name, "двор.png");
    match d.content {
        DraftContent::Appeal(a) => assert_eq!(a.photos, vec![outside.clone()]),
        o => panic!("{o:?}"),
    }
    assert!(
        outside.exists(),
        "files outside the old folder are not touched"
    );
    // A second run has nothing to do.
    assert!(p.seal_plain_draft_photos(&root));
}

/// Sign-in finds the resident's profile again, gives profiles labelled in
/// an older mask format today's (`dauys_proto::iin::mask`), keeps names
/// the user chose, and refuses a mistyped IIN before any request.
#[test]
fn sign_in_finds_relabels_and_checks_the_iin() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::open(
        dir.path(),
        HomeConfig {
            keys: KeyStorePolicy::FileOnly,
            ..HomeConfig::default()
        },
    )
    .unwrap();
    let (a, b) = (person(0).iin, person(1).iin);
    let server = "http://127.0.0.1:9";
    // As the app's shell labelled profiles before: first two and last two digits.
    let old = format!("{}••••••{}", &a[..2], &a[10..]);
    let pa = home.create_profile(&old, server, false, Some(&a)).unwrap();
    let pb = home
        .create_profile("Айгүл", server, false, Some(&b))
        .unwrap();
    let req = |iin| SignInRequest {
        iin,
        server: Some(server),
        ..Default::default()
    };
    let s = home.begin_sign_in(&req(&a)).unwrap();
    assert_eq!(s.info().id, pa.id);
    assert_eq!(s.info().label, dauys_proto::iin::mask(&a));
    let listed = home.profiles().unwrap();
    assert_eq!(
        listed.iter().find(|p| p.id == pa.id).unwrap().label,
        dauys_proto::iin::mask(&a)
    );
    let s = home.begin_sign_in(&req(&b)).unwrap();
    assert_eq!(
        (s.info().id.as_str(), s.info().label.as_str()),
        (pb.id.as_str(), "Айгүл")
    );
    // Another server: a new profile, labelled with the mask.
    let s = home
        .begin_sign_in(&SignInRequest {
            iin: &a,
            server: Some("http://127.0.0.1:10"),
            ..Default::default()
        })
        .unwrap();
    assert_ne!(s.info().id, pa.id);
    assert_eq!(s.info().label, dauys_proto::iin::mask(&a));
    // A typo in the IIN: refused here, no profile created.
    let mut typo = a.clone().into_bytes();
    typo[11] = if typo[11] == b'0' { b'1' } else { b'0' };
    let typo = String::from_utf8(typo).unwrap();
    let n = home.profiles().unwrap().len();
    assert!(matches!(
        home.begin_sign_in(&req(&typo)),
        Err(CoreError::InvalidIin(_))
    ));
    assert_eq!(home.profiles().unwrap().len(), n);
}
