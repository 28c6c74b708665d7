//! Resumable media uploads in the manner of tus 1.0 (core protocol):
//! `POST` creates (with `Upload-Length`), `HEAD` tells the offset, `PATCH`
//! appends at `Upload-Offset`. A dropped upload resumes from the last byte
//! the server acknowledged. Chunks live in the database, so any instance
//! can serve any request.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dauys_proto::{limits, ErrorCode};

use crate::auth::Actor;
use crate::db::Conn;
use crate::error::{AppResult, Reject};
use crate::http::blocking;
use crate::state::AppState;

const TUS: &str = "1.0.0";
/// Largest chunk accepted in one PATCH.
pub const MAX_CHUNK: usize = 1024 * 1024;

fn header_i64(h: &HeaderMap, name: &str) -> Result<i64, Reject> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .filter(|v: &i64| *v >= 0)
        .ok_or_else(|| Reject::field(name, format!("{name} header is required")))
}

fn tus_headers(id: &str, offset: i64, length: i64) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("tus-resumable", HeaderValue::from_static(TUS));
    h.insert("upload-offset", HeaderValue::from(offset));
    h.insert("upload-length", HeaderValue::from(length));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/uploads/{id}")) {
        h.insert("location", v);
    }
    h
}

/// Creates an upload. `Idempotency-Key` (a UUID) doubles as the upload id,
/// so a client that lost the response can create it again safely.
#[utoipa::path(post, path = "/v1/uploads", security(("bearer" = [])),
    params(("Upload-Length" = i64, Header), ("Idempotency-Key" = Option<String>, Header),
           ("Media-Type" = Option<String>, Header, description = "image/jpeg, image/png or image/webp")),
    responses((status = 201, description = "created; Location and Upload-Offset headers"),
              (status = 413, body = dauys_proto::ApiError), (status = 401, body = dauys_proto::ApiError)))]
pub async fn create(
    State(st): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
) -> AppResult<Response> {
    let length = header_i64(&headers, "upload-length")?;
    if length as u64 > limits::MAX_MEDIA_BYTES || length == 0 {
        return Err(
            Reject::new(ErrorCode::PayloadTooLarge, "media must be 1 byte to 10 MB").into(),
        );
    }
    let id = match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        Some(k) => uuid::Uuid::parse_str(k.trim())
            .map_err(|_| Reject::field("Idempotency-Key", "expected a UUID"))?
            .to_string(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let media_type = headers
        .get("media-type")
        .and_then(|v| v.to_str().ok())
        .filter(|v| matches!(*v, "image/jpeg" | "image/png" | "image/webp"))
        .unwrap_or("image/jpeg")
        .to_string();
    let id2 = id.clone();
    let offset = blocking(&st, move |st, c| {
        store::create(
            c,
            &id2,
            &actor.user_id,
            length,
            &media_type,
            st.clock.now_ms(),
        )
    })
    .await?;
    Ok((StatusCode::CREATED, tus_headers(&id, offset, length)).into_response())
}

/// How much of an upload the server has.
#[utoipa::path(head, path = "/v1/uploads/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Upload-Offset and Upload-Length headers"), (status = 404, body = dauys_proto::ApiError)))]
pub async fn head(
    State(st): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id2 = id.clone();
    let (offset, length) =
        blocking(&st, move |_, c| store::progress(c, &id2, &actor.user_id)).await?;
    Ok((StatusCode::OK, tus_headers(&id, offset, length)).into_response())
}

/// Appends a chunk at `Upload-Offset` (which must equal the current offset).
#[utoipa::path(patch, path = "/v1/uploads/{id}", params(("id" = String, Path), ("Upload-Offset" = i64, Header)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the bytes from Upload-Offset on (tus clients send application/offset+octet-stream; any type is accepted)"), security(("bearer" = [])),
    responses((status = 204, description = "new Upload-Offset header"), (status = 409, body = dauys_proto::ApiError),
              (status = 404, body = dauys_proto::ApiError)))]
pub async fn patch(
    State(st): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let at = header_i64(&headers, "upload-offset")?;
    if body.len() > MAX_CHUNK {
        return Err(Reject::new(ErrorCode::PayloadTooLarge, "chunks are at most 1 MB").into());
    }
    let id2 = id.clone();
    let (offset, length) = blocking(&st, move |_, c| {
        store::append(c, &id2, &actor.user_id, at, &body)
    })
    .await?;
    Ok((StatusCode::NO_CONTENT, tus_headers(&id, offset, length)).into_response())
}

/// The bytes of a complete upload, to whoever may see it: its uploader,
/// or anyone who may see an item it is a photo of (a public appeal, a
/// published proposal; a private appeal only to its author and the staff
/// in its scope). Anyone else — signed in or not — gets the same 404 as
/// for an id that does not exist.
#[utoipa::path(get, path = "/v1/uploads/{id}", params(("id" = String, Path)),
    responses((status = 200, description = "the media bytes"), (status = 404, body = dauys_proto::ApiError)))]
pub async fn fetch(
    State(st): State<AppState>,
    crate::http::MaybeActor(viewer): crate::http::MaybeActor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (media_type, bytes) =
        blocking(&st, move |st, c| visible(st, c, &id, viewer.as_ref())).await?;
    Ok(media_response(&media_type, bytes))
}

/// The media type and bytes of upload `id` if `viewer` may see it, else
/// the "not found" of a missing upload.
pub fn visible(
    st: &AppState,
    c: &mut dyn Conn,
    id: &str,
    viewer: Option<&Actor>,
) -> AppResult<(String, Vec<u8>)> {
    if !may_see(st, c, id, viewer)? {
        return Err(Reject::new(ErrorCode::NotFound, "no such complete upload").into());
    }
    store::complete(c, id)
}

/// Whether `viewer` uploaded `id` or may see an item it is linked to (the
/// component owning the item's kind decides).
fn may_see(st: &AppState, c: &mut dyn Conn, id: &str, viewer: Option<&Actor>) -> AppResult<bool> {
    if let Some(v) = viewer {
        if store::uploader(c, id)?.as_deref() == Some(v.user_id.as_str()) {
            return Ok(true);
        }
    }
    for (kind, item) in store::links(c, id)? {
        for comp in st.components.iter() {
            if comp.item_visible(c, &kind, &item, viewer)? == Some(true) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Records that `media` are photos of item `id` of `kind` (called by the
/// component attaching them, in the op's transaction).
pub fn link(c: &mut dyn Conn, media: &[String], kind: &str, id: &str) -> AppResult<()> {
    for m in media {
        store::link(c, m, kind, id)?;
    }
    Ok(())
}

/// An upload's bytes as a response: served as the image the bytes were
/// checked to be, never sniffed into anything else, never run as a page;
/// cached only by the browser that was allowed to fetch it.
pub fn media_response(media_type: &str, bytes: Vec<u8>) -> Response {
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(media_type) {
        h.insert("content-type", v);
    }
    h.insert(
        "cache-control",
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert("content-disposition", HeaderValue::from_static("inline"));
    (StatusCode::OK, h, bytes).into_response()
}

/// Stores a whole file received in one request (a console form) as a
/// complete upload of `user_id` — the same tables, so ops reference it as
/// they reference an app's resumable upload. Idempotent per id: sending
/// the same form again finds it complete.
pub fn put_whole(
    c: &mut dyn Conn,
    id: &str,
    user_id: &str,
    bytes: &[u8],
    media_type: &str,
    now: i64,
) -> AppResult<()> {
    let len = bytes.len() as i64;
    if store::create(c, id, user_id, len, media_type, now)? == 0 {
        store::append(c, id, user_id, 0, bytes)?;
    }
    Ok(())
}

/// Uploads left unfinished this long are deleted (a device resumes within
/// hours; a week covers a phone left offline on a long trip).
pub const UNFINISHED_KEPT_MS: i64 = 7 * 24 * 3_600_000;

/// Deletes uploads never completed and older than [`UNFINISHED_KEPT_MS`]
/// (their chunks first); returns how many. Run at start-up and hourly.
pub fn forget_unfinished(c: &mut dyn Conn, now: i64) -> AppResult<usize> {
    store::forget_unfinished(c, now - UNFINISHED_KEPT_MS)
}

/// The uploads tables (`uploads`, `upload_chunks`): all of this module's SQL.
mod store {
    use base64::Engine;
    use dauys_proto::ErrorCode;

    use crate::db::{self, Conn};
    use crate::error::{AppError, AppResult, Reject};
    use crate::params;

    /// Creates an upload (or finds the same one again: creation is
    /// idempotent per id and length); returns its offset.
    pub fn create(
        c: &mut dyn Conn,
        id: &str,
        user_id: &str,
        length: i64,
        media_type: &str,
        now: i64,
    ) -> AppResult<i64> {
        db::write_tx(c, |c| -> AppResult<i64> {
            if let Some(r) = c.query_one(
                "SELECT user_id, received, length FROM uploads WHERE id = $1",
                params![id],
            )? {
                if r.get::<String>("user_id")? != user_id || r.get::<i64>("length")? != length {
                    return Err(Reject::field("Idempotency-Key", "this upload id is taken").into());
                }
                return Ok(r.get("received")?);
            }
            within_quota(c, user_id, length, now)?;
            c.exec(
                "INSERT INTO uploads (id, user_id, length, received, content_type, created_at)
                 VALUES ($1, $2, $3, 0, $4, $5)",
                params![id, user_id, length, media_type, now],
            )?;
            Ok(0)
        })
    }

    /// Refuses a new upload past the account's daily quota
    /// ([`limits::MAX_UPLOADS_PER_DAY`] and [`limits::MAX_UPLOAD_BYTES_PER_DAY`]
    /// over the last 24 hours; one index range, `uploads_user`).
    fn within_quota(c: &mut dyn Conn, user_id: &str, length: i64, now: i64) -> AppResult<()> {
        use dauys_proto::limits;
        const DAY_MS: i64 = 24 * 60 * 60 * 1000;
        let r = c
            .query_one(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(length), 0) AS BIGINT) AS bytes
                 FROM uploads WHERE user_id = $1 AND created_at > $2",
                params![user_id, now - DAY_MS],
            )?
            .ok_or_else(|| AppError::Internal("no count".into()))?;
        let (n, bytes): (i64, i64) = (r.get("n")?, r.get("bytes")?);
        if n >= limits::MAX_UPLOADS_PER_DAY
            || bytes.saturating_add(length) > limits::MAX_UPLOAD_BYTES_PER_DAY
        {
            return Err(Reject::new(
                ErrorCode::RateLimited,
                format!(
                    "at most {} photos ({} MB) a day per account: try again tomorrow",
                    limits::MAX_UPLOADS_PER_DAY,
                    limits::MAX_UPLOAD_BYTES_PER_DAY / (1024 * 1024)
                ),
            )
            .into());
        }
        Ok(())
    }

    /// `(received, length)` of one's own upload.
    pub fn progress(c: &mut dyn Conn, id: &str, user_id: &str) -> AppResult<(i64, i64)> {
        let r = c
            .query_one(
                "SELECT received, length FROM uploads WHERE id = $1 AND user_id = $2",
                params![id, user_id],
            )?
            .ok_or_else(|| Reject::new(ErrorCode::NotFound, "no such upload"))?;
        Ok((r.get("received")?, r.get("length")?))
    }

    /// Appends `body` at offset `at` (which must be the current offset);
    /// returns the new `(received, length)`.
    pub fn append(
        c: &mut dyn Conn,
        id: &str,
        user_id: &str,
        at: i64,
        body: &[u8],
    ) -> AppResult<(i64, i64)> {
        // A refusal of the last chunk is returned after the commit that
        // deleted the upload (an `Err` here would roll the deletion back).
        let r = db::write_tx(c, |c| -> AppResult<Result<(i64, i64), Reject>> {
            let (received, length) = progress(c, id, user_id)?;
            if at != received {
                return Err(Reject::new(
                    ErrorCode::InvalidTransition,
                    format!("Upload-Offset must be {received}"),
                )
                .with_field("Upload-Offset")
                .into());
            }
            let end = received + body.len() as i64;
            if end > length {
                return Err(Reject::new(
                    ErrorCode::PayloadTooLarge,
                    "more bytes than Upload-Length",
                )
                .into());
            }
            if end == length {
                // Complete: the bytes must be the image they claim to be.
                let head = if received == 0 {
                    body.to_vec()
                } else {
                    first_bytes(c, id)?
                };
                let Some(kind) = image_type(&head) else {
                    c.exec(
                        "DELETE FROM upload_chunks WHERE upload_id = $1",
                        params![id],
                    )?;
                    c.exec("DELETE FROM uploads WHERE id = $1", params![id])?;
                    return Ok(Err(Reject::field(
                        "media",
                        "only JPEG, PNG and WebP images are accepted",
                    )));
                };
                c.exec(
                    "UPDATE uploads SET content_type = $2 WHERE id = $1",
                    params![id, kind],
                )?;
            }
            if !body.is_empty() {
                let data = base64::engine::general_purpose::STANDARD.encode(body);
                c.exec(
                    "INSERT INTO upload_chunks (upload_id, start_at, data) VALUES ($1, $2, $3)",
                    params![id, received, data],
                )?;
                c.exec(
                    "UPDATE uploads SET received = $2 WHERE id = $1",
                    params![id, end],
                )?;
            }
            Ok(Ok((end, length)))
        })?;
        Ok(r?)
    }

    pub fn forget_unfinished(c: &mut dyn Conn, before: i64) -> AppResult<usize> {
        db::write_tx(c, |c| -> AppResult<usize> {
            c.exec(
                "DELETE FROM upload_chunks WHERE upload_id IN
                   (SELECT id FROM uploads WHERE received < length AND created_at < $1)",
                params![before],
            )?;
            Ok(c.exec(
                "DELETE FROM uploads WHERE received < length AND created_at < $1",
                params![before],
            )? as usize)
        })
    }

    /// The first bytes of an upload (its first chunk).
    fn first_bytes(c: &mut dyn Conn, id: &str) -> AppResult<Vec<u8>> {
        let Some(r) = c.query_one(
            "SELECT data FROM upload_chunks WHERE upload_id = $1 AND start_at = 0",
            params![id],
        )?
        else {
            return Ok(Vec::new());
        };
        base64::engine::general_purpose::STANDARD
            .decode(r.get::<String>("data")?)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The image type the bytes begin with, of the ones accepted.
    pub fn image_type(head: &[u8]) -> Option<&'static str> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some("image/jpeg")
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some("image/png")
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            Some("image/webp")
        } else {
            None
        }
    }

    /// Who uploaded `id`, if it exists.
    pub fn uploader(c: &mut dyn Conn, id: &str) -> AppResult<Option<String>> {
        Ok(
            c.query_one("SELECT user_id FROM uploads WHERE id = $1", params![id])?
                .map(|r| r.get("user_id"))
                .transpose()?,
        )
    }

    /// The items `id` is a photo of: `(kind, item id)`.
    pub fn links(c: &mut dyn Conn, id: &str) -> AppResult<Vec<(String, String)>> {
        c.query(
            "SELECT item_kind, item_id FROM upload_links WHERE upload_id = $1",
            params![id],
        )?
        .iter()
        .map(|r| Ok((r.get("item_kind")?, r.get("item_id")?)))
        .collect()
    }

    pub fn link(c: &mut dyn Conn, id: &str, kind: &str, item: &str) -> AppResult<()> {
        c.exec(
            "INSERT INTO upload_links (upload_id, item_kind, item_id) VALUES ($1, $2, $3)
             ON CONFLICT (upload_id, item_kind, item_id) DO NOTHING",
            params![id, kind, item],
        )?;
        Ok(())
    }

    /// The media type and bytes of a complete upload.
    pub fn complete(c: &mut dyn Conn, id: &str) -> AppResult<(String, Vec<u8>)> {
        let r = c
            .query_one(
                "SELECT content_type FROM uploads WHERE id = $1 AND received = length",
                params![id],
            )?
            .ok_or_else(|| Reject::new(ErrorCode::NotFound, "no such complete upload"))?;
        let mut bytes = Vec::new();
        for chunk in c.query(
            "SELECT data FROM upload_chunks WHERE upload_id = $1 ORDER BY start_at",
            params![id],
        )? {
            let data = base64::engine::general_purpose::STANDARD
                .decode(chunk.get::<String>("data")?)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            bytes.extend_from_slice(&data);
        }
        Ok((r.get("content_type")?, bytes))
    }
}
