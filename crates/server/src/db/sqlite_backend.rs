//! SQLite through rusqlite (the workspace's one SQLite binding).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::{Conn, DbError, DbResult, Dialect, Row, Value};
use rusqlite::types::{Value as SqlValue, ValueRef};

pub struct Manager {
    path: String,
}

impl Manager {
    pub fn new(path: &str) -> Manager {
        Manager {
            path: path.to_string(),
        }
    }
}

/// A connection and what it learned about the statements it ran: each
/// statement's SQLite spelling and its column names, worked out once
/// instead of on every query.
pub struct SqliteConn {
    db: rusqlite::Connection,
    known: HashMap<String, Known>,
}

struct Known {
    /// The statement with `$n` spelled `?n`.
    sql: String,
    names: Option<Arc<[String]>>,
}

/// Statements remembered per connection (the server runs a few hundred
/// distinct ones; `IN` lists of every length count separately).
const KNOWN_MAX: usize = 1024;

/// What `known` remembers of `sql` (learning it first if new).
fn learn<'k>(known: &'k mut HashMap<String, Known>, sql: &str) -> &'k mut Known {
    if !known.contains_key(sql) {
        if known.len() >= KNOWN_MAX {
            known.clear();
        }
        known.insert(
            sql.to_string(),
            Known {
                sql: translate(sql),
                names: None,
            },
        );
    }
    known.get_mut(sql).expect("inserted above")
}

impl r2d2::ManageConnection for Manager {
    type Connection = SqliteConn;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<SqliteConn, rusqlite::Error> {
        let c = rusqlite::Connection::open(&self.path)?;
        // WAL lets readers run beside the single writer; NORMAL sync is
        // durable across application crashes (power loss may drop the last
        // commits, which clients re-push idempotently). A 16 MiB page cache
        // per connection (8 at most) instead of 2 MiB keeps the op log's and
        // the change feed's indexes in memory while ballots pour in.
        c.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;",
        )?;
        c.busy_timeout(BUSY_TIMEOUT)?;
        c.set_prepared_statement_cache_capacity(128);
        Ok(SqliteConn {
            db: c,
            known: HashMap::new(),
        })
    }

    fn is_valid(&self, c: &mut SqliteConn) -> Result<(), rusqlite::Error> {
        c.db.execute_batch("")
    }

    fn has_broken(&self, _: &mut SqliteConn) -> bool {
        false
    }
}

/// The one-writer-at-a-time gate of a pool's connections. SQLite allows a
/// single writer; without the gate, writers that find the database locked
/// poll it from SQLite's busy handler, sleeping 1–100 ms between tries, so
/// a queue of pushes spends its time asleep. Waiting here instead, each
/// writer is woken the moment the previous one commits. (Other processes,
/// such as `dauys-server user grant`, are still covered by the busy
/// timeout.)
#[derive(Clone, Default)]
pub struct WriteGate(Arc<(Mutex<bool>, Condvar)>);

impl WriteGate {
    /// Waits for the gate (at most the busy timeout: past it, SQLite's own
    /// locking decides, so a gate held by mistake cannot hang writers).
    fn enter(&self) -> bool {
        let (held, cv) = &*self.0;
        let Ok(guard) = held.lock() else {
            return false;
        };
        let Ok((mut guard, timeout)) = cv.wait_timeout_while(guard, BUSY_TIMEOUT, |h| *h) else {
            return false;
        };
        if timeout.timed_out() {
            return false;
        }
        *guard = true;
        true
    }

    fn leave(&self) {
        let (held, cv) = &*self.0;
        if let Ok(mut h) = held.lock() {
            *h = false;
        }
        cv.notify_one();
    }
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Pooled {
    conn: r2d2::PooledConnection<Manager>,
    gate: WriteGate,
    /// Whether this connection holds the gate (from `begin_write` until
    /// commit or rollback).
    writing: bool,
}

impl Pooled {
    pub fn new(conn: r2d2::PooledConnection<Manager>, gate: WriteGate) -> Pooled {
        Pooled {
            conn,
            gate,
            writing: false,
        }
    }

    fn end_write(&mut self) {
        if std::mem::take(&mut self.writing) {
            self.gate.leave();
        }
    }
}

impl Drop for Pooled {
    /// A connection dropped inside a write transaction (a panic in an op's
    /// effect) goes back to the pool rolled back, and frees the gate.
    fn drop(&mut self) {
        if self.writing {
            if !self.conn.db.is_autocommit() {
                let _ = self.conn.db.execute_batch("ROLLBACK");
            }
            self.end_write();
        }
    }
}

/// `$1` → `?1`: SQLite numbers `?NNN` parameters explicitly.
fn translate(sql: &str) -> String {
    sql.replace('$', "?")
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Real(f) => SqlValue::Real(*f),
        Value::Text(s) => SqlValue::Text(s.clone()),
    }
}

impl Conn for Pooled {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> DbResult<()> {
        Ok(self.conn.db.execute_batch(sql)?)
    }

    fn control(&mut self, sql: &'static str) -> DbResult<()> {
        self.conn.db.prepare_cached(sql)?.raw_execute()?;
        Ok(())
    }

    fn begin_write(&mut self) -> DbResult<()> {
        if !self.writing {
            self.writing = self.gate.enter();
        }
        let r = self.control("BEGIN IMMEDIATE");
        if r.is_err() {
            self.end_write();
        }
        r
    }

    fn commit(&mut self) -> DbResult<()> {
        self.control("COMMIT")?;
        self.end_write();
        Ok(())
    }

    fn rollback(&mut self) -> DbResult<()> {
        let r = self.batch("ROLLBACK");
        self.end_write();
        r
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let conn = &mut *self.conn;
        let known = learn(&mut conn.known, sql);
        let mut st = conn.db.prepare_cached(&known.sql)?;
        let n = st.execute(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let conn = &mut *self.conn;
        let known = learn(&mut conn.known, sql);
        let mut st = conn.db.prepare_cached(&known.sql)?;
        let cols = st.column_count();
        let names = known
            .names
            .get_or_insert_with(|| st.column_names().iter().map(|n| n.to_string()).collect())
            .clone();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut vals = Vec::with_capacity(cols);
            for i in 0..cols {
                vals.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => return Err(DbError::Type(i)),
                });
            }
            out.push(Row::new(vals, names.clone()));
        }
        Ok(out)
    }
}
