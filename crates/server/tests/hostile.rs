//! Hostile input, on SQLite and PostgreSQL: each case gets a clear 4xx or
//! its op's rejection with a stable code, stores nothing, and the server
//! goes on accepting valid ops. And one bad op — even one that panics or
//! breaks its SQL — never fails the batch it came in.

mod common;

use std::sync::Arc;

use common::{Backend, Client, Server};
use dauys_proto::{ErrorCode, Op, OpOutcome};
use dauys_server::components::{Component, ParsedOp};
use dauys_server::db::Conn;
use dauys_server::error::{AppResult, Reject};
use dauys_server::kernel::ops::{Applied, Ctx};
use serde_json::{json, Value};

/// Rows that any accepted op would add to.
async fn footprint(srv: &Server) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM changes",
        "SELECT COUNT(*) FROM appeals",
        "SELECT COUNT(*) FROM proposals",
        "SELECT COUNT(*) FROM ballots",
        "SELECT COUNT(*) FROM comments",
        "SELECT COUNT(*) FROM cycles",
    ] {
        out.push(srv.count(sql, vec![]).await);
    }
    out
}

fn appeal(over: Value) -> Value {
    let mut v = json!({"type": "complaint", "addressee": "pvl-akimat", "subject": "Яма",
                       "body": "Яма на дороге", "public": false});
    merge(&mut v, over);
    v
}

fn merge(v: &mut Value, over: Value) {
    if let (Some(m), Value::Object(o)) = (v.as_object_mut(), over) {
        for (k, x) in o {
            m.insert(k, x);
        }
    }
}

fn long(n: usize) -> String {
    "ә".repeat(n)
}

/// The catalogue: (what, kind, payload, expected code).
fn cases(
    cycle: &str,
    project: &str,
    collecting: &str,
    proposal: &str,
) -> Vec<(String, String, Value, ErrorCode)> {
    use ErrorCode::*;
    let many: Vec<String> = (0..40_000)
        .map(|i| format!("01900000-0000-7000-8000-{i:012}"))
        .collect();
    let proposal_v = |over: Value| {
        let mut v = json!({"cycle_id": collecting, "title": "Каток", "description": "Каток во дворе",
                           "category": "sport", "cost": 1_000_000});
        merge(&mut v, over);
        v
    };
    let c = |what: &str, kind: &str, payload: Value, code: ErrorCode| {
        (what.to_string(), kind.to_string(), payload, code)
    };
    vec![
        // appeal.submit
        c(
            "appeal: no subject",
            "appeal.submit",
            json!({"type": "complaint", "addressee": "pvl-akimat", "body": "b"}),
            InvalidJson,
        ),
        c(
            "appeal: blank subject",
            "appeal.submit",
            appeal(json!({"subject": "   "})),
            InvalidField,
        ),
        c(
            "appeal: subject too long",
            "appeal.submit",
            appeal(json!({"subject": long(201)})),
            InvalidField,
        ),
        c(
            "appeal: body too long",
            "appeal.submit",
            appeal(json!({"body": long(10_001)})),
            InvalidField,
        ),
        c(
            "appeal: bell in subject",
            "appeal.submit",
            appeal(json!({"subject": "a\u{7}b"})),
            InvalidField,
        ),
        c(
            "appeal: NUL in subject",
            "appeal.submit",
            appeal(json!({"subject": "a\u{0}b"})),
            InvalidField,
        ),
        c(
            "appeal: NUL in body",
            "appeal.submit",
            appeal(json!({"body": "\u{0}"})),
            InvalidField,
        ),
        c(
            "appeal: NUL in addressee",
            "appeal.submit",
            appeal(json!({"addressee": "pvl\u{0}akimat"})),
            InvalidField,
        ),
        c(
            "appeal: NUL in a key",
            "appeal.submit",
            appeal(json!({"x\u{0}": 1})),
            InvalidField,
        ),
        c(
            "appeal: right-to-left override",
            "appeal.submit",
            appeal(json!({"subject": "abc\u{202E}fdp.exe"})),
            InvalidField,
        ),
        c(
            "appeal: isolate in body",
            "appeal.submit",
            appeal(json!({"body": "a\u{2067}b"})),
            InvalidField,
        ),
        c(
            "appeal: unknown body",
            "appeal.submit",
            appeal(json!({"addressee": "no-such-akimat"})),
            InvalidField,
        ),
        c(
            "appeal: unknown type",
            "appeal.submit",
            appeal(json!({"type": "bribe"})),
            InvalidJson,
        ),
        c(
            "appeal: type is a number",
            "appeal.submit",
            appeal(json!({"type": 5})),
            InvalidJson,
        ),
        c(
            "appeal: public is text",
            "appeal.submit",
            appeal(json!({"public": "yes"})),
            InvalidJson,
        ),
        c(
            "appeal: latitude 91",
            "appeal.submit",
            appeal(json!({"location": {"lat": 91.0, "lon": 76.9}})),
            InvalidField,
        ),
        c(
            "appeal: longitude -181",
            "appeal.submit",
            appeal(json!({"location": {"lat": 52.0, "lon": -181.0}})),
            InvalidField,
        ),
        c(
            "appeal: latitude is text",
            "appeal.submit",
            appeal(json!({"location": {"lat": "north", "lon": 1.0}})),
            InvalidJson,
        ),
        c(
            "appeal: photo never uploaded",
            "appeal.submit",
            appeal(json!({"media": ["no-such-upload"]})),
            MediaMissing,
        ),
        c(
            "appeal: 11 photos",
            "appeal.submit",
            appeal(json!({"media": (0..11).map(|i| format!("m{i}")).collect::<Vec<_>>()})),
            InvalidField,
        ),
        c(
            "appeal: payload is a list",
            "appeal.submit",
            json!([1, 2]),
            InvalidJson,
        ),
        c(
            "appeal: payload is null",
            "appeal.submit",
            Value::Null,
            InvalidJson,
        ),
        c(
            "appeal: payload is text",
            "appeal.submit",
            json!("appeal"),
            InvalidJson,
        ),
        // ballot.cast
        c(
            "ballot: nothing chosen",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": []}),
            InvalidField,
        ),
        c(
            "ballot: a project twice",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": [project, project]}),
            DuplicateProject,
        ),
        c(
            "ballot: 40,000 ids",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": many}),
            TooManyProjects,
        ),
        c(
            "ballot: unknown project",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": ["01900000-0000-7000-8000-000000000001"]}),
            NotOnBallot,
        ),
        c(
            "ballot: NUL in a project id",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": ["a\u{0}"]}),
            InvalidField,
        ),
        c(
            "ballot: unknown cycle",
            "ballot.cast",
            json!({"cycle_id": "no-such-cycle", "proposal_ids": [project]}),
            NotFound,
        ),
        c(
            "ballot: empty cycle id",
            "ballot.cast",
            json!({"cycle_id": "", "proposal_ids": [project]}),
            NotFound,
        ),
        c(
            "ballot: NUL in the cycle id",
            "ballot.cast",
            json!({"cycle_id": "\u{0}", "proposal_ids": [project]}),
            InvalidField,
        ),
        c(
            "ballot: ids not a list",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": project}),
            InvalidJson,
        ),
        c(
            "ballot: ids are numbers",
            "ballot.cast",
            json!({"cycle_id": cycle, "proposal_ids": [1, 2]}),
            InvalidJson,
        ),
        c(
            "ballot: cycle still collecting",
            "ballot.cast",
            json!({"cycle_id": collecting, "proposal_ids": [proposal]}),
            VotingClosed,
        ),
        // comment.add
        c(
            "comment: blank",
            "comment.add",
            json!({"proposal_id": project, "body": " \n "}),
            InvalidField,
        ),
        c(
            "comment: too long",
            "comment.add",
            json!({"proposal_id": project, "body": long(2_001)}),
            InvalidField,
        ),
        c(
            "comment: NUL",
            "comment.add",
            json!({"proposal_id": project, "body": "\u{0}"}),
            InvalidField,
        ),
        c(
            "comment: on nothing",
            "comment.add",
            json!({"body": "hi"}),
            InvalidJson,
        ),
        c(
            "comment: unknown proposal",
            "comment.add",
            json!({"proposal_id": "no-such", "body": "hi"}),
            NotFound,
        ),
        c(
            "comment: unknown target kind",
            "comment.add",
            json!({"target": {"kind": "ballot", "id": cycle}, "body": "hi"}),
            InvalidField,
        ),
        c(
            "comment: override",
            "comment.add",
            json!({"proposal_id": project, "body": "\u{202D}x"}),
            InvalidField,
        ),
        // proposal.submit
        c(
            "proposal: negative cost",
            "proposal.submit",
            proposal_v(json!({"cost": -5})),
            InvalidField,
        ),
        c(
            "proposal: zero cost",
            "proposal.submit",
            proposal_v(json!({"cost": 0})),
            InvalidField,
        ),
        c(
            "proposal: cost near i64::MAX",
            "proposal.submit",
            proposal_v(json!({"cost": i64::MAX})),
            InvalidField,
        ),
        c(
            "proposal: cost beyond i64",
            "proposal.submit",
            proposal_v(json!({"cost": 1e300})),
            InvalidJson,
        ),
        c(
            "proposal: fractional cost",
            "proposal.submit",
            proposal_v(json!({"cost": 1.5})),
            InvalidJson,
        ),
        c(
            "proposal: NUL in title",
            "proposal.submit",
            proposal_v(json!({"title": "\u{0}"})),
            InvalidField,
        ),
        c(
            "proposal: title too long",
            "proposal.submit",
            proposal_v(json!({"title": long(201)})),
            InvalidField,
        ),
        c(
            "proposal: unknown cycle",
            "proposal.submit",
            proposal_v(json!({"cycle_id": "nope"})),
            InvalidField,
        ),
        c(
            "proposal: voting cycle",
            "proposal.submit",
            proposal_v(json!({"cycle_id": cycle})),
            PhaseClosed,
        ),
        // Staff ops from a resident: as if the item did not exist (no hint
        // of what is there).
        c(
            "resident registers an appeal",
            "appeal.register",
            json!({"appeal_id": "x"}),
            NotFound,
        ),
        c(
            "resident answers an appeal",
            "appeal.answer",
            json!({"appeal_id": "x", "answer": "a"}),
            NotFound,
        ),
        c(
            "resident moderates",
            "proposal.moderate",
            json!({"proposal_id": proposal, "decision": "accept", "reason": "ok"}),
            NotFound,
        ),
        c(
            "resident creates a cycle",
            "cycle.create",
            json!({"locality": "551010000", "budget": 1, "rule": "greedy", "title": {"kk": "a", "ru": "a", "en": "a"}}),
            Forbidden,
        ),
        c(
            "resident grants a role",
            "role.grant",
            json!({"iin": "800120305823", "role": "admin"}),
            Forbidden,
        ),
        // The kernel.
        c("unknown kind", "ballot.steal", json!({}), UnknownKind),
        c("empty kind", "", json!({}), UnknownKind),
        c("NUL in the kind", "ballot\u{0}cast", json!({}), UnknownKind),
    ]
}

async fn catalogue(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let cycle = srv.voting_cycle().await;
    let cycle_id = cycle["id"].as_str().expect("id").to_string();
    let project = srv.ballot_projects(&cycle_id).await[0].0.clone();
    let collecting = srv.collecting_cycle_id().await;
    let (_, props) = srv
        .get(
            &format!("/v1/cycles/{collecting}/proposals"),
            Some(&resident.token),
        )
        .await;
    let proposal = props[0]["id"].as_str().unwrap_or("none").to_string();

    let all = cases(&cycle_id, &project, &collecting, &proposal);
    assert!(all.len() >= 50, "{} cases", all.len());
    let before = footprint(&srv).await;
    let mut wrong = Vec::new();
    for (what, kind, payload, code) in &all {
        let out = resident.one(&srv, kind, payload.clone()).await;
        if out["status"] != "rejected" || out["code"] != json!(code.as_str()) {
            wrong.push(format!("{what}: expected {}, got {out}", code.as_str()));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(
        footprint(&srv).await,
        before,
        "a hostile op stored something"
    );

    // Ops with a bad signature or id (signed by the client helper otherwise).
    let mut op = resident.op("appeal.submit", appeal(json!({})));
    op.signature = None;
    let mut bad_hex = resident.op("appeal.submit", appeal(json!({})));
    bad_hex.signature = Some("zz".into());
    let mut other = resident.op("appeal.submit", appeal(json!({})));
    other.signature = resident
        .op("appeal.submit", appeal(json!({"subject": "x"})))
        .signature;
    let mut v4 = resident.op("comment.add", json!({"proposal_id": project, "body": "hi"}));
    v4.id = uuid::Uuid::from_u128(0x0190_0000_0000_4000_8000_0000_0000_0001);
    let r = resident.push(&srv, &[op, bad_hex, other, v4]).await;
    let codes: Vec<Value> = r
        .iter()
        .map(|r| serde_json::to_value(&r.outcome).expect("json")["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            json!("bad_signature"),
            json!("bad_signature"),
            json!("bad_signature"),
            json!("invalid_field")
        ]
    );
    assert_eq!(footprint(&srv).await, before);

    // Requests refused at the door. No kept-alive connections: the server
    // closes one after refusing an oversized body unread.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let push = |body: String| {
        http.post(srv.url("/v1/push"))
            .bearer_auth(&resident.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let status = |r: reqwest::Result<reqwest::Response>| r.expect("send").status().as_u16();
    for body in [
        "{not json",
        "{\"ops\": 5}",
        "",
        "[]",
        "{\"ops\": [{\"id\": 1}]}",
    ] {
        let s = status(push(body.into()).await);
        assert!(s == 400 || s == 422, "{body}: {s}");
    }
    let too_many: Vec<Op> = (0..dauys_proto::limits::MAX_BATCH_OPS + 1)
        .map(|_| resident.op("comment.add", json!({"proposal_id": project, "body": "x"})))
        .collect();
    let s = status(push(json!({ "ops": too_many }).to_string()).await);
    assert!(s == 413 || s == 400, "{s}");
    let huge = format!("{{\"ops\": [], \"pad\": \"{}\"}}", "x".repeat(3 << 20));
    assert_eq!(status(push(huge).await), 413);
    let anonymous = http
        .post(srv.url("/v1/push"))
        .json(&json!({"ops": []}))
        .send()
        .await;
    assert_eq!(status(anonymous), 401);
    for path in [
        "/l/551010000%00/appeals",
        "/l/551010000/appeals?q=%00",
        "/v1/cycles?locality=%00",
        "/v1/changes?cursor=%00",
        "/console/appeals?q=a%00b",
    ] {
        // Refused at the door as invalid input (PostgreSQL failed with 500).
        assert_eq!(status(http.get(srv.url(path)).send().await), 422, "{path}");
    }
    assert_eq!(footprint(&srv).await, before);

    // Still accepting valid ops.
    let ok = resident.one(&srv, "appeal.submit", appeal(json!({}))).await;
    assert_eq!(ok["status"], "accepted", "{ok}");
}
both_backends!(hostile_catalogue, catalogue);

/// A component whose op panics or breaks its SQL on request.
struct Faulty;

impl Component for Faulty {
    fn name(&self) -> &'static str {
        "faulty"
    }
    fn op_kinds(&self) -> Vec<&'static str> {
        vec!["faulty.op"]
    }
    fn parse(&self, _kind: &str, payload: &Value) -> Result<ParsedOp, Reject> {
        Ok(ParsedOp::new(
            payload["mode"].as_str().unwrap_or("").to_string(),
        ))
    }
    fn apply(
        &self,
        c: &mut dyn Conn,
        _ctx: &mut Ctx,
        _op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        let mode: &String = body.get()?;
        match mode.as_str() {
            "panic" => panic!("a bug in a component"),
            "sql" => {
                // A write, then a statement that fails: both undone.
                c.exec("INSERT INTO changes (locality, owner, kind, entity_id, ts) VALUES (NULL, NULL, 'x', 'faulty', 0)", &[])?;
                c.exec("INSERT INTO no_such_table VALUES (1)", &[])?;
            }
            _ => {}
        }
        Ok(Applied {
            entity_id: "faulty".into(),
            receipt: None,
        })
    }
}

async fn bad_ops_alone(backend: Backend) {
    let Some(srv) = Server::start_custom(
        backend,
        true,
        |_| {},
        |st| st.with_components(vec![Arc::new(Faulty)]),
    )
    .await
    else {
        return;
    };
    let resident: Client = srv.sign_in(&srv.person("resident", 0)).await;
    let before = footprint(&srv).await;
    let batch = vec![
        resident.op("appeal.submit", appeal(json!({"subject": "first"}))),
        resident.op("faulty.op", json!({"mode": "panic"})),
        resident.op("faulty.op", json!({"mode": "sql"})),
        resident.op("appeal.submit", appeal(json!({"subject": "NUL\u{0}"}))),
        resident.op("appeal.submit", appeal(json!({"subject": "last"}))),
    ];
    let first = resident.push(&srv, &batch).await;
    let status: Vec<String> = first
        .iter()
        .map(|r| match &r.outcome {
            OpOutcome::Accepted { .. } => "accepted".to_string(),
            OpOutcome::Rejected { code, .. } => code.as_str().to_string(),
        })
        .collect();
    assert_eq!(
        status,
        [
            "accepted",
            "internal",
            "internal",
            "invalid_field",
            "accepted"
        ]
    );
    // Only the two good appeals' effects are stored.
    let after = footprint(&srv).await;
    assert_eq!(after[1], before[1] + 2, "appeals");
    assert_eq!(
        after[0],
        before[0] + 2,
        "changes: the failed op's write was undone"
    );
    // A re-send gets the same answers (the failures are stored, not retried).
    assert_eq!(resident.push(&srv, &batch).await, first);
    // The pool is healthy: every connection serves a new write.
    for i in 0..12 {
        let ok = resident
            .one(
                &srv,
                "appeal.submit",
                appeal(json!({"subject": format!("after {i}")})),
            )
            .await;
        assert_eq!(ok["status"], "accepted", "{ok}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_bad_op_never_fails_its_batch_sqlite() {
    bad_ops_alone(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_bad_op_never_fails_its_batch_postgres() {
    bad_ops_alone(Backend::Postgres).await;
}
