//! Appeals: `appeal new …`, `appeals [--public [--search …]]`.

use std::path::PathBuf;

use dauys_core::proto::AppealType;
use dauys_core::*;

use super::{after_queue, Outcome};
use crate::args::Cli;
use crate::render::{self, print};

pub struct NewAppeal<'a> {
    pub appeal_type: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub photos: &'a [PathBuf],
    pub public: bool,
}

pub async fn new(cli: &Cli, p: &Profile, a: &NewAppeal<'_>) -> Result<Outcome> {
    let t = AppealType::parse(a.appeal_type)
        .ok_or_else(|| CoreError::Invalid(format!("unknown appeal type {}", a.appeal_type)))?;
    let mut input = AppealInput::new(t, a.to, a.subject, a.body).with_photos(a.photos.to_vec());
    input.appeal.public = a.public;
    let id = p.submit_appeal(&input)?;
    after_queue(cli, p, id).await
}

pub fn list(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let v = p.appeals()?;
    print(cli.json, &v, |v| render::appeals(v))?;
    Ok(Outcome::Done)
}

/// Other residents' public appeals, found offline.
pub fn public(cli: &Cli, p: &Profile, q: &PublicAppealQuery) -> Result<Outcome> {
    let v = p.public_appeals(q)?;
    print(cli.json, &v, |v| render::public_appeals(v))?;
    Ok(Outcome::Done)
}
