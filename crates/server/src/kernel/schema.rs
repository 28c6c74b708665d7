//! The kernel's tables, as its steps of the numbered schema history
//! (see `db/schema.rs`: a version's script is the kernel's step, then
//! each built-in component's step of that version, in registry order).

use crate::db::schema::Step;

pub const STEPS: &[Step] = &[
    // The kernel: settings, localities and bodies, census, roles, sign-in,
    // devices and sessions, the op log, the change feed, uploads, counters.
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
CREATE TABLE uploads (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, length BIGINT NOT NULL, received BIGINT NOT NULL,
  content_type TEXT NOT NULL, sha256 TEXT, created_at BIGINT NOT NULL);
CREATE TABLE upload_chunks (
  upload_id TEXT NOT NULL REFERENCES uploads(id), start_at BIGINT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (upload_id, start_at));
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
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
    // forms.
    (
        4,
        r#"
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES residents(id),
  csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL);
CREATE INDEX console_sessions_user ON console_sessions(user_id);
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
    // The public figures' cache reads the last change of a kind
    // (`public/cache.rs`).
    (
        9,
        r#"
CREATE INDEX changes_kind ON changes(kind, seq);
"#,
    ),
    // Wrong guesses of a code per client (a keyed hash of its address):
    // a stranger's guesses do not use up the resident's tries.
    (
        12,
        r#"
CREATE TABLE otp_guesses (
  iin_hash TEXT NOT NULL, client TEXT NOT NULL, attempts BIGINT NOT NULL,
  PRIMARY KEY (iin_hash, client));
"#,
    ),
    // The last four digits of a resident's IIN (`dauys_proto::iin::mask`),
    // for an official to tell applicants apart on the phone; the IIN itself
    // stays a keyed hash. Residents imported before this are '' (unknown)
    // until the census is imported again.
    (
        13,
        r#"
ALTER TABLE residents ADD COLUMN iin_masked TEXT NOT NULL DEFAULT '';
"#,
    ),
    // The public figures' cache now reads the feed's last change of any
    // kind (the primary key): an index on every change, ballots included,
    // cost more at ingestion than it saved the cache (which serves an entry
    // for 30 s after a change anyway).
    (
        15,
        r#"
DROP INDEX changes_kind;
"#,
    ),
    // Which items an upload is a photo of (`kernel/uploads.rs`): an
    // upload is served only to who may see one of them, or its uploader.
    // Components fill it when they attach media, and each backfills its
    // items' existing media in this version. `uploads_user` serves the
    // daily upload quota per account.
    (
        16,
        r#"
CREATE TABLE upload_links (
  upload_id TEXT NOT NULL, item_kind TEXT NOT NULL, item_id TEXT NOT NULL,
  PRIMARY KEY (upload_id, item_kind, item_id));
CREATE INDEX uploads_user ON uploads(user_id, created_at);
"#,
    ),
    // A grant may hold one body (a department): its official works on the
    // appeals addressed to that body only. '' = the whole locality, as
    // before. The body joins the key, so one person may serve two
    // departments; the table is rebuilt (a key cannot be altered in SQLite).
    // A device key that has signed ops bound to the account and server
    // (protocol v2) is `bound`: its unbound signatures are refused after.
    (
        17,
        r#"
CREATE TABLE roles_v17 (
  user_id TEXT NOT NULL REFERENCES residents(id), role TEXT NOT NULL, locality TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '', label TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, role, locality, body));
INSERT INTO roles_v17 (user_id, role, locality, label) SELECT user_id, role, locality, label FROM roles;
DROP TABLE roles;
ALTER TABLE roles_v17 RENAME TO roles;
ALTER TABLE devices ADD COLUMN bound BIGINT NOT NULL DEFAULT 0;
"#,
    ),
    // A locality's centre ("here, in my village" without a map) and its
    // routing help: appeal topic → the body that deals with it there,
    // kept by the locality's administrators (`locality.route`).
    (
        18,
        r#"
ALTER TABLE localities ADD COLUMN lat {REAL};
ALTER TABLE localities ADD COLUMN lon {REAL};
CREATE TABLE locality_routes (
  locality TEXT NOT NULL REFERENCES localities(code), topic TEXT NOT NULL,
  body TEXT NOT NULL REFERENCES bodies(id), PRIMARY KEY (locality, topic));
"#,
    ),
    // Daily quotas per account and kind of op (`OpKind::daily_quota`)
    // count the op log by this index.
    (
        19,
        r#"
CREATE INDEX ops_quota ON ops(user_id, kind, applied_at);
"#,
    ),
];
