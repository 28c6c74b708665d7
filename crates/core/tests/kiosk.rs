//! Kiosk housekeeping against a real server: one profile that cannot be
//! opened does not stop the others from being delivered and wiped.

mod common;

use common::*;
use dauys_core::*;

/// Two residents sign out of a kiosk with a comment still queued; the
/// first one's key file is then lost. Housekeeping delivers and wipes the
/// second (and reports the first in the log), and a later run, once the
/// first can be opened again, wipes it too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn housekeeping_goes_past_a_profile_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let home_dir = dir.path().join("home");
    let mut queued = Vec::new();
    for who in [0, 4] {
        let (home, p) = client(&home_dir, &srv, who, true).await;
        p.sync(&SyncOptions::default()).await.unwrap();
        let pid = p.proposals(&ProposalQuery::default()).unwrap()[0]
            .id
            .clone();
        let op = p
            .add_comment(&CommentInput {
                proposal_id: pid,
                body: format!("kiosk comment of resident {who}"),
            })
            .unwrap();
        let id = p.id().to_string();
        drop(p);
        assert_eq!(
            home.sign_out(&id).await.unwrap(),
            SignOutOutcome::WipeWhenSynced
        );
        queued.push((id, op));
    }
    let home = Home::open(
        &home_dir,
        HomeConfig {
            keys: KeyStorePolicy::FileOnly,
            ..HomeConfig::default()
        },
    )
    .unwrap();
    // The first profile's key goes missing (a disk error, a careless
    // clean-up): it cannot be opened.
    let key = home_dir.join("keys").join(format!("{}.key", queued[0].0));
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();

    let wiped = home.maintain(&SyncOptions::default()).await.unwrap();
    assert_eq!(wiped, vec![queued[1].0.clone()], "the second is wiped");
    let delivered = |op: &uuid::Uuid| -> i64 {
        srv.sql()
            .query_row(
                "SELECT COUNT(*) FROM comments WHERE id = ?1",
                [op.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(
        delivered(&queued[1].1),
        1,
        "its comment was delivered first"
    );
    assert_eq!(delivered(&queued[0].1), 0);
    assert!(home.profiles().unwrap().iter().any(|p| p.id == queued[0].0));

    // The key is back: the next run delivers and wipes the first as well.
    std::fs::write(&key, saved).unwrap();
    let wiped = home.maintain(&SyncOptions::default()).await.unwrap();
    assert_eq!(wiped, vec![queued[0].0.clone()]);
    assert_eq!(delivered(&queued[0].1), 1);
    assert!(home.profiles().unwrap().is_empty());
}
