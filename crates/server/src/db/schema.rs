//! Schema migrations, written once for both dialects.
//!
//! `{ID}` becomes an auto-incrementing key and `{REAL}` a double. Each
//! migration runs in a transaction and is recorded in `schema_migrations`.

use super::{Conn, DbResult, Dialect};

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        r#"
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE localities (
  code TEXT PRIMARY KEY, parent TEXT, level TEXT NOT NULL,
  name_kk TEXT NOT NULL, name_ru TEXT NOT NULL, name_en TEXT NOT NULL);
CREATE TABLE bodies (
  id TEXT PRIMARY KEY, locality TEXT NOT NULL REFERENCES localities(code), kind TEXT NOT NULL,
  name_kk TEXT NOT NULL, name_ru TEXT NOT NULL, name_en TEXT NOT NULL, sort BIGINT NOT NULL DEFAULT 0);
CREATE TABLE residents (
  id TEXT PRIMARY KEY, iin_hash TEXT NOT NULL UNIQUE, phone TEXT NOT NULL,
  locality TEXT NOT NULL, birth_date TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE roles (
  user_id TEXT NOT NULL REFERENCES residents(id), role TEXT NOT NULL, locality TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, role, locality));
CREATE TABLE otp_codes (
  iin_hash TEXT PRIMARY KEY, code_hash TEXT NOT NULL, expires_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL, window_start BIGINT NOT NULL, sends BIGINT NOT NULL);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES residents(id), public_key TEXT NOT NULL,
  name TEXT NOT NULL, created_at BIGINT NOT NULL, revoked BIGINT NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX devices_key ON devices(user_id, public_key);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES residents(id), device_id TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked BIGINT NOT NULL DEFAULT 0);
CREATE TABLE ops (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL,
  result TEXT NOT NULL, applied_at BIGINT NOT NULL);
CREATE TABLE changes (
  seq {ID}, locality TEXT, owner TEXT, kind TEXT NOT NULL, entity_id TEXT NOT NULL, ts BIGINT NOT NULL);
CREATE INDEX changes_owner ON changes(owner, seq);
CREATE INDEX changes_locality ON changes(locality, seq);
CREATE TABLE cycles (
  id TEXT PRIMARY KEY, locality TEXT NOT NULL REFERENCES localities(code),
  title_kk TEXT NOT NULL, title_ru TEXT NOT NULL, title_en TEXT NOT NULL,
  budget BIGINT NOT NULL, max_projects BIGINT, budget_limited BIGINT NOT NULL, rule TEXT NOT NULL,
  min_age BIGINT NOT NULL, phase TEXT NOT NULL, schedule TEXT NOT NULL, results TEXT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE proposals (
  id TEXT PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES cycles(id), locality TEXT NOT NULL,
  author TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, category TEXT NOT NULL,
  cost BIGINT NOT NULL, lat {REAL}, lon {REAL}, media TEXT NOT NULL, status TEXT NOT NULL,
  expert_cost BIGINT, expert_note TEXT, votes BIGINT, progress BIGINT, history TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX proposals_cycle ON proposals(cycle_id);
CREATE TABLE comments (
  id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL REFERENCES proposals(id), locality TEXT NOT NULL,
  author TEXT NOT NULL, body TEXT NOT NULL, visible BIGINT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE ballots (
  cycle_id TEXT NOT NULL REFERENCES cycles(id), user_id TEXT NOT NULL, op_id TEXT NOT NULL,
  proposal_ids TEXT NOT NULL, receipt TEXT NOT NULL, client_ts BIGINT NOT NULL, cast_at BIGINT NOT NULL,
  signature TEXT NOT NULL, device_key TEXT NOT NULL, PRIMARY KEY (cycle_id, user_id));
CREATE TABLE appeals (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, appeal_type TEXT NOT NULL, addressee TEXT NOT NULL,
  locality TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, lat {REAL}, lon {REAL},
  public BIGINT NOT NULL, media TEXT NOT NULL, status TEXT NOT NULL, reg_number TEXT,
  submitted_at BIGINT NOT NULL, registered_on TEXT, due_date TEXT, answer TEXT,
  history TEXT NOT NULL, signature TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX appeals_user ON appeals(user_id);
CREATE TABLE uploads (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, length BIGINT NOT NULL, received BIGINT NOT NULL,
  content_type TEXT NOT NULL, sha256 TEXT, created_at BIGINT NOT NULL);
CREATE TABLE upload_chunks (
  upload_id TEXT NOT NULL REFERENCES uploads(id), start_at BIGINT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (upload_id, start_at));
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
"#,
    ),
    // Comments get a polymorphic target {kind, id} (any commentable item, not
    // only proposals). Rebuilt rather than altered: SQLite cannot drop the
    // NOT NULL/REFERENCES proposals of `proposal_id`, and one script must
    // serve both databases. Existing comments become proposal comments.
    (
        2,
        r#"
CREATE TABLE comments_v2 (
  id TEXT PRIMARY KEY, target_kind TEXT NOT NULL, target_id TEXT NOT NULL, locality TEXT NOT NULL,
  author TEXT NOT NULL, body TEXT NOT NULL, visible BIGINT NOT NULL, created_at BIGINT NOT NULL);
INSERT INTO comments_v2 (id, target_kind, target_id, locality, author, body, visible, created_at)
  SELECT id, 'proposal', proposal_id, locality, author, body, visible, created_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_v2 RENAME TO comments;
CREATE INDEX comments_target ON comments(target_kind, target_id, created_at);
"#,
    ),
    // Components bring their own tables, versioned per component.
    (
        3,
        r#"
CREATE TABLE component_migrations (
  component TEXT NOT NULL, version BIGINT NOT NULL, applied_at BIGINT NOT NULL,
  PRIMARY KEY (component, version));
"#,
    ),
    // The staff console's sessions (`src/console/session.rs`): only the
    // token's hash is kept; the CSRF token is the synchronizer token of its
    // forms. Staff queues read appeals by locality.
    (
        4,
        r#"
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES residents(id),
  csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL);
CREATE INDEX console_sessions_user ON console_sessions(user_id);
CREATE INDEX appeals_locality ON appeals(locality, status);
"#,
    ),
    // The audit log of staff actions (`kernel/audit.rs`): who, when, what,
    // from which op id, with what outcome; `locality` is where the actor's
    // staff grant lies ('' for an unscoped one), so an administrator sees
    // the actions of the staff under them. Grants get a label (name, post)
    // for colleagues to recognise: the server keeps no residents' names.
    (
        5,
        r#"
CREATE TABLE audit_log (
  op_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL,
  locality TEXT NOT NULL, outcome TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_locality ON audit_log(locality, at);
ALTER TABLE roles ADD COLUMN label TEXT NOT NULL DEFAULT '';
"#,
    ),
    // Answer templates per appeal type, kept by administrators
    // (`components/admin.rs`); '' locality: offered everywhere.
    (
        6,
        r#"
CREATE TABLE answer_templates (
  id TEXT PRIMARY KEY, appeal_type TEXT NOT NULL, locality TEXT NOT NULL, title TEXT NOT NULL,
  body TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX answer_templates_type ON answer_templates(appeal_type);
"#,
    ),
    // The staff queue and dashboard read this index alone (see
    // `console/store.rs`): filter by locality, status, type, due date and
    // order by due date, submission, id without reading rows.
    (
        7,
        r#"
CREATE INDEX appeals_queue ON appeals(locality, status, due_date, submitted_at, id, appeal_type);
DROP INDEX appeals_locality;
"#,
    ),
    // A hidden comment shows the moderator's published reason.
    (
        8,
        r#"
ALTER TABLE comments ADD COLUMN moderation_note TEXT NOT NULL DEFAULT '';
CREATE INDEX comments_locality ON comments(locality, created_at);
"#,
    ),
    // Open311: partner apps' API keys (only a hash is kept; the key is
    // shown once to the administrator who issued it). And the indexes the
    // public lists read newest first without sorting: public appeals (the
    // Open311 request list, a locality's appeals), and answered ones (a
    // locality's home). The public figures' cache reads the last change of
    // a kind (`public/cache.rs`).
    (
        9,
        r#"
CREATE TABLE partner_keys (
  key_hash TEXT PRIMARY KEY, label TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE INDEX appeals_public ON appeals(public, submitted_at, id);
CREATE INDEX appeals_public_status ON appeals(public, status, submitted_at, id);
CREATE INDEX changes_kind ON changes(kind, seq);
"#,
    ),
    (
        10,
        // Full-text search over appeals (components/appeals/search.rs says
        // why each database does it its way).
        r#"
{sqlite}
CREATE TABLE appeal_search (rowid INTEGER PRIMARY KEY AUTOINCREMENT, appeal_id TEXT NOT NULL UNIQUE);
ALTER TABLE appeals ADD COLUMN search_key INTEGER;
CREATE VIRTUAL TABLE appeals_fts USING fts5(subject, body, answer, content='',
  contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
INSERT INTO appeal_search (appeal_id) SELECT id FROM appeals;
UPDATE appeals SET search_key = (SELECT rowid FROM appeal_search WHERE appeal_id = appeals.id);
INSERT INTO appeals_fts (rowid, subject, body, answer) SELECT search_key, subject, body, answer FROM appeals;
DROP INDEX appeals_queue;
CREATE INDEX appeals_queue ON appeals(locality, status, due_date, submitted_at, id, appeal_type, search_key);
CREATE TRIGGER appeals_search_insert AFTER INSERT ON appeals BEGIN
  INSERT INTO appeal_search (appeal_id) VALUES (new.id);
  UPDATE appeals SET search_key = last_insert_rowid() WHERE id = new.id;
  INSERT INTO appeals_fts (rowid, subject, body, answer)
    SELECT search_key, new.subject, new.body, new.answer FROM appeals WHERE id = new.id;
END;
CREATE TRIGGER appeals_search_update AFTER UPDATE OF subject, body, answer ON appeals BEGIN
  DELETE FROM appeals_fts WHERE rowid = old.search_key;
  INSERT INTO appeals_fts (rowid, subject, body, answer)
    VALUES (new.search_key, new.subject, new.body, new.answer);
END;
CREATE TRIGGER appeals_search_delete AFTER DELETE ON appeals BEGIN
  DELETE FROM appeals_fts WHERE rowid = old.search_key;
  DELETE FROM appeal_search WHERE appeal_id = old.id;
END;
{/sqlite}
{postgres}
CREATE INDEX appeals_search ON appeals
  USING GIN (to_tsvector('simple', subject || ' ' || body || ' ' || COALESCE(answer, '')));
{/postgres}
"#,
    ),
    (
        11,
        // A counted cycle's public downloads, made once (export.rs).
        r#"
CREATE TABLE cycle_exports (
  cycle_id TEXT PRIMARY KEY, pb TEXT NOT NULL, csv TEXT NOT NULL, made_at BIGINT NOT NULL);
"#,
    ),
    (
        12,
        // Wrong guesses of a code per client (a keyed hash of its address):
        // a stranger's guesses do not use up the resident's tries.
        r#"
CREATE TABLE otp_guesses (
  iin_hash TEXT NOT NULL, client TEXT NOT NULL, attempts BIGINT NOT NULL,
  PRIMARY KEY (iin_hash, client));
"#,
    ),
];

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
    let mut ran = 0;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= target) {
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
