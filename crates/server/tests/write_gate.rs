//! SQLite writers queue on the pool's write gate. A writer that panics
//! inside its transaction must hand back a rolled-back connection and free
//! the gate; otherwise every later write would wait for the busy timeout.

use std::time::{Duration, Instant};

use dauys_server::db::{self, DbError, Pool};

fn pool() -> (Pool, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("dauys-gate-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pool = Pool::open(&format!("sqlite:{}", dir.join("t.db").display())).expect("open");
    let mut c = pool.get().expect("conn");
    c.batch("CREATE TABLE t (v INTEGER)").expect("table");
    (pool, dir)
}

#[test]
fn a_panicking_writer_rolls_back_and_frees_the_gate() {
    let (pool, dir) = pool();
    let p = pool.clone();
    let crashed = std::thread::spawn(move || {
        let mut c = p.get().expect("conn");
        let _ = db::write_tx(&mut *c, |c| -> Result<(), DbError> {
            c.exec("INSERT INTO t (v) VALUES (1)", &[])?;
            panic!("an op's effect panicked");
        });
    })
    .join();
    assert!(crashed.is_err(), "the writer panicked");
    let t0 = Instant::now();
    let mut c = pool.get().expect("conn");
    db::write_tx(&mut *c, |c| -> Result<(), DbError> {
        c.exec("INSERT INTO t (v) VALUES (2)", &[])?;
        Ok(())
    })
    .expect("the next write");
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "the next writer waited {:?} for a gate nobody held",
        t0.elapsed()
    );
    let rows = c.query("SELECT v FROM t ORDER BY v", &[]).expect("rows");
    let vals: Vec<i64> = rows.iter().map(|r| r.only::<i64>().expect("v")).collect();
    assert_eq!(vals, vec![2], "the panicked write was rolled back");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn writers_from_many_threads_all_commit() {
    let (pool, dir) = pool();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let p = pool.clone();
            std::thread::spawn(move || {
                for j in 0..25 {
                    let mut c = p.get().expect("conn");
                    db::write_tx(&mut *c, |c| -> Result<(), DbError> {
                        c.exec(
                            "INSERT INTO t (v) VALUES ($1)",
                            dauys_server::params![i * 100 + j],
                        )?;
                        Ok(())
                    })
                    .expect("write");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let mut c = pool.get().expect("conn");
    let n = c
        .query_one("SELECT COUNT(*) FROM t", &[])
        .expect("count")
        .expect("row")
        .only::<i64>()
        .expect("n");
    assert_eq!(n, 200);
    let _ = std::fs::remove_dir_all(dir);
}
