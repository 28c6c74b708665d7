//! Who acts in the demo story.

use super::Person;
use crate::auth::Actor;
use crate::error::{AppError, AppResult};

/// Who acts in the demo story, found by their census label (not by
/// position in the census list).
pub struct Cast<'a> {
    pub official: &'a Actor,
    pub moderator: &'a Actor,
    pub expert: &'a Actor,
    pub admin: &'a Actor,
    /// Adult residents of the city, in census order.
    pub residents: Vec<&'a Actor>,
}

impl<'a> Cast<'a> {
    pub fn of(people: &[Person], actors: &'a [Actor]) -> AppResult<Cast<'a>> {
        let labelled = |label: &str| -> Vec<&'a Actor> {
            people
                .iter()
                .zip(actors)
                .filter(|(p, _)| p.label == label)
                .map(|(_, a)| a)
                .collect()
        };
        let one = |label: &str| -> AppResult<&'a Actor> {
            labelled(label)
                .first()
                .copied()
                .ok_or_else(|| AppError::Internal(format!("demo census has no {label}")))
        };
        Ok(Cast {
            official: one("official, Pavlodar")?,
            moderator: one("moderator, Pavlodar")?,
            expert: one("expert, Pavlodar")?,
            admin: one("administrator")?,
            residents: labelled("resident"),
        })
    }
}
