//! One storage interface over SQLite (embedded, default) and PostgreSQL.
//!
//! Domain code is written once against [`Conn`] with `$1`-style
//! placeholders and a portable SQL subset (`ON CONFLICT`, `RETURNING`);
//! each backend adapts values and placeholders. Everything here is
//! blocking: the HTTP layer calls it inside `spawn_blocking`.

mod postgres_backend;
mod postgres_tls;
pub mod schema;
mod sqlite_backend;

use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("unexpected column type at {0}")]
    Type(usize),
    #[error("no column named {0} in the result")]
    Column(String),
    #[error("unexpected type in column {0}")]
    ColumnType(String),
    #[error("bad database url: {0}")]
    Url(String),
    #[error("the database's schema is version {found}, newer than this server's {known}: upgrade this server (stop the older instances before a schema upgrade)")]
    NewerSchema { found: i64, known: i64 },
    #[error("{0}")]
    Other(String),
}

impl DbError {
    /// Transient conflicts worth retrying the whole transaction for.
    pub fn is_retryable(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            DbError::Postgres(e) => e.code().is_some_and(|c| {
                *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            }),
            _ => false,
        }
    }

    /// A unique key already taken (PostgreSQL `23505`; SQLite's never
    /// reaches here, its writers never overlap).
    pub fn is_duplicate_key(&self) -> bool {
        match self {
            DbError::Postgres(e) => e
                .code()
                .is_some_and(|c| *c == postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

impl DbError {
    /// An error about one statement — its input (a NUL byte on
    /// PostgreSQL, a value out of range, a constraint) or a bug in it —
    /// rather than about the database or the connection. Inside a push it
    /// is the failing op's own: that op is refused, its batch goes on.
    pub fn is_statement_error(&self) -> bool {
        use rusqlite::ErrorCode as E;
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                E::ConstraintViolation
                    | E::TooBig
                    | E::TypeMismatch
                    | E::ParameterOutOfRange
                    | E::Unknown
                    | E::ApiMisuse
            ),
            // Binding, conversion and column errors: raised before or after
            // the database ran anything.
            DbError::Sqlite(rusqlite::Error::SqlInputError { .. })
            | DbError::Sqlite(rusqlite::Error::InvalidParameterCount(..))
            | DbError::Sqlite(rusqlite::Error::ToSqlConversionFailure(_))
            | DbError::Sqlite(rusqlite::Error::IntegralValueOutOfRange(..))
            | DbError::Sqlite(rusqlite::Error::InvalidColumnType(..)) => true,
            DbError::Postgres(e) if !e.is_closed() => e.code().is_some_and(|c| {
                // 22 data exception, 23 integrity, 42 syntax or access,
                // 54 program limit (e.g. too many parameters).
                ["22", "23", "42", "54"].contains(&&c.code()[..2])
            }),
            DbError::Type(_) | DbError::Column(_) | DbError::ColumnType(_) => true,
            _ => false,
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// A SQL value, the common ground of both backends.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a `&[Value]` parameter list.
#[macro_export]
macro_rules! params {
    () => { &[] as &[$crate::db::Value] };
    ($($v:expr),+ $(,)?) => { &[$($crate::db::Value::from($v)),+] as &[$crate::db::Value] };
}

/// One result row: its values, and the query's column names shared by all
/// rows of a result (so structs can read columns by name, see [`FromRow`]).
#[derive(Debug, Clone)]
pub struct Row {
    pub values: Vec<Value>,
    columns: Arc<[String]>,
}

impl Row {
    pub fn new(values: Vec<Value>, columns: Arc<[String]>) -> Row {
        Row { values, columns }
    }

    /// The value of a one-column row (`SELECT COUNT(*) …`, `SELECT id …`):
    /// the only column, so no position and no name to get wrong. A row of
    /// more columns is an error (read those by name, [`Row::get`]).
    pub fn only<T: FromValue>(&self) -> DbResult<T> {
        match self.values.as_slice() {
            [v] => T::from_value(v).ok_or_else(|| {
                DbError::ColumnType(self.columns.first().cloned().unwrap_or_default())
            }),
            _ => Err(DbError::Column(format!(
                "one column expected, the query gave {}",
                self.values.len()
            ))),
        }
    }

    /// The value of the column named `name` (as the query spelled it,
    /// lower case: PostgreSQL folds unquoted names).
    pub fn get<T: FromValue>(&self, name: &str) -> DbResult<T> {
        let i = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DbError::Column(name.to_string()))?;
        T::from_value(self.values.get(i).unwrap_or(&Value::Null))
            .ok_or_else(|| DbError::ColumnType(name.to_string()))
    }
}

/// A Rust value read from one column; `None` when the stored type does not fit.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(*i),
            Value::Real(f) => Some(*f as i64),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<f64> {
        match v {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Option<bool> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<String> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Option<T>> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A row struct read by column name.
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> DbResult<Self>;
}

/// Rows as they come (read by name later).
impl FromRow for Row {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(r.clone())
    }
}

/// Runs `query` once per chunk of `ids` (at most [`IN_CHUNK`] each, under
/// SQLite's parameter limit) and collects the rows as `T`. `sql` receives
/// the `$n` placeholder list for the chunk, numbered after `fixed`.
pub fn load_in<T: FromRow>(
    c: &mut dyn Conn,
    ids: &[String],
    fixed: &[Value],
    sql: impl Fn(&str) -> String,
) -> DbResult<Vec<T>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let mut params: Vec<Value> = fixed.to_vec();
        params.extend(chunk.iter().map(Value::from));
        let list = placeholders(fixed.len() + 1, chunk.len());
        for r in c.query(&sql(&list), &params)? {
            out.push(T::from_row(&r)?);
        }
    }
    Ok(out)
}

/// A window of a list answer: `limit` items after the first `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    /// The clause reading the window and one row more (whether another
    /// page follows). Numbers only, so written in place.
    pub fn sql(&self) -> String {
        format!(
            " LIMIT {} OFFSET {}",
            u64::from(self.limit) + 1,
            self.offset
        )
    }

    /// Trims rows read with [`Page::sql`] to the page; whether more follow.
    pub fn trim<T>(&self, rows: &mut Vec<T>) -> bool {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        more
    }
}

/// Ids per `IN (...)` query: SQLite allows 32,766 parameters (older builds
/// 999); 500 keeps every query well under either and its plan cached.
pub const IN_CHUNK: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection (or a connection inside a transaction).
pub trait Conn: Send {
    fn dialect(&self) -> Dialect;
    /// Runs statements without parameters (DDL, BEGIN/COMMIT).
    fn batch(&mut self, sql: &str) -> DbResult<()>;
    /// Runs one transaction-control statement (`SAVEPOINT`, `RELEASE`,
    /// `BEGIN`, `COMMIT`): run for every op of every push, so a backend
    /// that can keeps its plan instead of parsing it again each time.
    fn control(&mut self, sql: &'static str) -> DbResult<()> {
        self.batch(sql)
    }
    /// Begins a write transaction that serializes with every other writer:
    /// SQLite `BEGIN IMMEDIATE`; PostgreSQL takes a transaction-scoped
    /// advisory lock, so change-feed sequence numbers commit in order and
    /// concurrent pushes of the same op never race (at our write rates this
    /// costs little).
    fn begin_write(&mut self) -> DbResult<()> {
        match self.dialect() {
            Dialect::Sqlite => self.control("BEGIN IMMEDIATE"),
            Dialect::Postgres => self.batch("BEGIN; SELECT pg_advisory_xact_lock(7261)"),
        }
    }
    /// Begins a write transaction that takes the writers' lock only when
    /// [`Conn::hold_write_lock`] asks for it (the first change-feed row):
    /// what comes before runs beside other writers. Only for work whose
    /// reads stay right without the lock — the ballot path, which reads the
    /// phase again once it holds it. SQLite: [`Conn::begin_write`] (one
    /// writer at a time whatever happens).
    fn begin_write_deferred(&mut self) -> DbResult<()> {
        self.begin_write()
    }
    /// Takes the writers' lock of a deferred transaction now, if it is not
    /// held (a no-op in every other transaction): before a change-feed row,
    /// so sequence numbers still commit in order. Returns whether it was
    /// taken just now, i.e. whether what was read before ran without it.
    fn hold_write_lock(&mut self) -> DbResult<bool> {
        Ok(false)
    }
    fn commit(&mut self) -> DbResult<()> {
        self.control("COMMIT")
    }
    fn rollback(&mut self) -> DbResult<()> {
        self.batch("ROLLBACK")
    }
    /// Runs one statement; returns the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64>;
    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>>;

    fn query_one(&mut self, sql: &str, params: &[Value]) -> DbResult<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// Inserts `rows` (each as wide as the column list of `insert`, e.g.
/// `INSERT INTO t (a, b)`) 100 to a statement, in their order.
pub fn insert_rows(c: &mut dyn Conn, insert: &str, rows: &[Vec<Value>]) -> DbResult<()> {
    for chunk in rows.chunks(100) {
        let mut params = Vec::with_capacity(chunk.iter().map(Vec::len).sum());
        let mut values = Vec::with_capacity(chunk.len());
        for row in chunk {
            values.push(format!("({})", placeholders(params.len() + 1, row.len())));
            params.extend(row.iter().cloned());
        }
        c.exec(&format!("{insert} VALUES {}", values.join(", ")), &params)?;
    }
    Ok(())
}

/// Whether the database answers (the health check).
pub fn ping(c: &mut dyn Conn) -> DbResult<()> {
    c.query("SELECT 1", &[]).map(drop)
}

/// Runs `f` in a write transaction, committing on `Ok` and rolling back on
/// `Err`; retries transient conflicts a few times.
pub fn write_tx<T, E>(
    c: &mut dyn Conn,
    f: impl FnMut(&mut dyn Conn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbError> + AsDbError,
{
    write_tx_with(c, false, f)
}

/// [`write_tx`], or with `deferred` one whose writers' lock waits for
/// [`Conn::hold_write_lock`] (see [`Conn::begin_write_deferred`]). Two
/// deferred transactions may then apply the same op id at once: the second
/// one's op-log row collides with the first's, and it is run again, to find
/// that row and answer from it.
pub fn write_tx_with<T, E>(
    c: &mut dyn Conn,
    deferred: bool,
    mut f: impl FnMut(&mut dyn Conn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbError> + AsDbError,
{
    let retryable = |e: &DbError| e.is_retryable() || (deferred && e.is_duplicate_key());
    let mut attempt = 0;
    loop {
        attempt += 1;
        if deferred {
            c.begin_write_deferred()?;
        } else {
            c.begin_write()?;
        }
        // A panic must not leave the connection in a transaction (holding
        // the write gate or advisory lock) when the pool takes it back.
        let r = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(c))) {
            Ok(r) => r,
            Err(panic) => {
                let _ = c.rollback();
                std::panic::resume_unwind(panic)
            }
        };
        match r {
            Ok(v) => match c.commit() {
                Ok(()) => return Ok(v),
                Err(e) => {
                    let _ = c.rollback();
                    if retryable(&e) && attempt < 5 {
                        continue;
                    }
                    return Err(e.into());
                }
            },
            Err(e) => {
                let _ = c.rollback();
                if e.as_db_error().is_some_and(retryable) && attempt < 5 {
                    std::thread::sleep(Duration::from_millis(20 * attempt));
                    continue;
                }
                return Err(e);
            }
        }
    }
}

/// Lets [`write_tx`] see whether a domain error wraps a retryable DB error.
pub trait AsDbError {
    fn as_db_error(&self) -> Option<&DbError>;
}

impl AsDbError for DbError {
    fn as_db_error(&self) -> Option<&DbError> {
        Some(self)
    }
}

/// A pool of connections to either backend.
#[derive(Clone)]
pub enum Pool {
    Sqlite(
        r2d2::Pool<sqlite_backend::Manager>,
        sqlite_backend::WriteGate,
    ),
    Postgres(r2d2::Pool<postgres_backend::Manager>),
}

pub type PooledConn = Box<dyn Conn>;

impl Pool {
    /// `sqlite:PATH`, `sqlite::memory:` is not supported (several
    /// connections must see one database), or `postgres://…`.
    pub fn open(url: &str) -> DbResult<Pool> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| DbError::Other(e.to_string()))?;
                }
            }
            let pool = r2d2::Pool::builder()
                .max_size(8)
                .build(sqlite_backend::Manager::new(path))?;
            Ok(Pool::Sqlite(pool, sqlite_backend::WriteGate::default()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = r2d2::Pool::builder()
                .max_size(8)
                .connection_timeout(Duration::from_secs(10))
                .build(postgres_backend::Manager::new(url)?)?;
            Ok(Pool::Postgres(pool))
        } else {
            Err(DbError::Url(url.to_string()))
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Pool::Sqlite(..) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    pub fn get(&self) -> DbResult<PooledConn> {
        Ok(match self {
            Pool::Sqlite(p, gate) => Box::new(sqlite_backend::Pooled::new(p.get()?, gate.clone())),
            Pool::Postgres(p) => Box::new(postgres_backend::Pooled(p.get()?)),
        })
    }
}

/// `?, ?, ?` style list of `$n` placeholders starting at `start`.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A [`Conn`] that counts the statements run through it (queries, execs and
/// batches), for tests that bound the round trips of a request.
pub struct Counting<'a> {
    inner: &'a mut dyn Conn,
    count: usize,
}

impl<'a> Counting<'a> {
    pub fn new(inner: &'a mut dyn Conn) -> Counting<'a> {
        Counting { inner, count: 0 }
    }

    /// Statements run so far.
    pub fn count(&self) -> usize {
        self.count
    }

    fn tick(&mut self) {
        self.count += 1;
    }
}

impl Conn for Counting<'_> {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    fn batch(&mut self, sql: &str) -> DbResult<()> {
        self.tick();
        self.inner.batch(sql)
    }
    fn control(&mut self, sql: &'static str) -> DbResult<()> {
        self.tick();
        self.inner.control(sql)
    }
    fn begin_write(&mut self) -> DbResult<()> {
        self.tick();
        self.inner.begin_write()
    }
    fn begin_write_deferred(&mut self) -> DbResult<()> {
        self.tick();
        self.inner.begin_write_deferred()
    }
    fn hold_write_lock(&mut self) -> DbResult<bool> {
        self.inner.hold_write_lock()
    }
    fn commit(&mut self) -> DbResult<()> {
        self.tick();
        self.inner.commit()
    }
    fn rollback(&mut self) -> DbResult<()> {
        self.tick();
        self.inner.rollback()
    }
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        self.tick();
        self.inner.exec(sql, params)
    }
    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        self.tick();
        self.inner.query(sql, params)
    }
}
