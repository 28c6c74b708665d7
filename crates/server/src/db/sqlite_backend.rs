//! SQLite through rusqlite (the workspace's one SQLite binding).

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

impl r2d2::ManageConnection for Manager {
    type Connection = rusqlite::Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<rusqlite::Connection, rusqlite::Error> {
        let c = rusqlite::Connection::open(&self.path)?;
        // WAL lets readers run beside the single writer; NORMAL sync is
        // durable across application crashes (power loss may drop the last
        // commits, which clients re-push idempotently).
        c.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        )?;
        c.busy_timeout(std::time::Duration::from_secs(10))?;
        c.set_prepared_statement_cache_capacity(128);
        Ok(c)
    }

    fn is_valid(&self, c: &mut rusqlite::Connection) -> Result<(), rusqlite::Error> {
        c.execute_batch("")
    }

    fn has_broken(&self, _: &mut rusqlite::Connection) -> bool {
        false
    }
}

pub struct Pooled(pub r2d2::PooledConnection<Manager>);

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
        Ok(self.0.execute_batch(sql)?)
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let mut st = self.0.prepare_cached(&translate(sql))?;
        let n = st.execute(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let mut st = self.0.prepare_cached(&translate(sql))?;
        let cols = st.column_count();
        let names: std::sync::Arc<[String]> =
            st.column_names().iter().map(|n| n.to_string()).collect();
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
