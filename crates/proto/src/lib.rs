//! Wire types and rules shared by every part of Dauys.
//!
//! This crate is pure: serde types, validation, the IIN checksum and the
//! working-day calendar. No I/O, no async runtime, so it compiles for the
//! server, the client core and the wasm UI alike.

pub mod api;
pub mod entities;
pub mod iin;
pub mod limits;
pub mod ops;
pub mod workdays;

pub use api::*;
pub use entities::*;
pub use ops::*;

/// Path prefix of this protocol version.
pub const API_PREFIX: &str = "/v1";
