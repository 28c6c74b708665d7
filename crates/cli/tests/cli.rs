//! The `dauys` CLI end to end: exit codes, listings, kiosk separation.

mod support;

use dauys_core::DraftContent;
use support::*;

/// The ballot of `cycle` in `dauys --json ballots` output.
fn ballot_of(ballots: &serde_json::Value, cycle: &str) -> serde_json::Value {
    ballots
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["cycle_id"] == cycle)
        .unwrap()
        .clone()
}

#[test]
fn exit_codes_and_listings() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut srv = Server::start_in(dir.path());
    let url = srv.url();
    // Not signed in: error.
    let (code, _, err) = run(&home, &url, &["status"]);
    assert_eq!(code, 1, "{err}");
    login(&home, &srv, 5, &[]);
    assert_eq!(run(&home, &url, &["sync"]).0, 0);
    let loc = json(&run(&home, &url, &["--json", "localities"]).1);
    assert!(loc
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["code"] == "551010000"));
    let voting = voting_cycle(&home, &url)["id"]
        .as_str()
        .unwrap()
        .to_string();
    // FTS with diacritics folded: "Балалар" matches "балалар", "ойын" prefix.
    let found = json(
        &run(
            &home,
            &url,
            &["--json", "proposals", "--search", "ойын балалар"],
        )
        .1,
    );
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let pid = on_ballot_ids(&home, &url, &voting)[0].clone();

    // Online: delivered at once → 0.
    let (code, out, err) = run(&home, &url, &["--json", "comment", &pid, "Тамаша идея"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["state"], "accepted");

    // Server down: queued → 3; sync later → 0.
    srv.kill();
    let (code, out, _) = run(&home, &url, &["--json", "vote", &voting, &pid]);
    assert_eq!(code, 3, "{out}");
    assert_eq!(json(&out)["state"], "queued");
    let (code, out, _) = run(&home, &url, &["--json", "ballots"]);
    assert_eq!(code, 0);
    let b = json(&out);
    let mine = ballot_of(&b, &voting);
    assert_eq!(mine["status"], "queued_not_counted");
    let (code, _, _) = run(&home, &url, &["sync", "--attempts", "1"]);
    assert_eq!(code, 3);
    assert_eq!(run(&home, &url, &["status"]).0, 3);
    srv.spawn();
    let (code, out, err) = run(&home, &url, &["sync"]);
    assert_eq!(code, 0, "{out}{err}");
    let b = json(&run(&home, &url, &["--json", "ballots"]).1);
    let mine = ballot_of(&b, &voting);
    assert_eq!(mine["status"], "counted");
    assert!(mine["receipt"].as_str().is_some_and(|r| !r.is_empty()));
    let ob = json(&run(&home, &url, &["--json", "outbox"]).1);
    assert!(ob
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["state"] == "accepted"));
    // Appeal with a photo, via the CLI.
    let photo = dir.path().join("p.png");
    std::fs::write(&photo, include_bytes!("data/tiny.png")).unwrap();
    let (code, out, err) = run(
        &home,
        &url,
        &[
            "--json",
            "appeal",
            "new",
            "--type",
            "complaint",
            "--to",
            "pvl-akimat",
            "--subject",
            "Жол",
            "--body",
            "Шұңқыр",
            "--photo",
            photo.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let ap = json(&run(&home, &url, &["--json", "appeals"]).1);
    let a = ap
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["subject"] == "Жол")
        .unwrap();
    assert_eq!(a["media"].as_array().unwrap().len(), 1);

    // Another resident's public appeal is listed and found offline; the
    // private one above is not among the public ones.
    let other = dir.path().join("other");
    login(&other, &srv, 6, &[]);
    let (code, out, err) = run(
        &other,
        &url,
        &[
            "appeal",
            "new",
            "--type",
            "request",
            "--to",
            "pvl-akimat",
            "--subject",
            "Бағдаршам істемейді",
            "--body",
            "Торайғыров пен Сәтпаев қиылысында.",
            "--public",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(run(&home, &url, &["sync"]).0, 0);
    let found = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["--json", "appeals", "--public"];
        all.extend_from_slice(args);
        let (code, out, err) = run(&home, &url, &all);
        assert_eq!(code, 0, "{err}");
        json(&out).as_array().unwrap().clone()
    };
    let hit = found(&["--search", "бағдар"]);
    assert_eq!(hit.len(), 1, "{hit:?}");
    assert_eq!(hit[0]["subject"], "Бағдаршам істемейді");
    assert!(
        found(&["--search", "Шұңқыр"]).is_empty(),
        "private appeals stay private"
    );
    assert!(found(&[])
        .iter()
        .all(|a| a["public"] == true && a["mine"] == false));
    // Offline too.
    srv.kill();
    assert_eq!(found(&["--search", "қиылыс"]).len(), 1);
}

fn raw_contains(dir: &std::path::Path, needle: &str) -> bool {
    let mut found = false;
    for e in walk(dir) {
        if let Ok(b) = std::fs::read(&e) {
            if b.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found = true;
            }
        }
    }
    found
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Acceptance 5: kiosk profiles are kept apart and wiped once synced.
#[test]
fn kiosk_profiles_are_separate_and_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut srv = Server::start_in(dir.path());
    let url = srv.url();
    login(&home, &srv, 0, &["--kiosk"]);
    assert_eq!(run(&home, &url, &["sync"]).0, 0);
    let voting = voting_cycle(&home, &url)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pids = on_ballot_ids(&home, &url, &voting);
    // A drafts an appeal (library: the app's autosave) and queues a ballot offline.
    const SECRET: &str = "Kiosk-secret-subject-7731";
    let a_id = {
        let h = open_home(&home);
        let p = h.open_active().unwrap();
        p.save_draft(
            None,
            &DraftContent::Appeal(dauys_core::AppealInput::new(
                dauys_core::proto::AppealType::Request,
                "pvl-akimat",
                SECRET,
                "A's private words",
            )),
        )
        .unwrap();
        p.id().to_string()
    };
    srv.kill();
    let (code, out, _) = run(
        &home,
        &url,
        &["--json", "--offline", "vote", &voting, &pids[2], &pids[4]],
    );
    assert_eq!(code, 3, "{out}");
    let a_op = json(&out)["op_id"].as_str().unwrap().to_string();
    // Sign-out with an undelivered ballot: locked, wiped once synced.
    let (code, out, _) = run(&home, &url, &["--json", "profile", "sign-out"]);
    assert_eq!(code, 3, "{out}");
    assert_eq!(json(&out)["outcome"], "wipe_when_synced");
    // A's data is locked: no command shows it.
    assert_eq!(run(&home, &url, &["drafts"]).0, 1);
    assert_eq!(run(&home, &url, &["outbox"]).0, 1);
    let a_dir = home.join("profiles").join(&a_id);
    assert!(!raw_contains(&a_dir, SECRET), "A's draft is sealed at rest");
    // (Op ids, kinds and states are plain metadata; contents are sealed.)
    assert!(!raw_contains(&a_dir, "A's private words"));

    // B signs in on the same kiosk.
    srv.spawn();
    login(&home, &srv, 4, &["--kiosk"]);
    assert_eq!(run(&home, &url, &["sync"]).0, 0);
    let mut all = String::new();
    for args in [
        &["--json", "drafts"][..],
        &["--json", "outbox"],
        &["--json", "appeals"],
        &["--json", "ballots"],
        &["--json", "status"],
        &["--json", "profile", "list"],
    ] {
        let (code, out, err) = run(&home, &url, args);
        assert!(code == 0 || code == 3, "{args:?}: {err}");
        all.push_str(&out);
    }
    assert!(
        !all.contains(SECRET) && !all.contains(&a_op),
        "B sees nothing of A"
    );
    let drafts = json(&run(&home, &url, &["--json", "drafts"]).1);
    assert!(drafts.as_array().unwrap().is_empty());
    let b_id = json(&run(&home, &url, &["--json", "status"]).1)["profile"]
        .as_str()
        .unwrap()
        .to_string();
    let b_dir = home.join("profiles").join(&b_id);
    assert!(!raw_contains(&b_dir, SECRET) && !raw_contains(&b_dir, &a_op));

    // Housekeeping delivers A's ballot, then wipes A.
    let (code, out, err) = run(&home, &url, &["--json", "kiosk", "tick", "--idle", "3600"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["wiped"].as_array().unwrap().len(), 1);
    assert!(!a_dir.exists(), "A's database is gone");
    assert!(
        !home.join("keys").join(format!("{a_id}.key")).exists(),
        "A's key is gone"
    );
    let counted: i64 = srv
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM ballots WHERE op_id = ?1",
            [&a_op],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(counted, 1, "A's ballot was delivered before the wipe");
    // Idle sign-out of B (idle 0 s): nothing pending, wiped at once.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, out, _) = run(&home, &url, &["--json", "kiosk", "tick", "--idle", "0"]);
    assert_eq!(code, 0, "{out}");
    assert!(!b_dir.exists());
}

/// Rules once: `dauys vote` refuses an over-budget ballot offline with the
/// code the server gives for the same ballot (`over_budget`), and queues
/// nothing.
#[test]
fn vote_over_budget_refused_offline_with_the_servers_code() {
    use dauys_core::net::{Api, NetConfig, Wire};
    use dauys_proto::{BallotCastPayload, BudgetOp, Op, OpBody, OpOutcome, VerifyRequest};
    use ed25519_dalek::Signer;

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let srv = Server::start_in(dir.path());
    let url = srv.url();
    login(&home, &srv, 5, &[]);
    assert_eq!(run(&home, &url, &["sync"]).0, 0);
    let cycle = voting_cycle(&home, &url);
    let cycle_id = cycle["id"].as_str().unwrap().to_string();
    let budget = cycle["budget"].as_i64().unwrap();
    let max = cycle["max_projects"].as_i64().unwrap_or(i64::MAX) as usize;
    // The most expensive projects on the ballot, as many as allowed.
    let props: Vec<dauys_proto::Proposal> = serde_json::from_value(json(
        &run(&home, &url, &["--json", "proposals", "--cycle", &cycle_id]).1,
    ))
    .unwrap();
    let mut on_ballot: Vec<_> = props
        .into_iter()
        .filter(|p| p.status == dauys_proto::ProposalStatus::OnBallot)
        .collect();
    on_ballot.sort_by_key(|p| std::cmp::Reverse(p.effective_cost()));
    let chosen: Vec<String> = on_ballot.iter().take(max).map(|p| p.id.clone()).collect();
    let total: i64 = on_ballot.iter().take(max).map(|p| p.effective_cost()).sum();
    assert!(
        total > budget,
        "the demo cycle allows an over-budget ballot"
    );

    // Offline: the refusal is the core's own (the shared rule), not an
    // answer from the server.
    let mut args = vec!["--json", "--offline", "vote", cycle_id.as_str()];
    args.extend(chosen.iter().map(String::as_str));
    let (code, out, err) = run(&home, &url, &args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("over_budget"), "{err}");
    // Nothing queued.
    let outbox = json(&run(&home, &url, &["--json", "outbox"]).1);
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "ballot.cast"),
        "{outbox}"
    );
    assert_eq!(
        json(&run(&home, &url, &["--json", "status"]).1)["queued"],
        0
    );

    // The server's answer to the same ballot, pushed as a raw signed op
    // from a second device of the same resident.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server_code = rt.block_on(async {
        let (iin, phone) = person(5);
        let api = Api::new(&url, NetConfig::default()).unwrap();
        api.request_otp(&iin).await.unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let session = api
            .verify(&VerifyRequest {
                iin: iin.clone(),
                code: srv.code_for(&phone),
                device_key: dauys_proto::hex(key.verifying_key().as_bytes()),
                device_name: "over-budget test".into(),
            })
            .await
            .unwrap();
        let body = OpBody::Budget(BudgetOp::BallotCast(BallotCastPayload {
            cycle_id: cycle_id.clone(),
            proposal_ids: chosen.clone(),
        }));
        let mut op = Op::new(uuid::Uuid::now_v7(), &body, 0);
        let sig = key.sign(&dauys_proto::signing_bytes(&op));
        op.signature = Some(dauys_proto::hex(&sig.to_bytes()));
        let resp = api
            .push(&session.token, &[op], None, &mut Wire::default())
            .await
            .unwrap();
        match &resp.results[0].outcome {
            OpOutcome::Rejected { code, .. } => code.as_str().to_string(),
            o => panic!("the server accepted an over-budget ballot: {o:?}"),
        }
    });
    assert_eq!(server_code, "over_budget");
    assert!(err.contains(&server_code));
}
