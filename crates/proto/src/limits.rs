//! Size limits enforced by the server and checked early by clients.

/// Maximum operations in one push batch.
pub const MAX_BATCH_OPS: usize = 500;
/// Maximum request body of a push, in bytes.
pub const MAX_PUSH_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 10_000;
pub const MAX_COMMENT_CHARS: usize = 2_000;
pub const MAX_REASON_CHARS: usize = 2_000;
pub const MAX_MEDIA_PER_ITEM: usize = 10;
/// Largest single media file accepted by the upload endpoint.
pub const MAX_MEDIA_BYTES: u64 = 10 * 1024 * 1024;
/// Uploads one account may start in 24 hours (ten appeals with ten photos
/// each), and their declared bytes: beyond it uploads are refused
/// (`rate_limited`) until the oldest is a day old — one account cannot
/// fill the server's disk.
pub const MAX_UPLOADS_PER_DAY: i64 = 100;
pub const MAX_UPLOAD_BYTES_PER_DAY: i64 = 200 * 1024 * 1024;
/// Largest page of changes returned by one pull.
pub const MAX_PULL_LIMIT: u32 = 1000;
/// Largest amount of tenge a cycle's budget, a project's cost or an
/// expert's estimate may be: a trillion, beyond any locality's whole
/// budget. Above it a number is a typo or an attack (sums of such amounts
/// would also come near `i64`'s range).
pub const MAX_TENGE: i64 = 1_000_000_000_000;
