//! # dauys-core — the offline-first client core of Dauys
//!
//! Everything a resident does is first written to a local SQLite database
//! (one per profile), shown at once, and delivered exactly once when a
//! connection appears. The Tauri app and the `dauys` CLI are thin layers
//! over this crate.
//!
//! ## Shape of the API
//!
//! * [`Home`] — a directory with the device's profiles:
//!   [`Home::create_profile`], [`Home::profiles`], [`Home::switch`],
//!   [`Home::open_active`] / [`Home::open_profile`], [`Home::sign_out`]
//!   (kiosk: wipe now or once synced), [`Home::wipe`], [`Home::maintain`]
//!   (kiosk idle sign-out and wipe-after-sync), [`Home::touch`].
//! * [`Profile`] — one resident (`Send + Sync`; share in an `Arc`):
//!   - sign-in: [`Profile::request_code`], [`Profile::verify`] (then
//!     [`Home::mark_signed_in`]);
//!   - following: [`Profile::follow`], [`Profile::unfollow`], [`Profile::follows`];
//!   - actions (each writes its local effect and its outbox op in one
//!     transaction; appeals and ballots are signed with the device's
//!     Ed25519 key): [`Profile::submit_appeal`] (with photos),
//!     [`Profile::submit_proposal`], [`Profile::add_comment`],
//!     [`Profile::cast_ballot`] (replaceable: last cast wins),
//!     [`Profile::attach_photo`]; ops of components registered in
//!     [`HomeConfig::components`] (see [`components::LocalComponent`]):
//!     [`Profile::queue_op`];
//!   - drafts with autosave: [`Profile::save_draft`], [`Profile::drafts`],
//!     [`Profile::draft`], [`Profile::delete_draft`], [`Profile::submit_draft`];
//!     their photos, sealed in the profile's directory:
//!     [`Profile::add_draft_photo`], [`Profile::draft_photos`],
//!     [`Profile::draft_photo`], [`Profile::remove_draft_photo`];
//!   - outbox: [`Profile::outbox`] (per-op [`OpState`]), [`Profile::retry`],
//!     [`Profile::discard`], [`Profile::edit_rejected`];
//!   - local queries: [`Profile::localities`], [`Profile::cycles`],
//!     [`Profile::proposals`] (FTS5 search), [`Profile::comments`],
//!     [`Profile::appeals`] / [`Profile::appeal`] (timeline),
//!     [`Profile::ballots`] (honest [`BallotStatus`]), [`Profile::status`];
//!   - sync: [`Profile::sync`] with [`SyncOptions`] (progress callback,
//!     [`CancellationToken`]) returning a [`SyncReport`].
//!
//! All methods except sign-in, sign-out and sync are synchronous and fast
//! (local SQLite); the async ones need a Tokio runtime.
//!
//! ## Guarantees
//!
//! * An action is durable once its method returns (`synchronous=FULL`, WAL).
//! * Each op has a UUIDv7 chosen when queued and re-sent with that id after
//!   any failure or crash; the server applies an op id at most once.
//! * A rejected op never loses content: it becomes an editable [`Draft`]
//!   with the reason (`code`, `message_key`).
//! * A ballot cast offline that reaches the server after voting closed is
//!   rejected with `voting_closed`; it shows as [`BallotStatus::Rejected`]
//!   and its choice returns to a draft — never silently dropped.
//! * Personal data is sealed with a per-profile key (see [`crypto`]).

pub mod crypto;
pub mod db;
pub mod error;
pub mod home;
pub mod media;
pub mod model;
pub mod net;
pub mod profile;
pub mod signin;
pub mod sync;

pub use crypto::{KeyStorage, KeyStorePolicy};
pub use dauys_proto as proto;
pub use error::{CoreError, Result};
pub use home::{Home, HomeConfig, SignOutOutcome};
pub use model::*;
pub use net::NetConfig;
pub use profile::components;
pub use profile::notices::{Notice, NoticeEvent};
pub use profile::places::PlaceCentre;
pub use profile::public_appeals::PublicAppealQuery;
pub use profile::receipts::ReceiptCheck;
pub use profile::{Profile, ProfileInfo};
pub use signin::{SignIn, SignInRequest};
pub use sync::{CancellationToken, SyncEvent, SyncOptions, SyncReport};
