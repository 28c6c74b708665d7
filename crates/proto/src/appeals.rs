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
