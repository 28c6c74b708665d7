//! The participatory budgeting loop end to end (issue 10, acceptance 3):
//! a resident proposes from the `dauys` CLI → the moderator asks for
//! changes with a reason → the author revises (`proposal.revise`) → the
//! moderator accepts → the experts estimate it → the cycle goes to voting
//! → residents vote from their devices → voting closes and the results are
//! published → an implementation update. After each step one `dauys sync`
//! shows it on the resident's device. Staff act through the real API.

mod support;

use dauys_core::net::{Api, NetConfig, Wire};
use dauys_proto::{Op, OpKind, OpOutcome, VerifyRequest};
use serde_json::{json, Value};
use support::*;

/// A staff member's API session (a device key of its own; staff ops are
/// accepted unsigned from an authenticated session).
struct Staff {
    api: Api,
    token: String,
    rt: tokio::runtime::Runtime,
}

impl Staff {
    fn sign_in(srv: &Server, person: usize) -> Staff {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let api = Api::new(&srv.url(), NetConfig::default()).unwrap();
        let (iin, phone) = support::person(person);
        let token = rt.block_on(async {
            api.request_otp(&iin).await.unwrap();
            let key = ed25519_dalek::SigningKey::from_bytes(&[person as u8 + 1; 32]);
            api.verify(&VerifyRequest {
                iin,
                code: srv.code_for(&phone),
                device_key: dauys_proto::hex(key.verifying_key().as_bytes()),
                device_name: "pb loop staff".into(),
            })
            .await
            .unwrap()
            .token
        });
        Staff { api, token, rt }
    }

    fn act(&self, kind: OpKind, payload: Value) {
        let op = Op {
            id: uuid::Uuid::now_v7(),
            kind: kind.as_str().into(),
            payload,
            client_ts: 0,
            signature: None,
        };
        let r = self
            .rt
            .block_on(
                self.api
                    .push(&self.token, &[op], None, &mut Wire::default()),
            )
            .unwrap();
        assert!(
            matches!(r.results[0].outcome, OpOutcome::Accepted { .. }),
            "{kind:?}: {:?}",
            r.results[0].outcome
        );
    }
}

/// Demo people: residents 0 and 1 of the city, its moderator (14), expert
/// (15) and official (13).
const OFFICIAL: usize = 13;
const MODERATOR: usize = 14;
const EXPERT: usize = 15;

fn sync(home: &std::path::Path, url: &str) {
    let (code, out, err) = run(home, url, &["sync"]);
    assert_eq!(code, 0, "{out}{err}");
}

fn mine(home: &std::path::Path, url: &str, cycle: &str, title_start: &str) -> Value {
    let props = json(&run(home, url, &["--json", "proposals", "--cycle", cycle]).1);
    props
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"].as_str().unwrap_or("").starts_with(title_start))
        .unwrap_or_else(|| panic!("no proposal {title_start} on the device: {props}"))
        .clone()
}

/// The id of the cycle collecting proposals, as the device sees it.
fn collecting_cycle(home: &std::path::Path, url: &str) -> String {
    let cycles = json(&run(home, url, &["--json", "cycles"]).1);
    cycles
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phase"] == "collecting")
        .expect("a cycle collecting proposals")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn has_note(p: &Value, note: &str) -> bool {
    p["history"].as_array().is_some_and(|h| {
        h.iter()
            .any(|e| e["note"].as_str().unwrap_or("").contains(note))
    })
}

#[test]
fn proposal_to_implementation() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let srv = Server::start_in(dir.path());
    let url = srv.url();
    login(&a, &srv, 0, &[]);
    login(&b, &srv, 1, &[]);
    sync(&a, &url);
    let cycle = collecting_cycle(&a, &url);

    // 1. Proposed from the resident's device, with two photos and a place.
    let photo = dir.path().join("p.png");
    std::fs::write(&photo, include_bytes!("data/tiny.png")).unwrap();
    let (code, out, err) = run(
        &a,
        &url,
        &[
            "proposal",
            "new",
            &cycle,
            "--title",
            "Benches by the bus stop",
            "--description",
            "Three benches and a bin.",
            "--category",
            "parks",
            // As residents write amounts.
            "--cost",
            "500 000 ₸",
            "--at",
            "52.2873,76.9674",
            "--photo",
            photo.to_str().unwrap(),
            "--photo",
            photo.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    sync(&a, &url);
    let p = mine(&a, &url, &cycle, "Benches by the bus stop");
    let pid = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["status"], "submitted");
    assert_eq!(p["cost"], 500000);
    assert_eq!(p["media"].as_array().unwrap().len(), 2, "{p}");
    assert_eq!(p["location"]["lat"], 52.2873);
    // Nothing has happened to it yet: no notification.
    let n = json(&run(&a, &url, &["--json", "notifications"]).1);
    assert_eq!(n.as_array().unwrap().len(), 0, "{n}");

    // 2. The moderator asks for changes, with a reason the author reads.
    let moderator = Staff::sign_in(&srv, MODERATOR);
    moderator.act(
        OpKind::ProposalModerate,
        json!({"proposal_id": pid, "decision": "needs_changes", "reason": "Name the bus stop"}),
    );
    sync(&a, &url);
    let p = mine(&a, &url, &cycle, "Benches by the bus stop");
    assert_eq!(p["status"], "needs_changes");
    assert!(has_note(&p, "Name the bus stop"), "{p}");
    // The author is told, with the reason; `proposal mine` says the same.
    let (code, out, err) = run(&a, &url, &["--json", "notifications", "--mark-read"]);
    assert_eq!(code, 0, "{err}");
    let n = json(&out);
    let n = n.as_array().unwrap();
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0]["event"]["event"], "proposal");
    assert_eq!(n[0]["event"]["status"], "needs_changes");
    assert_eq!(n[0]["event"]["note"], "Name the bus stop");
    assert_eq!(n[0]["read"], false);
    let n = json(&run(&a, &url, &["--json", "notifications"]).1);
    assert_eq!(n[0]["read"], true, "marked read");
    let (_, out, _) = run(&a, &url, &["proposal", "mine"]);
    assert!(
        out.contains("needs_changes") && out.contains("Name the bus stop"),
        "{out}"
    );

    // 3. The author revises it: back to moderation.
    let (code, out, err) = run(
        &a,
        &url,
        &[
            "proposal",
            "revise",
            &pid,
            "--title",
            "Benches by the Kairbayev St. bus stop",
            "--description",
            "Three benches and a bin at the Kairbayev St. stop.",
            "--category",
            "parks",
            "--cost",
            "520000",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    sync(&a, &url);
    let p = mine(&a, &url, &cycle, "Benches by the Kairbayev");
    assert_eq!(p["status"], "submitted");
    assert_eq!(p["cost"], 520000);
    // Someone else cannot revise it (the server answers as if it did not exist).
    let (code, _, err) = run(
        &b,
        &url,
        &[
            "--json",
            "revise",
            &pid,
            "--title",
            "x",
            "--description",
            "x",
            "--category",
            "x",
            "--cost",
            "1",
        ],
    );
    assert!(code == 0 || code == 3, "{err}");
    sync(&b, &url);
    let outbox = json(&run(&b, &url, &["--json", "outbox"]).1);
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "proposal.revise" && o["state"] == "rejected"),
        "{outbox}"
    );

    // 4. Accepted, then estimated by the experts: on the ballot.
    moderator.act(
        OpKind::ProposalModerate,
        json!({"proposal_id": pid, "decision": "accept"}),
    );
    let expert = Staff::sign_in(&srv, EXPERT);
    expert.act(
        OpKind::ProposalReview,
        json!({"proposal_id": pid, "feasible": true, "cost_estimate": 610000,
               "note": "Checked with the roads department"}),
    );
    sync(&a, &url);
    let p = mine(&a, &url, &cycle, "Benches by the Kairbayev");
    assert_eq!(p["status"], "on_ballot");
    assert_eq!(p["expert_cost"], 610000);

    // 5. Voting: both residents vote from their devices. The vote opens
    // only once every proposal is decided: the demo's others still waiting
    // are declined first, each with its published reason.
    let waiting: Vec<(String, String)> = {
        let db = srv.sql();
        let mut q = db
            .prepare(
                "SELECT id, status FROM proposals WHERE cycle_id = ?1
                   AND status IN ('submitted', 'in_moderation', 'needs_changes', 'accepted', 'expert_review')",
            )
            .unwrap();
        q.query_map([&cycle], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for (id, status) in waiting {
        if matches!(status.as_str(), "accepted" | "expert_review") {
            expert.act(
                OpKind::ProposalReview,
                json!({"proposal_id": id, "feasible": false, "cost_estimate": 0,
                       "note": "Not this year"}),
            );
        } else {
            moderator.act(
                OpKind::ProposalModerate,
                json!({"proposal_id": id, "decision": "reject", "reason": "Out of this cycle's scope"}),
            );
        }
    }
    let official = Staff::sign_in(&srv, OFFICIAL);
    official.act(
        OpKind::CyclePhase,
        json!({"cycle_id": cycle, "phase": "voting"}),
    );
    for home in [&a, &b] {
        sync(home, &url);
        let (code, out, err) = run(home, &url, &["vote", &cycle, &pid]);
        assert_eq!(code, 0, "{out}{err}");
        sync(home, &url);
        let ballots = json(&run(home, &url, &["--json", "ballots"]).1);
        let mine = ballots
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["cycle_id"] == cycle.as_str())
            .unwrap()
            .clone();
        assert_eq!(mine["status"], "counted", "{mine}");
    }

    // 6. Voting closes: the results are published.
    official.act(
        OpKind::CyclePhase,
        json!({"cycle_id": cycle, "phase": "tallying"}),
    );
    sync(&a, &url);
    let cycles = json(&run(&a, &url, &["--json", "cycles"]).1);
    let c = cycles
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == cycle.as_str())
        .unwrap()
        .clone();
    assert_eq!(c["phase"], "tallying");
    assert_eq!(c["results"]["votes"][&pid], 2, "{c}");
    assert!(
        c["results"]["selected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == pid.as_str()),
        "{c}"
    );

    // 7. Being built: the official's update reaches the device.
    official.act(
        OpKind::CyclePhase,
        json!({"cycle_id": cycle, "phase": "implementation"}),
    );
    official.act(
        OpKind::ProposalProgress,
        json!({"proposal_id": pid, "progress": 30, "note": "Benches ordered"}),
    );
    sync(&a, &url);
    let p = mine(&a, &url, &cycle, "Benches by the Kairbayev");
    assert_eq!(p["status"], "in_implementation");
    assert_eq!(p["progress"], 30);
    assert!(has_note(&p, "Benches ordered"), "{p}");
}

/// Runs the CLI with `--offline` (queues, never sends).
fn run_offline(home: &std::path::Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--offline"];
    all.extend_from_slice(args);
    run(home, url, &all)
}

/// The resident's side from the CLI (issue 13): an appeal routed by its
/// topic, placed at the village centre and with an SMS asked for — all
/// offline — then answered: the SMS goes to the resident's phone. And a
/// proposal withdrawn while it waits for the moderators.
#[test]
fn routed_appeal_sms_and_withdrawal() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let srv = Server::start_in(dir.path());
    let url = srv.url();
    login(&a, &srv, 0, &[]);
    sync(&a, &url);
    let (code, out, err) = run_offline(
        &a,
        &url,
        &[
            "appeal",
            "new",
            "--type",
            "complaint",
            "--topic",
            "lighting",
            "--subject",
            "Street light out",
            "--body",
            "The light by house 12 is out.",
            "--here",
            "--sms",
            "ru",
        ],
    );
    assert_eq!(code, 3, "queued, not sent: {out}{err}");
    let mine = json(&run_offline(&a, &url, &["--json", "appeals"]).1);
    let appeal = &mine.as_array().unwrap()[0];
    // The city's routing help sends street lights to its housing department.
    assert_eq!(appeal["addressee"], "pvl-housing", "{appeal}");
    assert_eq!(appeal["location"]["lat"], 52.2873, "{appeal}");
    assert_eq!(appeal["delivery"]["state"], "queued", "{appeal}");
    let (code, _, err) = run_offline(
        &a,
        &url,
        &[
            "appeal",
            "new",
            "--type",
            "complaint",
            "--topic",
            "sorcery",
            "--subject",
            "x",
            "--body",
            "x",
        ],
    );
    assert_ne!(code, 0, "an unknown topic is refused: {err}");
    sync(&a, &url);
    let mine = json(&run(&a, &url, &["--json", "appeals"]).1);
    let id = mine.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let official = Staff::sign_in(&srv, OFFICIAL);
    official.act(OpKind::AppealRegister, json!({"appeal_id": id}));
    assert!(srv.sms.lock().unwrap().is_empty(), "nothing until answered");
    official.act(
        OpKind::AppealAnswer,
        json!({"appeal_id": id, "answer": "The lamp was replaced."}),
    );
    let (_, phone) = support::person(0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while srv.sms.lock().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "no SMS sent");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let sent = srv.sms.lock().unwrap().clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, phone);
    assert!(
        sent[0].1.contains("ответ"),
        "in the language asked: {sent:?}"
    );

    // A proposal taken back before the moderators looked at it.
    let cycle = collecting_cycle(&a, &url);
    let (code, out, err) = run(
        &a,
        &url,
        &[
            "proposal",
            "new",
            &cycle,
            "--title",
            "A fountain",
            "--description",
            "In the square.",
            "--category",
            "parks",
            "--cost",
            "3 000 000",
            "--here",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    sync(&a, &url);
    let listed = json(&run(&a, &url, &["--json", "proposal", "mine"]).1);
    let p = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["title"] == "A fountain")
        .expect("mine")
        .clone();
    assert_eq!(p["location"]["lon"], 76.9674, "{p}");
    let pid = p["id"].as_str().unwrap().to_string();
    let (code, out, err) = run_offline(&a, &url, &["proposal", "withdraw", &pid]);
    assert!(code == 0 || code == 3, "queued offline: {out}{err}");
    let listed = json(&run_offline(&a, &url, &["--json", "proposal", "mine"]).1);
    let p = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == pid.as_str())
        .expect("mine")
        .clone();
    assert_eq!(p["status"], "withdrawn", "shown at once: {p}");
    assert!(!p["delivery"].is_null(), "with its delivery state: {p}");
    sync(&a, &url);
    let listed = json(&run(&a, &url, &["--json", "proposal", "mine"]).1);
    let p = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == pid.as_str())
        .expect("mine")
        .clone();
    assert_eq!(p["status"], "withdrawn", "{p}");
    assert!(p["delivery"].is_null(), "delivered: {p}");
    let status: String = srv
        .sql()
        .query_row("SELECT status FROM proposals WHERE id = ?1", [&pid], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "withdrawn");
}
