//! Appeals' tables, as their steps of the numbered schema history
//! (see `db/schema.rs`: a version's script is the kernel's step, then
//! each built-in component's step of that version, in registry order).

use crate::db::schema::Step;

pub const STEPS: &[Step] = &[
    // Appeals to akimats.
    (
        1,
        r#"
CREATE TABLE appeals (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, appeal_type TEXT NOT NULL, addressee TEXT NOT NULL,
  locality TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, lat {REAL}, lon {REAL},
  public BIGINT NOT NULL, media TEXT NOT NULL, status TEXT NOT NULL, reg_number TEXT,
  submitted_at BIGINT NOT NULL, registered_on TEXT, due_date TEXT, answer TEXT,
  history TEXT NOT NULL, signature TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX appeals_user ON appeals(user_id);
"#,
    ),
    // Staff queues read appeals by locality.
    (
        4,
        r#"
CREATE INDEX appeals_locality ON appeals(locality, status);
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
    // Open311: partner apps' API keys (only a hash is kept; the key is
    // shown once to the administrator who issued it). And the indexes the
    // public lists read newest first without sorting: public appeals (the
    // Open311 request list, a locality's appeals), and answered ones (a
    // locality's home).
    (
        9,
        r#"
CREATE TABLE partner_keys (
  key_hash TEXT PRIMARY KEY, label TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE INDEX appeals_public ON appeals(public, submitted_at, id);
CREATE INDEX appeals_public_status ON appeals(public, status, submitted_at, id);
"#,
    ),
    // Full-text search over appeals (`search.rs` says why each database
    // does it its way).
    (
        10,
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
    // Appeals' photos in the kernel's upload links (version 16).
    (
        16,
        r#"
{sqlite}
INSERT OR IGNORE INTO upload_links (upload_id, item_kind, item_id)
  SELECT DISTINCT j.value, 'appeal', a.id FROM appeals a, json_each(a.media) j;
{/sqlite}
{postgres}
INSERT INTO upload_links (upload_id, item_kind, item_id)
  SELECT DISTINCT j, 'appeal', a.id FROM appeals a, jsonb_array_elements_text(a.media::jsonb) j
  ON CONFLICT DO NOTHING;
{/postgres}
"#,
    ),
    // A department's queue and counts: its appeals by body, in queue order.
    (
        17,
        r#"
CREATE INDEX appeals_addressee ON appeals(addressee, status, due_date, submitted_at, id);
"#,
    ),
    // Opt-in SMS when an appeal is answered: the language asked for, and
    // the messages waiting for the gateway. A message is queued in the
    // answer's transaction (it cannot be lost to a crash) and handed to the
    // gateway once (`sent_at` claims it) after the commit.
    (
        18,
        r#"
ALTER TABLE appeals ADD COLUMN sms_lang TEXT;
CREATE TABLE sms_queue (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, lang TEXT NOT NULL, message TEXT NOT NULL,
  arg TEXT NOT NULL, created_at BIGINT NOT NULL, sent_at BIGINT);
CREATE INDEX sms_queue_waiting ON sms_queue(sent_at, created_at);
"#,
    ),
];
