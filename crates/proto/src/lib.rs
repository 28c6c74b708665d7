//! Wire types and rules shared by every part of Dauys.
//!
//! This crate is pure: serde types, validation, the shared rules (ballot,
//! effective cost, the locality tree, IIN checksum and masking) and the
//! working-day calendar. No I/O, no async runtime, so it compiles for the
//! server, the client core and the wasm UI alike — and every layer answers
//! the same question with the same code.
//!
//! Map: the kernel — [`ops`] (op envelope, kinds, typed [`OpBody`],
//! signing, results), [`api`] (sign-in and other HTTP bodies), [`sync`]
//! (the change feed), [`entities`] (what the server sends down),
//! [`locality`], [`iin`], [`workdays`], [`limits`], [`rules`] — and one
//! module per component: [`appeals`], [`budgets`], [`comments`], [`media`].

pub mod admin;
pub mod api;
pub mod appeals;
pub mod budgets;
pub mod comments;
pub mod entities;
pub mod format;
pub mod geo;
pub mod iin;
pub mod limits;
pub mod locality;
pub mod media;
pub mod ops;
pub mod receipts;
pub mod rules;
mod wire;
pub mod workdays;

pub use admin::*;
pub use api::*;
pub use appeals::*;
pub use budgets::{
    BallotCastPayload, BudgetOp, CycleCreatePayload, CyclePhasePayload, ModerationDecision,
    ProposalModeratePayload, ProposalProgressPayload, ProposalReviewPayload, ProposalRevisePayload,
    ProposalSubmitPayload, ProposalWithdrawPayload,
};
pub use comments::*;
pub use entities::*;
pub use geo::*;
pub use media::*;
pub use ops::*;
pub use rules::RuleError;

/// The change feed (kernel): what a pull returns and how entities are named.
pub mod sync {
    pub use crate::api::{Change, PullResponse};
    pub use crate::entities::{Entity, EntityKind};
    pub use crate::ops::{PullRequest, PushRequest, PushResponse};
}

/// Path prefix of this protocol version.
pub const API_PREFIX: &str = "/v1";
