//! Acceptance 2: SIGKILL the `dauys` CLI at random points during 20 sync
//! runs of a large outbox, and the server mid-batch; then restart both:
//! no op lost, none duplicated, databases pass `PRAGMA integrity_check`.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dauys_core::{CommentInput, OpState, ProposalQuery};
use support::*;

#[test]
fn sigkill_client_and_server_during_sync() {
    let t = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut srv = Server::start_in(dir.path());
    eprintln!("server up {:?}", t.elapsed());
    login(&home, &srv, 2, &[]);
    eprintln!("logged in {:?}", t.elapsed());
    let (code, out, err) = run(&home, &srv.url(), &["sync"]);
    assert_eq!(code, 0, "{out}{err}");

    eprintln!("first sync {:?}", t.elapsed());
    // A large outbox, queued through the library on the same home (within
    // a resident's daily comment quota, `OpKind::daily_quota`).
    const N: usize = 290;
    let (user_id, ops_before) = {
        let h = open_home(&home);
        let p = h.open_active().unwrap();
        let props = p.proposals(&ProposalQuery::default()).unwrap();
        let public: Vec<_> = props
            .iter()
            .filter(|x| x.status.as_str() == "on_ballot")
            .collect();
        for i in 0..N {
            p.add_comment(&CommentInput {
                proposal_id: public[i % public.len()].id.clone(),
                body: format!("crash test comment {i}"),
            })
            .unwrap();
        }
        let uid = p.me().unwrap().unwrap().user_id;
        let n: i64 = srv
            .sql()
            .query_row("SELECT COUNT(*) FROM ops WHERE user_id = ?1", [&uid], |r| {
                r.get(0)
            })
            .unwrap();
        (uid, n)
    };

    eprintln!("queued {:?}", t.elapsed());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}");
    let mut rng = Lcg(seed);
    let t0 = Instant::now();
    let mut finished_early = 0;
    for run_no in 0..20 {
        let mut child = Command::new(dauys())
            .arg("--home")
            .arg(&home)
            .args([
                "--server",
                &srv.url(),
                "--key-files",
                "--json",
                "sync",
                "--batch",
                "10",
                "--no-pull",
                "--attempts",
                "3",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = Duration::from_millis(20 + rng.next(400));
        if run_no == 7 || run_no == 14 {
            // Kill the server mid-batch instead, then the client too.
            std::thread::sleep(wait);
            srv.kill();
            std::thread::sleep(Duration::from_millis(100 + rng.next(300)));
            let _ = child.kill();
            let _ = child.wait();
            srv.spawn();
            continue;
        }
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_some() {
            finished_early += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    eprintln!(
        "20 killed sync runs in {:?} ({finished_early} finished before the kill)",
        t0.elapsed()
    );

    {
        let h = open_home(&home);
        let ob = h.open_active().unwrap().outbox().unwrap();
        let acc = ob
            .iter()
            .filter(|e| matches!(e.state, OpState::Accepted { .. }))
            .count();
        let sending = ob.iter().filter(|e| e.state == OpState::Sending).count();
        eprintln!(
            "after the kills: {acc} accepted, {sending} sending (in flight when killed), {} queued",
            N - acc - sending
        );
    }
    // Restart both and finish.
    srv.kill();
    srv.spawn();
    let mut last = (0, String::new(), String::new());
    for _ in 0..5 {
        last = run(&home, &srv.url(), &["sync"]);
        if last.0 == 0 {
            break;
        }
    }
    eprintln!("final sync done {:?}", t.elapsed());
    assert_eq!(last.0, 0, "final sync: {}{}", last.1, last.2);

    let h = open_home(&home);
    let p = h.open_active().unwrap();
    assert_eq!(p.integrity_check().unwrap(), "ok");
    let ob = p.outbox().unwrap();
    assert_eq!(ob.len(), N);
    assert!(ob
        .iter()
        .all(|e| matches!(e.state, OpState::Accepted { .. })));
    let db = srv.sql();
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let ops: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM ops WHERE user_id = ?1",
            [&user_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ops, ops_before + N as i64, "every op applied exactly once");
    let comments: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM comments WHERE author = ?1 AND body LIKE 'crash test comment %'",
            [&user_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(comments, N as i64);
    let distinct: i64 = db
        .query_row("SELECT COUNT(DISTINCT body) FROM comments WHERE author = ?1 AND body LIKE 'crash test comment %'", [&user_id], |r| r.get(0))
        .unwrap();
    assert_eq!(distinct, N as i64, "no duplicates");
}
