//! Errors of the client core.

use dauys_proto::ErrorCode;

/// Everything that can go wrong in the core. Rejections of individual ops
/// by the server are *not* errors: they are recorded on the op (see
/// [`crate::OpState::Rejected`]).
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("local database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("local database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("malformed data: {0}")]
    Json(#[from] serde_json::Error),
    #[error("network: {0}")]
    Net(String),
    /// The server could not be reached at all (nothing was sent).
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// The server answered with an error body (4xx/5xx) for a whole request.
    #[error("server said {code:?}: {detail}")]
    Api {
        status: u16,
        code: ErrorCode,
        message_key: String,
        detail: String,
    },
    /// Refused on this device by a shared rule (`dauys_proto`) before
    /// anything was queued: the same code the server would answer.
    #[error("refused ({}): {detail}", code.as_str())]
    Rejected {
        code: ErrorCode,
        field: Option<String>,
        detail: String,
    },
    /// Not a valid IIN (checksum, birth date): caught before any request.
    #[error("invalid IIN: {0}")]
    InvalidIin(dauys_proto::iin::IinError),
    #[error("not signed in (or the session expired): sign in again")]
    NotSignedIn,
    #[error("no such profile: {0}")]
    NoProfile(String),
    #[error("no active profile: create one with login")]
    NoActiveProfile,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    /// No component of this client (built in or registered in
    /// [`crate::HomeConfig::components`]) owns the op kind.
    #[error("no component handles op kind {0}")]
    UnknownOpKind(String),
    #[error("the profile's data cannot be decrypted (wrong or missing key)")]
    Crypto,
    #[error("key store: {0}")]
    KeyStore(String),
    #[error("image: {0}")]
    Image(String),
    #[error("plain HTTP is refused for {0}: use https, a loopback address, or allow insecure HTTP explicitly")]
    InsecureUrl(String),
    #[error("cancelled")]
    Cancelled,
}

impl CoreError {
    /// Worth retrying later (network trouble, server overload), as opposed
    /// to an error that retrying cannot fix.
    pub fn is_transient(&self) -> bool {
        match self {
            CoreError::Net(_) | CoreError::Unreachable(_) => true,
            CoreError::Api { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}

impl From<dauys_proto::RuleError> for CoreError {
    fn from(e: dauys_proto::RuleError) -> Self {
        CoreError::Rejected {
            code: e.code,
            field: e.field.map(String::from),
            detail: e.detail,
        }
    }
}

impl CoreError {
    /// The stable protocol code of a refusal (by a local rule or the
    /// server), if this error is one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            CoreError::Rejected { code, .. } | CoreError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for CoreError {
    fn from(e: reqwest::Error) -> Self {
        // Keep the chain: "error sending request" alone says nothing.
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        if e.is_connect() {
            CoreError::Unreachable(msg)
        } else {
            CoreError::Net(msg)
        }
    }
}

impl From<image::ImageError> for CoreError {
    fn from(e: image::ImageError) -> Self {
        CoreError::Image(e.to_string())
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
