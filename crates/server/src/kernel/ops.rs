//! What every component's op effects share: the per-batch context, the
//! result of an op, the change-feed append, text and media checks. Effects
//! run inside the push transaction (and a savepoint): a rejection rolls
//! back everything they did.

use dauys_proto::locality::LocalityTree;
use dauys_proto::{EntityKind, ErrorCode, HistoryEvent};

use crate::auth::Actor;
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::params;
use crate::state::AppState;

/// What a successful op produced.
pub struct Applied {
    pub entity_id: String,
    pub receipt: Option<String>,
}

/// Per-batch context.
pub struct Ctx<'a> {
    pub st: &'a AppState,
    pub actor: &'a Actor,
    pub now: i64,
    pub today: time::Date,
    /// Cycles whose voting an op of this batch closed: counted after the
    /// batch commits, outside the write lock (counting can take seconds).
    pub to_count: Vec<String>,
    /// The device key (hex) whose signature verified the op being applied.
    pub signed_by: Option<String>,
    /// An op of this batch queued an SMS: flushed after the commit.
    pub sms_waiting: bool,
    /// The locality tree, loaded at most once per batch (no op changes it):
    /// a batch of 100 ballots walks it 100 times for one query.
    localities: Option<LocalityTree>,
    /// What ops of one transaction may share of what they read, when no
    /// op of it changes that (see [`Memo`]).
    pub memo: Memo,
    /// When set (a group commit's lean transaction), change-feed rows of
    /// [`Ctx::record_change`] are kept here and written together at the
    /// end, still under the lock the transaction held from its start.
    pub feed: Option<Vec<FeedRow>>,
}

/// A change-feed row not yet written ([`write_feed`]).
pub struct FeedRow {
    locality: Option<String>,
    owner: Option<String>,
    kind: EntityKind,
    entity_id: String,
    ts: i64,
}

/// Writes kept feed rows, 100 to a statement, in their order (their
/// sequence numbers follow it).
pub fn write_feed(c: &mut dyn Conn, rows: &[FeedRow]) -> AppResult<()> {
    let rows: Vec<Vec<crate::db::Value>> = rows
        .iter()
        .map(|r| {
            vec![
                r.locality.as_deref().into(),
                r.owner.as_deref().into(),
                r.kind.as_str().into(),
                r.entity_id.as_str().into(),
                r.ts.into(),
            ]
        })
        .collect();
    crate::db::insert_rows(
        c,
        "INSERT INTO changes (locality, owner, kind, entity_id, ts)",
        &rows,
    )?;
    Ok(())
}

/// Reads shared by the ops of one transaction — a cycle's ballot rules,
/// read once for a group of a hundred ballots instead of a hundred times.
/// Enabled by the kernel only for transactions whose ops are all ballots
/// (a ballot changes nothing another ballot reads); otherwise every op
/// reads afresh.
#[derive(Default)]
pub struct Memo {
    enabled: bool,
    entries: std::collections::HashMap<String, std::sync::Arc<dyn std::any::Any + Send + Sync>>,
}

impl Memo {
    pub fn enabled() -> Memo {
        Memo {
            enabled: true,
            entries: Default::default(),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The value kept under `key`, loaded by `load` the first time (every
    /// time when disabled).
    pub fn get_or_load<T: std::any::Any + Send + Sync>(
        &mut self,
        key: &str,
        load: impl FnOnce() -> AppResult<T>,
    ) -> AppResult<std::sync::Arc<T>> {
        if let Some(v) = self.entries.get(key) {
            if let Ok(v) = v.clone().downcast::<T>() {
                return Ok(v);
            }
        }
        let v = std::sync::Arc::new(load()?);
        if self.enabled {
            self.entries.insert(key.to_string(), v.clone());
        }
        Ok(v)
    }
}

impl<'a> Ctx<'a> {
    pub fn new(st: &'a AppState, actor: &'a Actor) -> Ctx<'a> {
        Ctx {
            st,
            actor,
            now: st.clock.now_ms(),
            today: st.clock.today(),
            to_count: Vec::new(),
            signed_by: None,
            sms_waiting: false,
            localities: None,
            memo: Memo::default(),
            feed: None,
        }
    }

    /// [`record_change`], or kept for later when this transaction keeps
    /// its feed rows ([`Ctx::feed`]).
    pub fn record_change(
        &mut self,
        c: &mut dyn Conn,
        kind: EntityKind,
        entity_id: &str,
        locality: Option<&str>,
        owner: Option<&str>,
    ) -> AppResult<()> {
        match &mut self.feed {
            Some(rows) => {
                rows.push(FeedRow {
                    locality: locality.map(str::to_string),
                    owner: owner.map(str::to_string),
                    kind,
                    entity_id: entity_id.to_string(),
                    ts: self.now,
                });
                Ok(())
            }
            None => record_change(c, self.now, kind, entity_id, locality, owner),
        }
    }

    /// Whether `loc` is `ancestor` or lies under it.
    pub fn locality_within(
        &mut self,
        c: &mut dyn Conn,
        loc: &str,
        ancestor: &str,
    ) -> AppResult<bool> {
        // The common case (a city's resident in the city's cycle) needs no
        // tree: a country's holds thousands of places.
        if loc == ancestor {
            return Ok(true);
        }
        if self.localities.is_none() {
            self.localities = Some(crate::auth::locality_tree(c)?);
        }
        Ok(self
            .localities
            .as_ref()
            .is_some_and(|t| t.is_within(loc, ancestor)))
    }
}

/// Trims and checks a required text field.
pub fn text(field: &str, value: &str, max_chars: usize, required: bool) -> Result<String, Reject> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(Reject::field(field, format!("{field} is required")));
    }
    if v.chars().count() > max_chars {
        return Err(Reject::field(
            field,
            format!("{field} is longer than {max_chars} characters"),
        ));
    }
    if v.chars()
        .any(|ch| ch.is_control() && ch != '\n' && ch != '\t' && ch != '\r')
    {
        return Err(Reject::field(
            field,
            format!("{field} contains control characters"),
        ));
    }
    // Explicit direction controls (embeddings, overrides, isolates) make
    // shown text read differently from what is stored ("Trojan Source");
    // neither Kazakh nor Russian needs them.
    if v.chars()
        .any(|ch| matches!(ch, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(Reject::field(
            field,
            format!("{field} contains text-direction control characters"),
        ));
    }
    Ok(v.to_string())
}

/// Appends a change-feed entry. `locality` makes it visible to followers of
/// that locality; `owner` to that user wherever they follow.
pub fn record_change(
    c: &mut dyn Conn,
    now: i64,
    kind: EntityKind,
    entity_id: &str,
    locality: Option<&str>,
    owner: Option<&str>,
) -> AppResult<()> {
    // Feed rows commit in the order of their sequence numbers: a deferred
    // transaction (the ballot path) takes the writers' lock here (the
    // ballot takes it itself just before, to know whether it did).
    c.hold_write_lock()?;
    c.exec(
        "INSERT INTO changes (locality, owner, kind, entity_id, ts) VALUES ($1, $2, $3, $4, $5)",
        params![locality, owner, kind.as_str(), entity_id, now],
    )?;
    Ok(())
}

pub fn push_history(json: &str, ev: HistoryEvent) -> AppResult<String> {
    let mut h: Vec<HistoryEvent> = serde_json::from_str(json).unwrap_or_default();
    h.push(ev);
    serde_json::to_string(&h).map_err(|e| AppError::Internal(e.to_string()))
}

/// Items with a status and a public history.
#[derive(Debug, Clone, Copy)]
pub enum Tracked {
    Appeals,
    Proposals,
}

impl Tracked {
    /// One fixed statement per table: no SQL assembled from names.
    fn status_sql(self) -> &'static str {
        match self {
            Tracked::Appeals => {
                "UPDATE appeals SET status = $2, history = $3, updated_at = $4 WHERE id = $1"
            }
            Tracked::Proposals => {
                "UPDATE proposals SET status = $2, history = $3, updated_at = $4 WHERE id = $1"
            }
        }
    }
}

/// Moves an item to `status`, appending a public history event; then runs
/// `then_sql` (a complete statement, `$1` the id and `extra` as `$2`, `$3`,
/// …; empty for none) for the fields the transition also sets.
#[allow(clippy::too_many_arguments)]
pub fn set_status_with_history(
    c: &mut dyn Conn,
    now: i64,
    table: Tracked,
    id: &str,
    status: &str,
    history_json: &str,
    note: &str,
    then_sql: &str,
    extra: &[crate::db::Value],
) -> AppResult<()> {
    let history = push_history(
        history_json,
        HistoryEvent {
            at: now,
            status: status.to_string(),
            note: note.to_string(),
        },
    )?;
    c.exec(table.status_sql(), params![id, status, history, now])?;
    if !then_sql.is_empty() {
        let mut params: Vec<crate::db::Value> = vec![id.into()];
        params.extend_from_slice(extra);
        c.exec(then_sql, &params)?;
    }
    Ok(())
}

/// The history of a just-submitted item: one `submitted` event, as JSON.
pub fn submitted_history(now: i64) -> AppResult<String> {
    to_json(&[HistoryEvent {
        at: now,
        status: "submitted".into(),
        note: String::new(),
    }])
}

pub fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

pub fn not_found(what: &str) -> AppError {
    Reject::new(ErrorCode::NotFound, format!("{what} not found")).into()
}

/// Checks that every upload id names a complete upload of this user, and
/// links them to the item (`kind`, `item`) they are photos of: they are
/// then served to whoever may see that item (`kernel/uploads.rs`).
pub fn check_media(
    c: &mut dyn Conn,
    ctx: &Ctx,
    media: &[String],
    kind: &str,
    item: &str,
) -> AppResult<()> {
    if media.len() > dauys_proto::limits::MAX_MEDIA_PER_ITEM {
        return Err(Reject::field("media", "too many attachments").into());
    }
    for m in media {
        let ok = c
            .query_one(
                "SELECT 1 FROM uploads WHERE id = $1 AND user_id = $2 AND received = length",
                params![m, &ctx.actor.user_id],
            )?
            .is_some();
        if !ok {
            return Err(Reject::new(
                ErrorCode::MediaMissing,
                format!("upload {m} is missing or incomplete"),
            )
            .with_field("media")
            .into());
        }
    }
    crate::kernel::uploads::link(c, media, kind, item)
}
