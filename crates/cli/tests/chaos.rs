//! Chaos (#12): 20 devices — each its own resident and home — queue 300
//! ops offline (comments, a ballot replaced again and again, appeals with
//! a photo), then sync in loops of `dauys sync` processes that are killed
//! at random mid-sync, while the server is killed with SIGKILL every few
//! seconds. On SQLite (one server) and on PostgreSQL (two instances behind
//! one database, each device on one of them). Afterwards: no op lost, none
//! applied twice, every stored ballot is the last its resident cast, and
//! every database passes its integrity check.
//!
//! PostgreSQL runs when `DAUYS_TEST_POSTGRES` is set (`.ci/run` sets it).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dauys_core::{AppealInput, BallotInput, CommentInput, OpState, ProposalQuery};
use dauys_proto::iin::{self, Sex};
use dauys_server::db::Value;
use support::*;

const DEVICES: usize = 20;
const OPS: usize = 300;
/// Of the 300: one appeal with a photo in 30, one comment in 4, ballots
/// (each replacing the last). Appeals and comments stay within a
/// resident's daily quotas (`OpKind::daily_quota`); ballots have none.
const APPEAL_EVERY: usize = 30;
const COMMENT_EVERY: usize = 4;

fn is_appeal(k: usize) -> bool {
    k.is_multiple_of(APPEAL_EVERY)
}

fn is_comment(k: usize) -> bool {
    !is_appeal(k) && k % COMMENT_EVERY == 2
}
/// The chaos stops after this long whatever is left (the test then fails).
const DEADLINE: Duration = Duration::from_secs(420);

/// The chaos residents: adults of the demo city, not in the demo census.
fn residents() -> Vec<(String, String)> {
    (0..DEVICES)
        .map(|i| {
            let birth = time::Date::from_calendar_date(1990, time::Month::March, 1 + i as u8)
                .expect("date");
            let iin = (0..50u16)
                .find_map(|k| iin::make(birth, Sex::Female, 900 + k))
                .expect("an IIN");
            (iin, format!("+7702{:07}", 5000 + i))
        })
        .collect()
}

fn write_census(dir: &Path) -> PathBuf {
    let mut csv = String::from("iin,phone,locality\n");
    for (iin, phone) in residents() {
        csv.push_str(&format!("{iin},{phone},{}\n", dauys_server::demo::CITY));
    }
    let path = dir.join("chaos-census.csv");
    std::fs::write(&path, csv).expect("census");
    path
}

fn sign_in(home: &Path, srv: &Server, iin: &str, phone: &str) {
    let (code, out, err) = run(home, &srv.url(), &["login", "--iin", iin]);
    assert_eq!(code, 0, "{out}{err}");
    let otp = srv.code_for(phone);
    let (code, out, err) = run(home, &srv.url(), &["login", "--iin", iin, "--code", &otp]);
    assert_eq!(code, 0, "{out}{err}");
}

/// What one device queued: its user id and the choice of its last ballot.
struct Queued {
    user_id: String,
    last_ballot: Vec<String>,
}

fn queue_offline(home: &Path, device: usize, photo: &Path) -> Queued {
    let h = open_home(home);
    let p = h.open_active().expect("profile");
    let props = p.proposals(&ProposalQuery::default()).expect("proposals");
    let cycles = p.cycles(None).expect("cycles");
    let voting = cycles
        .iter()
        .find(|c| c.phase.as_str() == "voting" && c.locality == dauys_server::demo::CITY)
        .expect("a voting cycle on the device");
    let on_ballot: Vec<String> = props
        .iter()
        .filter(|x| x.cycle_id == voting.id && x.status.as_str() == "on_ballot")
        .map(|x| x.id.clone())
        .collect();
    assert!(
        on_ballot.len() >= 2,
        "projects on the ballot: {on_ballot:?}"
    );
    let mut last_ballot = Vec::new();
    for k in 0..OPS {
        if is_appeal(k) {
            let mut a = AppealInput::new(
                dauys_proto::AppealType::Complaint,
                "pvl-akimat",
                &format!("Chaos {device} appeal {k}"),
                "The yard light is out.",
            );
            a.photos = vec![photo.to_path_buf()];
            p.submit_appeal(&a).expect("appeal");
        } else if is_comment(k) {
            p.add_comment(&CommentInput {
                proposal_id: on_ballot[k % on_ballot.len()].clone(),
                body: format!("Chaos {device} comment {k}"),
            })
            .expect("comment");
        } else {
            let choice = vec![on_ballot[(k / 3 + device) % on_ballot.len()].clone()];
            p.cast_ballot(&BallotInput {
                cycle_id: voting.id.clone(),
                proposal_ids: choice.clone(),
            })
            .expect("ballot");
            last_ballot = choice;
        }
    }
    Queued {
        user_id: p.me().expect("me").expect("signed in").user_id,
        last_ballot,
    }
}

fn all_accepted(home: &Path) -> bool {
    let h = open_home(home);
    let ob = h.open_active().expect("profile").outbox().expect("outbox");
    ob.len() == OPS
        && ob
            .iter()
            .all(|e| matches!(e.state, OpState::Accepted { .. }))
}

fn spawn_sync(home: &Path, url: &str) -> Child {
    Command::new(dauys())
        .arg("--home")
        .arg(home)
        .args(["--server", url, "--key-files", "--json", "sync"])
        .args(["--batch", "10", "--attempts", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dauys sync")
}

fn chaos(db: &str, instances: usize, dir: &Path) {
    let t = Instant::now();
    let census = write_census(dir);
    let mut servers: Vec<Server> = (0..instances)
        .map(|_| {
            let mut s = Server::new(Path::new(db), &format!("127.0.0.1:{}", free_port()));
            s.census_csv = Some(census.clone());
            s.spawn();
            s
        })
        .collect();
    let photo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.png");
    let people = residents();
    let mut queued = Vec::new();
    let homes: Vec<PathBuf> = (0..DEVICES)
        .map(|i| dir.join(format!("device-{i}")))
        .collect();
    for (i, home) in homes.iter().enumerate() {
        let srv = &servers[i % instances];
        sign_in(home, srv, &people[i].0, &people[i].1);
        let (code, out, err) = run(home, &srv.url(), &["sync"]);
        assert_eq!(code, 0, "{out}{err}");
        queued.push(queue_offline(home, i, &photo));
    }
    eprintln!(
        "{DEVICES} devices signed in, {} ops queued offline in {:?}",
        DEVICES * OPS,
        t.elapsed()
    );

    // The chaos: devices sync in loops, killed at random; the server(s)
    // killed every 1–2.5 s and started again.
    let urls: Vec<String> = servers.iter().map(Server::url).collect();
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicUsize::new(0));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7);
    eprintln!("seed {seed}");
    let started = Instant::now();
    let workers: Vec<_> = homes
        .iter()
        .enumerate()
        .map(|(i, home)| {
            let (home, url) = (home.clone(), urls[i % instances].clone());
            let (done, stop, kills) = (done.clone(), stop.clone(), kills.clone());
            std::thread::spawn(move || {
                let mut rng = Lcg(seed ^ (i as u64 + 1).wrapping_mul(0x9e3779b97f4a7c15));
                while !stop.load(Ordering::Relaxed) {
                    let mut child = spawn_sync(&home, &url);
                    let kill_after = (rng.next(2) == 0).then(|| rng.next(1000) + 50);
                    let t0 = Instant::now();
                    let finished = loop {
                        if let Some(s) = child.try_wait().expect("wait") {
                            break Some(s.success());
                        }
                        if kill_after.is_some_and(|ms| t0.elapsed() > Duration::from_millis(ms))
                            || stop.load(Ordering::Relaxed)
                        {
                            let _ = child.kill(); // SIGKILL
                            let _ = child.wait();
                            kills.fetch_add(1, Ordering::Relaxed);
                            break None;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    };
                    if finished == Some(true) && all_accepted(&home) {
                        done.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100 + rng.next(300)));
                }
            })
        })
        .collect();
    let mut rng = Lcg(seed);
    let mut server_kills = 0;
    while done.load(Ordering::Relaxed) < DEVICES && started.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(1000 + rng.next(1500)));
        if done.load(Ordering::Relaxed) >= DEVICES {
            break;
        }
        let s = &mut servers[server_kills % instances];
        s.kill();
        server_kills += 1;
        std::thread::sleep(Duration::from_millis(200 + rng.next(500)));
        s.spawn();
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("device thread");
    }
    eprintln!(
        "chaos for {:?}: {server_kills} server kills, {} device kills, {} of {DEVICES} devices done",
        started.elapsed(),
        kills.load(Ordering::Relaxed),
        done.load(Ordering::Relaxed)
    );
    assert_eq!(
        done.load(Ordering::Relaxed),
        DEVICES,
        "devices left with undelivered ops after {DEADLINE:?}"
    );

    // Every device: its whole outbox accepted, its database sound.
    for home in &homes {
        let (code, out, err) = run(home, &urls[0], &["sync"]);
        assert_eq!(code, 0, "{out}{err}");
        let h = open_home(home);
        let p = h.open_active().expect("profile");
        assert_eq!(p.integrity_check().expect("check"), "ok");
        assert!(all_accepted(home));
    }
    // The server: each op once, each comment and appeal once, each ballot
    // the last one cast; the database sound.
    let st = dauys_server::open_state(
        &if db.starts_with("postgres") {
            db.to_string()
        } else {
            format!("sqlite:{db}")
        },
        None,
        Arc::new(dauys_server::sms::LogGateway),
    )
    .expect("open");
    let mut c = st.pool.get().expect("conn");
    let count = |c: &mut dyn dauys_server::db::Conn, sql: &str, user: &str| -> i64 {
        c.query_one(sql, &[Value::from(user)])
            .expect("query")
            .expect("row")
            .get::<i64>("n")
            .expect("n")
    };
    let appeals = (0..OPS).filter(|k| is_appeal(*k)).count() as i64;
    let comments = (0..OPS).filter(|k| is_comment(*k)).count() as i64;
    for q in &queued {
        let u = q.user_id.as_str();
        let ops = count(
            &mut *c,
            "SELECT COUNT(*) AS n FROM ops WHERE user_id = $1",
            u,
        );
        assert_eq!(ops, OPS as i64, "ops of {u}");
        let n = count(
            &mut *c,
            "SELECT COUNT(DISTINCT body) AS n FROM comments WHERE author = $1",
            u,
        );
        let all = count(
            &mut *c,
            "SELECT COUNT(*) AS n FROM comments WHERE author = $1",
            u,
        );
        assert_eq!((n, all), (comments, comments), "comments of {u}");
        let a = count(
            &mut *c,
            "SELECT COUNT(*) AS n FROM appeals WHERE user_id = $1 AND media <> '[]'",
            u,
        );
        assert_eq!(a, appeals, "appeals with their photo of {u}");
        let photos = count(
            &mut *c,
            "SELECT COUNT(*) AS n FROM uploads WHERE user_id = $1 AND received = length",
            u,
        );
        assert_eq!(photos, appeals, "complete photos of {u}");
        let stored: String = c
            .query_one(
                "SELECT proposal_ids FROM ballots WHERE user_id = $1",
                &[Value::from(u)],
            )
            .expect("query")
            .expect("a ballot")
            .get("proposal_ids")
            .expect("ids");
        let stored: Vec<String> = serde_json::from_str(&stored).expect("ids");
        assert_eq!(
            stored, q.last_ballot,
            "the stored ballot of {u} is the last cast"
        );
    }
    if db.starts_with("postgres") {
        c.exec("CREATE EXTENSION IF NOT EXISTS amcheck", &[])
            .expect("amcheck");
        // Each check raises an error on a damaged index.
        let checked: i64 = c
            .query_one(
                "SELECT COUNT(bt_index_check(i.indexrelid)::text) AS n FROM pg_index i
                   JOIN pg_class k ON k.oid = i.indexrelid JOIN pg_am am ON am.oid = k.relam
                   JOIN pg_namespace n ON n.oid = k.relnamespace
                 WHERE am.amname = 'btree' AND n.nspname = 'public'",
                &[],
            )
            .expect("every index checked")
            .expect("row")
            .get("n")
            .expect("n");
        assert!(checked > 10, "{checked} indexes checked");
        eprintln!("amcheck: {checked} btree indexes sound");
    } else {
        let ok: String = c
            .query_one("PRAGMA integrity_check", &[])
            .expect("check")
            .expect("row")
            .get("integrity_check")
            .expect("ok");
        assert_eq!(ok, "ok");
    }
    eprintln!(
        "chaos on {} done in {:?}",
        &db[..8.min(db.len())],
        t.elapsed()
    );
}

#[test]
fn chaos_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.db");
    chaos(&db.to_string_lossy(), 1, dir.path());
}

#[test]
fn chaos_postgres_two_instances() {
    let Ok(url) = std::env::var("DAUYS_TEST_POSTGRES") else {
        eprintln!("skipped: set DAUYS_TEST_POSTGRES to run the chaos on PostgreSQL");
        return;
    };
    let name = format!("dauys_chaos_{}", std::process::id());
    let admin = |sql: &str| {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        c.batch_execute(sql).expect("admin statement");
    };
    admin(&format!("DROP DATABASE IF EXISTS {name}"));
    admin(&format!("CREATE DATABASE {name}"));
    let db = match url.rfind('/') {
        Some(i) => format!("{}/{name}", &url[..i]),
        None => url.clone(),
    };
    let dir = tempfile::tempdir().expect("dir");
    let outcome = std::panic::catch_unwind(|| chaos(&db, 2, dir.path()));
    admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}
