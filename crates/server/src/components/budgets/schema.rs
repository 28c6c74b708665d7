//! Budgets' tables, as their steps of the numbered schema history
//! (see `db/schema.rs`: a version's script is the kernel's step, then
//! each built-in component's step of that version, in registry order).

use crate::db::schema::Step;

pub const STEPS: &[Step] = &[
    // PB cycles, their proposals and ballots.
    (
        1,
        r#"
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
CREATE TABLE ballots (
  cycle_id TEXT NOT NULL REFERENCES cycles(id), user_id TEXT NOT NULL, op_id TEXT NOT NULL,
  proposal_ids TEXT NOT NULL, receipt TEXT NOT NULL, client_ts BIGINT NOT NULL, cast_at BIGINT NOT NULL,
  signature TEXT NOT NULL, device_key TEXT NOT NULL, PRIMARY KEY (cycle_id, user_id));
"#,
    ),
    // A counted cycle's public downloads, made once (export.rs).
    (
        11,
        r#"
CREATE TABLE cycle_exports (
  cycle_id TEXT PRIMARY KEY, pb TEXT NOT NULL, csv TEXT NOT NULL, made_at BIGINT NOT NULL);
"#,
    ),
    // Proposals' photos (and implementation photos) in the kernel's upload
    // links (version 16).
    (
        16,
        r#"
{sqlite}
INSERT OR IGNORE INTO upload_links (upload_id, item_kind, item_id)
  SELECT DISTINCT j.value, 'proposal', p.id FROM proposals p, json_each(p.media) j;
{/sqlite}
{postgres}
INSERT INTO upload_links (upload_id, item_kind, item_id)
  SELECT DISTINCT j, 'proposal', p.id FROM proposals p, jsonb_array_elements_text(p.media::jsonb) j
  ON CONFLICT DO NOTHING;
{/postgres}
"#,
    ),
    // The fewest votes a project needs under `greedy-threshold`.
    (
        17,
        r#"
ALTER TABLE cycles ADD COLUMN min_votes BIGINT;
"#,
    ),
];
