//! Appeals: `appeal new …`, `appeals [--public [--search …]]`.

use std::path::PathBuf;

use dauys_core::proto::AppealType;
use dauys_core::*;

use super::{after_queue, Outcome};
use crate::args::Cli;
use crate::render::{self, print};

pub struct NewAppeal<'a> {
    pub appeal_type: &'a str,
    /// The addressee; none: the one `topic` is routed to.
    pub to: Option<&'a str>,
    pub topic: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    pub photos: &'a [PathBuf],
    pub public: bool,
    /// At the centre of the user's place.
    pub here: bool,
    /// The language of an SMS when it is answered (none: no SMS).
    pub sms: Option<&'a str>,
}

/// The centre of the user's place (mirrored: works offline).
pub fn here(p: &Profile) -> Result<dauys_core::proto::GeoPoint> {
    Ok(p.home_centre()?
        .ok_or_else(|| CoreError::Invalid("your place has no centre on record: use --at".into()))?
        .centre)
}

pub async fn new(cli: &Cli, p: &Profile, a: &NewAppeal<'_>) -> Result<Outcome> {
    let t = AppealType::parse(a.appeal_type)
        .ok_or_else(|| CoreError::Invalid(format!("unknown appeal type {}", a.appeal_type)))?;
    if let Some(topic) = a.topic {
        if !dauys_core::proto::APPEAL_TOPICS.contains(&topic) {
            return Err(CoreError::Invalid(format!(
                "unknown topic {topic} (one of: {})",
                dauys_core::proto::APPEAL_TOPICS.join(", ")
            )));
        }
    }
    let to = match (a.to, a.topic) {
        (Some(to), _) => to.to_string(),
        (None, Some(topic)) => {
            p.suggested_addressee(topic)?
                .ok_or_else(|| {
                    CoreError::Invalid(format!(
                        "no body is suggested for {topic} in your places: choose one with --to"
                    ))
                })?
                .id
        }
        (None, None) => return Err(CoreError::Invalid("--to or --topic is needed".into())),
    };
    let mut input = AppealInput::new(t, &to, a.subject, a.body).with_photos(a.photos.to_vec());
    input.appeal.public = a.public;
    input.appeal.sms_on_answer = a.sms.map(str::to_string);
    if a.here {
        input.appeal.location = Some(here(p)?);
    }
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
