//! The error every shared rule returns: a stable [`ErrorCode`], the field
//! at fault and an English detail. The server turns it into a rejected op,
//! the clients into a localized message (`error-<code>`).

use crate::ops::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?}: {detail}")]
pub struct RuleError {
    pub code: ErrorCode,
    /// The offending field, if any.
    pub field: Option<&'static str>,
    /// English detail for logs and developers.
    pub detail: String,
}

impl RuleError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> RuleError {
        RuleError {
            code,
            field: None,
            detail: detail.into(),
        }
    }

    pub fn field(code: ErrorCode, field: &'static str, detail: impl Into<String>) -> RuleError {
        RuleError {
            code,
            field: Some(field),
            detail: detail.into(),
        }
    }
}
