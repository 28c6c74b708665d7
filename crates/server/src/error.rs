//! Errors: per-op rejections and HTTP-level API errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dauys_proto::{ApiError as WireError, ErrorCode};

use crate::db::{AsDbError, DbError};

/// Why an op (or request) was refused: stable code, optional field.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub code: ErrorCode,
    pub field: Option<String>,
    pub detail: String,
}

impl Reject {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Reject {
        Reject {
            code,
            field: None,
            detail: detail.into(),
        }
    }
    pub fn field(field: &str, detail: impl Into<String>) -> Reject {
        Reject {
            code: ErrorCode::InvalidField,
            field: Some(field.to_string()),
            detail: detail.into(),
        }
    }
    pub fn with_field(mut self, field: &str) -> Reject {
        self.field = Some(field.to_string());
        self
    }
}

/// What can go wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("rejected: {0:?}")]
    Reject(Reject),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal: {0}")]
    Internal(String),
}

/// A shared rule's verdict (proto) as an op rejection.
impl From<dauys_proto::RuleError> for Reject {
    fn from(e: dauys_proto::RuleError) -> Self {
        Reject {
            code: e.code,
            field: e.field.map(str::to_string),
            detail: e.detail,
        }
    }
}

impl From<dauys_proto::RuleError> for AppError {
    fn from(e: dauys_proto::RuleError) -> Self {
        AppError::Reject(e.into())
    }
}

impl From<Reject> for AppError {
    fn from(r: Reject) -> Self {
        AppError::Reject(r)
    }
}

impl AppError {
    /// Whether this failure belongs to the op being applied (refused
    /// alone) rather than to the whole batch (answered 503 and re-sent).
    pub fn belongs_to_op(&self) -> bool {
        match self {
            AppError::Reject(_) | AppError::Internal(_) => true,
            AppError::Db(e) => e.is_statement_error(),
        }
    }
}

impl AsDbError for AppError {
    fn as_db_error(&self) -> Option<&DbError> {
        match self {
            AppError::Db(e) => Some(e),
            _ => None,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthorized | ErrorCode::CodeWrong | ErrorCode::CodeExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::Forbidden | ErrorCode::NotEligible | ErrorCode::UnderAge => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::PayloadTooLarge | ErrorCode::BatchTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::VotingClosed
        | ErrorCode::PhaseClosed
        | ErrorCode::InvalidTransition
        | ErrorCode::DeadlinePassed => StatusCode::CONFLICT,
        ErrorCode::Internal => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

pub fn wire(code: ErrorCode, field: Option<String>, detail: String) -> WireError {
    WireError {
        code,
        message_key: code.message_key(),
        field,
        detail,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            AppError::Reject(r) => (status_of(r.code), wire(r.code, r.field, r.detail)),
            AppError::Db(e) => {
                tracing::error!(error = %e, "database error");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    wire(
                        ErrorCode::Internal,
                        None,
                        "storage unavailable, retry later".into(),
                    ),
                )
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    wire(
                        ErrorCode::Internal,
                        None,
                        "internal error, retry later".into(),
                    ),
                )
            }
        };
        (status, axum::Json(body)).into_response()
    }
}
