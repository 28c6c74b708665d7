//! PostgreSQL through the blocking `postgres` client.

use super::{Conn, DbError, DbResult, Dialect, Row, Value};
use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::error::Error;

pub struct Manager {
    target: super::postgres_tls::Target,
}

impl Manager {
    /// A `postgres://` URL, with libpq's TLS parameters (see
    /// [`super::postgres_tls`]).
    pub fn new(url: &str) -> DbResult<Manager> {
        Ok(Manager {
            target: super::postgres_tls::target(url)?,
        })
    }
}

/// A client with its own prepared-statement cache (one round trip saved per
/// statement after the first).
pub struct CachedClient {
    client: Option<Client>,
    statements: HashMap<String, Statement>,
    lock: WriteLock,
}

/// Where the connection's transaction stands with the writers' advisory
/// lock. A transaction-level advisory lock taken inside a savepoint is
/// released when that savepoint is rolled back to (checked on PostgreSQL
/// 15), so the savepoint depth it was taken at is kept.
#[derive(Default)]
struct WriteLock {
    /// Savepoints open now.
    depth: u32,
    /// The depth the lock was taken at; `None`: not held.
    held_at: Option<u32>,
}

/// The writers' lock (one key for the whole database).
const TAKE_LOCK: &str = "SELECT pg_advisory_xact_lock(7261)";

impl CachedClient {
    fn client(&mut self) -> &mut Client {
        // Only `drop` takes the client out.
        self.client
            .as_mut()
            .unwrap_or_else(|| unreachable!("client used after drop"))
    }
}

impl Drop for CachedClient {
    fn drop(&mut self) {
        // The blocking client closes its connection with its own runtime,
        // which panics on an async worker thread (e.g. when a pool is
        // dropped at the end of an async test): close it on a plain thread.
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(client));
            }
        }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = CachedClient;
    type Error = postgres::Error;

    fn connect(&self) -> Result<CachedClient, postgres::Error> {
        Ok(CachedClient {
            client: Some(match &self.target.tls {
                Some(tls) => self.target.config.connect(tls.clone())?,
                None => self.target.config.connect(NoTls)?,
            }),
            statements: HashMap::new(),
            lock: WriteLock::default(),
        })
    }

    fn is_valid(&self, c: &mut CachedClient) -> Result<(), postgres::Error> {
        c.client().simple_query("").map(|_| ())
    }

    fn has_broken(&self, c: &mut CachedClient) -> bool {
        c.client.as_ref().is_none_or(Client::is_closed)
    }
}

pub struct Pooled(pub r2d2::PooledConnection<Manager>);

/// Encodes a [`Value`] as whatever type the server inferred for the parameter.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl Pooled {
    fn statement(&mut self, sql: &str) -> DbResult<Statement> {
        let c = &mut *self.0;
        if let Some(st) = c.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = c.client().prepare(sql)?;
        c.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl Conn for Pooled {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn batch(&mut self, sql: &str) -> DbResult<()> {
        Ok(self.0.client().batch_execute(sql)?)
    }

    fn control(&mut self, sql: &'static str) -> DbResult<()> {
        self.batch(sql)?;
        let l = &mut self.0.lock;
        if sql.starts_with("SAVEPOINT") {
            l.depth += 1;
        } else if sql.starts_with("RELEASE") {
            // Taken inside: now the enclosing level's.
            if l.held_at == Some(l.depth) {
                l.held_at = Some(l.depth.saturating_sub(1));
            }
            l.depth = l.depth.saturating_sub(1);
        } else if sql.starts_with("ROLLBACK TO") {
            if l.held_at == Some(l.depth) {
                l.held_at = None;
            }
        } else if sql == "COMMIT" {
            self.0.lock = WriteLock::default();
        }
        Ok(())
    }

    fn begin_write(&mut self) -> DbResult<()> {
        self.0.lock = WriteLock::default();
        self.batch("BEGIN; SELECT pg_advisory_xact_lock(7261)")?;
        self.0.lock.held_at = Some(0);
        Ok(())
    }

    fn begin_write_deferred(&mut self) -> DbResult<()> {
        self.0.lock = WriteLock::default();
        self.batch("BEGIN")
    }

    fn hold_write_lock(&mut self) -> DbResult<bool> {
        if self.0.lock.held_at.is_some() {
            return Ok(false);
        }
        self.batch(TAKE_LOCK)?;
        self.0.lock.held_at = Some(self.0.lock.depth);
        Ok(true)
    }

    fn commit(&mut self) -> DbResult<()> {
        let r = self.batch("COMMIT");
        self.0.lock = WriteLock::default();
        r
    }

    fn rollback(&mut self) -> DbResult<()> {
        let r = self.batch("ROLLBACK");
        self.0.lock = WriteLock::default();
        r
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let st = self.statement(sql)?;
        let ps: Vec<Param> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        Ok(self.0.client().execute(&st, &refs)?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let st = self.statement(sql)?;
        let ps: Vec<Param> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.0.client().query(&st, &refs)?;
        let mut out = Vec::with_capacity(rows.len());
        let names: std::sync::Arc<[String]> =
            st.columns().iter().map(|c| c.name().to_string()).collect();
        for r in rows {
            let mut vals = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let v = match *col.type_() {
                    Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                    Type::INT4 => r
                        .try_get::<_, Option<i32>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::INT2 => r
                        .try_get::<_, Option<i16>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map(Value::Real),
                    Type::FLOAT4 => r
                        .try_get::<_, Option<f32>>(i)?
                        .map(|v| Value::Real(v.into())),
                    Type::NUMERIC => {
                        return Err(DbError::Other(format!(
                            "column {} is NUMERIC: cast it to BIGINT in SQL",
                            col.name()
                        )))
                    }
                    _ => r.try_get::<_, Option<String>>(i)?.map(Value::Text),
                };
                vals.push(v.unwrap_or(Value::Null));
            }
            out.push(Row::new(vals, names.clone()));
        }
        Ok(out)
    }
}
