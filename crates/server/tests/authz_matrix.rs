//! The authorization matrix: every op kind and every staff or private read,
//! for every kind of caller — anonymous, a resident here and one elsewhere,
//! the city's moderator, expert and official, an official of another
//! region, a department's official and the administrator — each cell
//! asserted: allowed cells are applied (or answered 200), denied ones are
//! refused with `forbidden`, `not_found` or `not_eligible` (or 401/403/404)
//! and change nothing. Every cell acts on fresh items, so an allowed cell
//! is not refused for the state an earlier cell left. On SQLite and
//! PostgreSQL.

mod common;

use common::{Client, Server};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Resident,
    ResidentElsewhere,
    Moderator,
    Expert,
    Official,
    OfficialElsewhere,
    Department,
    Admin,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    Resident,
    ResidentElsewhere,
    Moderator,
    Expert,
    Official,
    OfficialElsewhere,
    Department,
    Admin,
];
/// Everyone signed in.
const SIGNED_IN: &[Who] = &[
    Resident,
    ResidentElsewhere,
    Moderator,
    Expert,
    Official,
    OfficialElsewhere,
    Department,
    Admin,
];
/// Who lives in the city (every demo staff member of the city does).
const CITY_PEOPLE: &[Who] = &[Resident, Moderator, Expert, Official, Department, Admin];

/// Each op kind and who may apply it to an item of the city (an appeal to
/// the city akimat, a proposal or comment of a city cycle, the city's
/// cycles and staff).
const OPS: &[(&str, &[Who])] = &[
    ("appeal.submit", SIGNED_IN),
    ("appeal.register", &[Official, Admin]),
    ("appeal.redirect", &[Official, Admin]),
    ("appeal.extend", &[Official, Admin]),
    ("appeal.answer", &[Official, Admin]),
    ("appeal.dismiss", &[Official, Admin]),
    ("proposal.submit", CITY_PEOPLE),
    ("proposal.revise", &[Resident]),
    ("proposal.withdraw", &[Resident]),
    ("proposal.moderate", &[Moderator, Official, Admin]),
    ("proposal.review", &[Expert, Official, Admin]),
    ("proposal.progress", &[Official, Admin]),
    ("ballot.cast", CITY_PEOPLE),
    ("comment.add", SIGNED_IN),
    ("comment.moderate", &[Moderator, Official, Admin]),
    ("comment.report", SIGNED_IN),
    ("media.attach", &[Resident]),
    ("cycle.create", &[Official, Admin]),
    ("cycle.phase", &[Official, Admin]),
    ("role.grant", &[Admin]),
    ("role.revoke", &[Admin]),
    ("template.save", &[Admin]),
    ("template.delete", &[Admin]),
    ("partner.issue", &[Admin]),
    ("partner.revoke", &[Admin]),
    ("locality.route", &[Admin]),
];

/// The refusals that say "not yours" without saying more.
const DENIALS: &[&str] = &["forbidden", "not_found", "not_eligible"];

struct Cast {
    clients: Vec<(Who, Client)>,
}

impl Cast {
    async fn new(srv: &Server) -> Cast {
        let mut clients = Vec::new();
        for (who, label) in [
            (Resident, "resident"),
            (ResidentElsewhere, "resident (other region)"),
            (Moderator, "moderator, Pavlodar"),
            (Expert, "expert, Pavlodar"),
            (Official, "official, Pavlodar"),
            (OfficialElsewhere, "official, Almaty region"),
            (Department, "official, housing department"),
            (Admin, "administrator"),
        ] {
            clients.push((who, srv.sign_in(&srv.person(label, 0)).await));
        }
        Cast { clients }
    }

    fn get(&self, who: Who) -> Option<&Client> {
        self.clients.iter().find(|(w, _)| *w == who).map(|(_, c)| c)
    }

    fn of(&self, who: Who) -> &Client {
        self.get(who)
            .unwrap_or_else(|| panic!("no client for {who:?}"))
    }
}

fn accepted(r: &Value) -> String {
    assert_eq!(r["status"], "accepted", "setting up: {r}");
    r["entity_id"].as_str().unwrap_or_default().to_string()
}

/// Fresh items for one cell, made by those who may make them.
struct Fixtures<'a> {
    srv: &'a Server,
    cast: &'a Cast,
    n: usize,
}

impl Fixtures<'_> {
    async fn appeal(&self, registered: bool) -> String {
        let r = self
            .cast
            .of(Resident)
            .one(
                self.srv,
                "appeal.submit",
                json!({"type": "complaint", "addressee": "pvl-akimat",
                       "subject": format!("Matrix {}", self.n), "body": "Арык", "public": false}),
            )
            .await;
        let id = accepted(&r);
        if registered {
            let r = self
                .cast
                .of(Official)
                .one(self.srv, "appeal.register", json!({"appeal_id": id}))
                .await;
            accepted(&r);
        }
        id
    }

    async fn proposal(&self, status: &str) -> String {
        let cycle = self.srv.collecting_cycle_id().await;
        let r = self
            .cast
            .of(Resident)
            .one(
                self.srv,
                "proposal.submit",
                json!({"cycle_id": cycle, "title": format!("Matrix {}", self.n),
                       "description": "Скамейки", "category": "parks", "cost": 500000}),
            )
            .await;
        let id = accepted(&r);
        let moderate = |decision: &'static str| {
            let (srv, cast, id) = (self.srv, self.cast, id.clone());
            async move {
                let r = cast
                    .of(Moderator)
                    .one(
                        srv,
                        "proposal.moderate",
                        json!({"proposal_id": id, "decision": decision, "reason": "matrix"}),
                    )
                    .await;
                accepted(&r);
            }
        };
        match status {
            "needs_changes" => moderate("needs_changes").await,
            "accepted" => moderate("accept").await,
            _ => {}
        }
        id
    }

    /// A project being built (the demo's implementation cycle).
    async fn selected(&self) -> String {
        let (_, cycles) = self
            .srv
            .get(
                &format!("/v1/cycles?locality={}", dauys_server::demo::CITY),
                None,
            )
            .await;
        for c in cycles.as_array().into_iter().flatten() {
            let (_, ps) = self
                .srv
                .get(
                    &format!("/v1/cycles/{}/proposals", c["id"].as_str().unwrap_or("")),
                    None,
                )
                .await;
            if let Some(p) =
                ps.as_array().into_iter().flatten().find(|p| {
                    matches!(p["status"].as_str(), Some("selected" | "in_implementation"))
                })
            {
                return p["id"].as_str().unwrap_or_default().to_string();
            }
        }
        panic!("the demo has no selected project");
    }

    async fn comment(&self) -> String {
        let cycle = self.srv.voting_cycle().await;
        let on = self
            .srv
            .ballot_projects(cycle["id"].as_str().unwrap_or(""))
            .await;
        let r = self
            .cast
            .of(Resident)
            .one(
                self.srv,
                "comment.add",
                json!({"proposal_id": on[0].0, "body": format!("Matrix {}", self.n)}),
            )
            .await;
        accepted(&r)
    }

    async fn cycle(&self) -> String {
        let r = self
            .cast
            .of(Admin)
            .one(
                self.srv,
                "cycle.create",
                json!({"locality": dauys_server::demo::CITY, "budget": 1_000_000,
                       "title": {"kk": "М", "ru": "М", "en": "M"}}),
            )
            .await;
        accepted(&r)
    }

    async fn template(&self) -> String {
        let r = self
            .cast
            .of(Admin)
            .one(
                self.srv,
                "template.save",
                json!({"type": "complaint", "locality": dauys_server::demo::CITY,
                       "title": "Matrix", "body": "Ответ"}),
            )
            .await;
        accepted(&r)
    }

    /// A moderator's grant to a city resident; returns their user id.
    async fn grant(&self) -> String {
        let someone = self.srv.person("resident", 4);
        let r = self
            .cast
            .of(Admin)
            .one(
                self.srv,
                "role.grant",
                json!({"iin": someone.iin, "role": "moderator",
                       "locality": dauys_server::demo::CITY, "label": "matrix"}),
            )
            .await;
        accepted(&r)
    }

    async fn partner(&self) -> String {
        let r = self
            .cast
            .of(Admin)
            .one(self.srv, "partner.issue", json!({"label": "matrix"}))
            .await;
        accepted(&r)
    }

    /// An image uploaded by `who` (the uploader of what they attach).
    async fn upload(&self, who: &Client) -> String {
        let st = self.srv.st.clone();
        let id = format!("matrix-{}-{}", self.n, uuid::Uuid::now_v7());
        let (id2, user) = (id.clone(), who.me.user_id.clone());
        tokio::task::spawn_blocking(move || {
            let mut c = st.pool.get().expect("conn");
            let png = include_bytes!("../../cli/tests/data/tiny.png");
            dauys_server::kernel::uploads::put_whole(
                &mut *c,
                &id2,
                &user,
                png,
                "image/png",
                dauys_server::clock::now_ms(),
            )
            .expect("upload");
        })
        .await
        .expect("join");
        id
    }

    /// The payload of `kind` for `actor`, on fresh items.
    async fn payload(&self, kind: &str, actor: Option<&Client>) -> Value {
        match kind {
            "appeal.submit" => json!({"type": "request", "addressee": "pvl-akimat",
                                      "subject": "Matrix", "body": "b", "public": false}),
            "appeal.register" => json!({"appeal_id": self.appeal(false).await}),
            "appeal.redirect" => json!({"appeal_id": self.appeal(false).await,
                                        "to": "pvl-housing", "reason": "matrix"}),
            "appeal.extend" => {
                let until = dauys_server::clock::date_of(dauys_server::clock::now_ms())
                    + time::Duration::days(30);
                json!({"appeal_id": self.appeal(true).await,
                       "until": dauys_proto::workdays::format_date(until), "reason": "matrix"})
            }
            "appeal.answer" => json!({"appeal_id": self.appeal(true).await, "answer": "matrix"}),
            "appeal.dismiss" => json!({"appeal_id": self.appeal(false).await, "reason": "matrix"}),
            "proposal.submit" => json!({"cycle_id": self.srv.collecting_cycle_id().await,
                                        "title": "Matrix", "description": "d",
                                        "category": "parks", "cost": 100000}),
            "proposal.revise" => json!({"proposal_id": self.proposal("needs_changes").await,
                                        "title": "Matrix revised", "description": "d",
                                        "category": "parks", "cost": 100000}),
            "proposal.withdraw" => json!({"proposal_id": self.proposal("submitted").await}),
            "proposal.moderate" => json!({"proposal_id": self.proposal("submitted").await,
                                          "decision": "accept", "reason": "matrix"}),
            "proposal.review" => json!({"proposal_id": self.proposal("accepted").await,
                                        "feasible": true, "cost_estimate": 600000, "note": "m"}),
            "proposal.progress" => json!({"proposal_id": self.selected().await,
                                          "progress": 50, "note": "matrix"}),
            "ballot.cast" => {
                let cycle = self.srv.voting_cycle().await;
                let cid = cycle["id"].as_str().unwrap_or_default().to_string();
                let on = self.srv.ballot_projects(&cid).await;
                json!({"cycle_id": cid, "proposal_ids": [on[0].0]})
            }
            "comment.add" => {
                let cycle = self.srv.voting_cycle().await;
                let on = self
                    .srv
                    .ballot_projects(cycle["id"].as_str().unwrap_or(""))
                    .await;
                json!({"proposal_id": on[0].0, "body": "matrix"})
            }
            "comment.moderate" => json!({"comment_id": self.comment().await,
                                         "visible": false, "reason": "matrix"}),
            "comment.report" => json!({"comment_id": self.comment().await, "reason": "matrix"}),
            "media.attach" => {
                let upload = match actor {
                    Some(a) => self.upload(a).await,
                    None => "none".into(),
                };
                json!({"target_kind": "appeal", "target_id": self.appeal(false).await,
                       "upload_id": upload})
            }
            "cycle.create" => json!({"locality": dauys_server::demo::CITY, "budget": 1_000_000,
                                     "title": {"kk": "М", "ru": "М", "en": "M"}}),
            "cycle.phase" => json!({"cycle_id": self.cycle().await, "phase": "moderation"}),
            "role.grant" => json!({"iin": self.srv.person("resident", 5).iin, "role": "expert",
                                   "locality": dauys_server::demo::CITY}),
            "role.revoke" => json!({"user_id": self.grant().await, "role": "moderator",
                                    "locality": dauys_server::demo::CITY}),
            "template.save" => json!({"type": "request", "locality": dauys_server::demo::CITY,
                                      "title": "Matrix", "body": "b"}),
            "template.delete" => json!({"id": self.template().await}),
            "partner.issue" => json!({"label": "matrix"}),
            "partner.revoke" => json!({"id": self.partner().await}),
            "locality.route" => json!({"locality": dauys_server::demo::CITY, "topic": "health",
                                       "body": "pvl-akimat"}),
            other => panic!("no payload for {other}"),
        }
    }
}

async fn op_cells(srv: Server) {
    let cast = Cast::new(&srv).await;
    // Every op kind the server knows is in the table.
    let kinds: Vec<&str> = dauys_proto::OpKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    for k in &kinds {
        assert!(OPS.iter().any(|(o, _)| o == k), "{k} is not in the matrix");
    }
    let mut n = 0;
    let mut table = Vec::new();
    for (kind, allowed) in OPS {
        let mut row = Vec::new();
        for who in EVERYONE {
            n += 1;
            let fx = Fixtures {
                srv: &srv,
                cast: &cast,
                n,
            };
            let actor = cast.get(*who);
            let payload = fx.payload(kind, actor).await;
            let Some(actor) = actor else {
                // Anonymous: no push at all.
                let op = cast.of(Resident).op(kind, payload);
                let (s, _) = srv.post("/v1/push", None, &json!({"ops": [op]})).await;
                assert_eq!(s, 401, "{kind} anonymous");
                row.push("401");
                continue;
            };
            let r = actor.one(&srv, kind, payload.clone()).await;
            if allowed.contains(who) {
                assert_eq!(
                    r["status"], "accepted",
                    "{kind} by {who:?} should apply: {r}"
                );
                row.push("ok");
            } else {
                assert_eq!(
                    r["status"], "rejected",
                    "{kind} by {who:?} should be refused: {r}"
                );
                let code = r["code"].as_str().unwrap_or_default();
                assert!(
                    DENIALS.contains(&code),
                    "{kind} by {who:?} refused with {code}, not a denial: {r}"
                );
                row.push(match code {
                    "forbidden" => "403",
                    "not_found" => "404",
                    _ => "no",
                });
            }
        }
        table.push(format!("{kind:<18} {}", row.join(" ")));
    }
    println!("op matrix (columns: {EVERYONE:?}):\n{}", table.join("\n"));
}
both_backends!(authz_ops, op_cells);

/// Reads: staff queues and private items, each caller's status code.
async fn read_cells(srv: Server) {
    let cast = Cast::new(&srv).await;
    let fx = Fixtures {
        srv: &srv,
        cast: &cast,
        n: 0,
    };
    let private_appeal = fx.appeal(false).await;
    let in_moderation = fx.proposal("submitted").await;
    let photo = fx.upload(cast.of(Resident)).await;
    let r = cast
        .of(Resident)
        .one(
            &srv,
            "media.attach",
            json!({"target_kind": "appeal", "target_id": private_appeal, "upload_id": photo}),
        )
        .await;
    accepted(&r);
    let accepted_proposal = fx.proposal("accepted").await;
    let comment = fx.comment().await;
    let collecting = srv.collecting_cycle_id().await;
    let elsewhere: &[Who] = &[OfficialElsewhere];
    let sees_appeal: &[Who] = &[Resident, Official, Admin];
    let sees_proposal: &[Who] = &[Resident, Moderator, Expert, Official, Admin];
    // (path, the item it should show, who sees it, who gets 200 without it
    // (the role held elsewhere), what anonymous and everyone else get)
    type Read<'a> = (String, &'a str, &'a [Who], &'a [Who], u16, u16);
    let mut reads: Vec<Read> = vec![
        ("/v1/me".into(), "", SIGNED_IN, &[], 401, 200),
        (
            "/v1/staff/appeals?q=matrix&limit=200".into(),
            private_appeal.as_str(),
            &[Official, Admin],
            &[OfficialElsewhere, Department],
            401,
            403,
        ),
        (
            "/v1/staff/proposals?limit=200".into(),
            in_moderation.as_str(),
            &[Moderator, Official, Admin],
            elsewhere,
            401,
            403,
        ),
        (
            "/v1/staff/proposals?stage=review&limit=200".into(),
            accepted_proposal.as_str(),
            &[Expert, Official, Admin],
            elsewhere,
            401,
            403,
        ),
        (
            "/v1/staff/comments?limit=200".into(),
            comment.as_str(),
            &[Moderator, Official, Admin],
            elsewhere,
            401,
            403,
        ),
        (
            "/v1/staff/cycles".into(),
            collecting.as_str(),
            &[Official, Admin],
            elsewhere,
            401,
            403,
        ),
        (
            format!("/v1/appeals/{private_appeal}"),
            "",
            sees_appeal,
            &[],
            404,
            404,
        ),
        (
            format!("/v1/uploads/{photo}"),
            "",
            sees_appeal,
            &[],
            404,
            404,
        ),
        (
            format!("/v1/proposals/{in_moderation}"),
            "",
            sees_proposal,
            &[],
            404,
            404,
        ),
    ];
    // Lists of one's own and of public items: a private one only to its
    // author, whatever role anyone else holds.
    let others: &[Who] = &SIGNED_IN[1..];
    reads.push((
        "/v1/appeals".into(),
        private_appeal.as_str(),
        &[Resident],
        others,
        401,
        200,
    ));
    reads.push((
        format!("/v1/cycles/{collecting}/proposals"),
        in_moderation.as_str(),
        &[Resident],
        others,
        200,
        200,
    ));
    let mut table = Vec::new();
    for (path, item, sees, without, anonymous, others) in &reads {
        let mut row = Vec::new();
        for who in EVERYONE {
            let mut req = srv.http.get(srv.url(path));
            if let Some(c) = cast.get(*who) {
                req = req.bearer_auth(&c.token);
            }
            let r = req.send().await.expect("get");
            let want = if *who == Anonymous {
                *anonymous
            } else if sees.contains(who) || without.contains(who) {
                200
            } else {
                *others
            };
            let got = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            assert_eq!(got, want, "GET {path} by {who:?}: {body}");
            let mut cell = got.to_string();
            if got == 200 && !item.is_empty() {
                let listed = body.contains(&format!("\"{item}\""));
                assert_eq!(
                    listed,
                    sees.contains(who),
                    "GET {path} by {who:?} lists {item}: {listed}"
                );
                cell = if listed { "200+".into() } else { "200-".into() };
            }
            row.push(cell);
        }
        table.push(format!("{path:<48} {}", row.join(" ")));
    }
    println!("read matrix (columns: {EVERYONE:?}):\n{}", table.join("\n"));
}
both_backends!(authz_reads, read_cells);
