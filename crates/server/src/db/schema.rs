//! Schema migrations, written once for both dialects.
//!
//! `{ID}` becomes an auto-incrementing key and `{REAL}` a double. Each
//! migration runs in a transaction and is recorded in `schema_migrations`.

use super::{Conn, DbResult, Dialect};

/// One numbered step of the schema: `(version, script)`.
pub type Step = (i64, &'static str);

/// The built-in schema's history, version by version. Each owner keeps its
/// own steps next to its code (`kernel/schema.rs`, each component's
/// `schema.rs`); a version's script is the kernel's step of that version
/// followed by each built-in component's, in registry order, and runs as
/// one transaction recorded in `schema_migrations`. The numbering is the
/// history every deployed database already recorded, so it never changes;
/// a component's new tables now go in its own versioned
/// [`Component::migrations`](crate::components::Component::migrations).
fn history() -> Vec<(i64, String)> {
    let owners: Vec<&[Step]> = std::iter::once(crate::kernel::schema::STEPS)
        .chain(crate::components::BUILTIN.iter().map(|b| b.schema))
        .collect();
    let mut versions: Vec<i64> = owners
        .iter()
        .flat_map(|s| s.iter().map(|(v, _)| *v))
        .collect();
    versions.sort_unstable();
    versions.dedup();
    versions
        .into_iter()
        .map(|v| {
            let script = owners
                .iter()
                .flat_map(|s| s.iter().filter(|(n, _)| *n == v).map(|(_, sql)| *sql))
                .collect::<Vec<_>>()
                .join("\n");
            (v, script)
        })
        .collect()
}

fn render(sql: &str, d: Dialect) -> String {
    let (id, real, mine, other) = match d {
        Dialect::Sqlite => (
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "REAL",
            "sqlite",
            "postgres",
        ),
        Dialect::Postgres => (
            "BIGSERIAL PRIMARY KEY",
            "DOUBLE PRECISION",
            "postgres",
            "sqlite",
        ),
    };
    let sql = only_for(sql, mine, other);
    sql.replace("{ID}", id).replace("{REAL}", real)
}

/// Keeps `{mine}…{/mine}` blocks (without their marks) and drops
/// `{other}…{/other}` ones: for what one database does its own way.
fn only_for(sql: &str, mine: &str, other: &str) -> String {
    let mut out = sql
        .replace(&format!("{{{mine}}}"), "")
        .replace(&format!("{{/{mine}}}"), "");
    let (open, close) = (format!("{{{other}}}"), format!("{{/{other}}}"));
    while let Some(start) = out.find(&open) {
        let end = out[start..]
            .find(&close)
            .map_or(out.len(), |e| start + e + close.len());
        out.replace_range(start..end, "");
    }
    out
}

/// Applies pending migrations; returns how many ran.
pub fn migrate(c: &mut dyn Conn) -> DbResult<usize> {
    migrate_to(c, i64::MAX)
}

/// Applies pending migrations up to `target` (inclusive). Tests use it to
/// build a database as an older server left it.
pub fn migrate_to(c: &mut dyn Conn, target: i64) -> DbResult<usize> {
    c.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )?;
    // A database a newer server has migrated is not served by an older one:
    // it would misread what it does not know (a department's grant read as
    // a whole locality's, say).
    let history = history();
    let known = history.last().map_or(0, |(v, _)| *v);
    let found = c
        .query_one(
            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations",
            crate::params![],
        )?
        .map(|r| r.get::<i64>("v"))
        .transpose()?
        .unwrap_or(0);
    if found > known {
        return Err(super::DbError::NewerSchema { found, known });
    }
    let mut ran = 0;
    for (version, sql) in history.iter().filter(|(v, _)| *v <= target) {
        c.begin_write()?;
        let done = c
            .query_one(
                "SELECT version FROM schema_migrations WHERE version = $1",
                crate::params![*version],
            )?
            .is_some();
        if done {
            c.commit()?;
            continue;
        }
        let r = c.batch(&render(sql, c.dialect())).and_then(|_| {
            c.exec(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                crate::params![*version, crate::clock::now_ms()],
            )
        });
        match r {
            Ok(_) => c.commit()?,
            Err(e) => {
                let _ = c.rollback();
                return Err(e);
            }
        }
        ran += 1;
    }
    Ok(ran)
}

/// Applies a component's pending migrations (versions counted per
/// component), each in its own transaction; returns how many ran.
pub fn migrate_component(
    c: &mut dyn Conn,
    component: &str,
    migrations: &[(i64, &str)],
) -> DbResult<usize> {
    let mut ran = 0;
    for (version, sql) in migrations {
        c.begin_write()?;
        let done = c
            .query_one(
                "SELECT version FROM component_migrations WHERE component = $1 AND version = $2",
                crate::params![component, *version],
            )?
            .is_some();
        if done {
            c.commit()?;
            continue;
        }
        let r = c.batch(&render(sql, c.dialect())).and_then(|_| {
            c.exec(
                "INSERT INTO component_migrations (component, version, applied_at) VALUES ($1, $2, $3)",
                crate::params![component, *version, crate::clock::now_ms()],
            )
        });
        match r {
            Ok(_) => c.commit()?,
            Err(e) => {
                let _ = c.rollback();
                return Err(e);
            }
        }
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    /// The history composed from its owners is the one deployed databases
    /// recorded: versions 1, 2, … without a gap, none empty, and tables
    /// created before the tables that reference them.
    #[test]
    fn history_is_contiguous_and_ordered() {
        let h = super::history();
        let versions: Vec<i64> = h.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=h.len() as i64).collect::<Vec<_>>());
        assert!(h.iter().all(|(_, sql)| !sql.trim().is_empty()));
        let v1 = &h[0].1;
        let at = |t: &str| v1.find(&format!("CREATE TABLE {t} ")).expect(t);
        assert!(at("residents") < at("roles"));
        assert!(at("cycles") < at("proposals"));
        assert!(at("proposals") < at("comments"));
        assert!(at("uploads") < at("upload_chunks"));
    }
}
