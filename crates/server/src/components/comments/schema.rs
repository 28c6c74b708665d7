//! Comments' table, as its steps of the numbered schema history
//! (see `db/schema.rs`: a version's script is the kernel's step, then
//! each built-in component's step of that version, in registry order).

use crate::db::schema::Step;

pub const STEPS: &[Step] = &[
    // Comments (on proposals, until version 2).
    (
        1,
        r#"
CREATE TABLE comments (
  id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL REFERENCES proposals(id), locality TEXT NOT NULL,
  author TEXT NOT NULL, body TEXT NOT NULL, visible BIGINT NOT NULL, created_at BIGINT NOT NULL);
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
    // A hidden comment shows the moderator's published reason.
    (
        8,
        r#"
ALTER TABLE comments ADD COLUMN moderation_note TEXT NOT NULL DEFAULT '';
CREATE INDEX comments_locality ON comments(locality, created_at);
"#,
    ),
    // Residents report comments to the moderators: one report per resident
    // and comment; `reports` counts them for the moderators' queue.
    (
        14,
        r#"
CREATE TABLE comment_reports (
  comment_id TEXT NOT NULL, user_id TEXT NOT NULL, reason TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (comment_id, user_id));
ALTER TABLE comments ADD COLUMN reports BIGINT NOT NULL DEFAULT 0;
"#,
    ),
];
