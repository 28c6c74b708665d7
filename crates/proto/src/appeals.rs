//! The appeals component's wire types: the forms of appeal in Kazakh law,
//! what a resident submits and what officials do with it.

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::geo::GeoPoint;
use crate::ops::OpKind;

wire_enum! {
    /// The forms of appeal in Kazakh law.
    pub enum AppealType {
        Complaint,
        Statement,
        Proposal,
        Request,
        Response,
    }
}

/// What an appeal can be about, for routing help: each has words in
/// `locales/` (`appeal-topic-*`), and a locality's admins may name the
/// body that deals with it there ([`crate::Locality::routes`]).
pub const APPEAL_TOPICS: &[&str] = &[
    "roads",
    "lighting",
    "water",
    "heating",
    "waste",
    "transport",
    "housing",
    "land",
    "education",
    "health",
    "social",
    "other",
];

/// The body to suggest for an appeal about `topic`, from the routing
/// tables of `places`, nearest first (the resident's village, then its
/// okrug, district, region): the first place whose admins named one.
/// Only a suggestion: the resident may address any body.
pub fn suggested_body<'a>(places: &[&'a crate::Locality], topic: &str) -> Option<&'a str> {
    places
        .iter()
        .find_map(|l| l.routes.get(topic).map(String::as_str))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealSubmitPayload {
    #[serde(rename = "type")]
    pub appeal_type: AppealType,
    /// Id of the addressed body (an akimat or one of its departments).
    pub addressee: String,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    #[serde(default)]
    pub public: bool,
    /// Ids of completed uploads.
    #[serde(default)]
    pub media: Vec<String>,
    /// Opt-in: the language (`kk`, `ru`, `en`) of an SMS to the resident's
    /// phone when the appeal is answered. None: no SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_on_answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealRegisterPayload {
    pub appeal_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealRedirectPayload {
    pub appeal_id: String,
    /// The body the appeal goes to.
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealExtendPayload {
    pub appeal_id: String,
    /// New due date `YYYY-MM-DD`.
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealAnswerPayload {
    pub appeal_id: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppealDismissPayload {
    pub appeal_id: String,
    pub reason: String,
}

/// Every op of the appeals component, parsed once at the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum AppealOp {
    Submit(AppealSubmitPayload),
    Register(AppealRegisterPayload),
    Redirect(AppealRedirectPayload),
    Extend(AppealExtendPayload),
    Answer(AppealAnswerPayload),
    Dismiss(AppealDismissPayload),
}

impl AppealOp {
    pub fn kind(&self) -> OpKind {
        match self {
            AppealOp::Submit(_) => OpKind::AppealSubmit,
            AppealOp::Register(_) => OpKind::AppealRegister,
            AppealOp::Redirect(_) => OpKind::AppealRedirect,
            AppealOp::Extend(_) => OpKind::AppealExtend,
            AppealOp::Answer(_) => OpKind::AppealAnswer,
            AppealOp::Dismiss(_) => OpKind::AppealDismiss,
        }
    }

    pub(crate) fn to_payload(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            AppealOp::Submit(p) => serde_json::to_value(p),
            AppealOp::Register(p) => serde_json::to_value(p),
            AppealOp::Redirect(p) => serde_json::to_value(p),
            AppealOp::Extend(p) => serde_json::to_value(p),
            AppealOp::Answer(p) => serde_json::to_value(p),
            AppealOp::Dismiss(p) => serde_json::to_value(p),
        }
    }

    /// The appeal an official op acts on (`None` for a submission).
    pub fn appeal_id(&self) -> Option<&str> {
        match self {
            AppealOp::Submit(_) => None,
            AppealOp::Register(p) => Some(&p.appeal_id),
            AppealOp::Redirect(p) => Some(&p.appeal_id),
            AppealOp::Extend(p) => Some(&p.appeal_id),
            AppealOp::Answer(p) => Some(&p.appeal_id),
            AppealOp::Dismiss(p) => Some(&p.appeal_id),
        }
    }
}

#[cfg(test)]
mod routing_tests {
    use super::*;
    use crate::{Locality, LocalityLevel, Localized};

    fn place(code: &str, routes: &[(&str, &str)]) -> Locality {
        Locality {
            code: code.into(),
            parent: None,
            level: LocalityLevel::Village,
            name: Localized::default(),
            bodies: Vec::new(),
            centre: None,
            routes: routes
                .iter()
                .map(|(t, b)| (t.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn the_nearest_place_with_a_route_wins() {
        let village = place("v", &[("lighting", "village-akimat")]);
        let district = place("d", &[("lighting", "d-housing"), ("roads", "d-roads")]);
        let chain = [&village, &district];
        assert_eq!(suggested_body(&chain, "lighting"), Some("village-akimat"));
        assert_eq!(suggested_body(&chain, "roads"), Some("d-roads"));
        assert_eq!(suggested_body(&chain, "health"), None);
        assert_eq!(suggested_body(&[], "roads"), None);
    }
}
