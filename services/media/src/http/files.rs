//! `POST /files` (§12.1) and `GET /files/{id}/download` (§12.2).

use super::{UNAUTHORIZED, redirect};
use crate::db::files;
use crate::domain::{access, upload};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::wire::{FileUploadForm, UploadedFile};
use axum::Json;
use axum::body::Body;
use axum::extract::multipart::Multipart;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::response::Response;
use chorus_authn::{AuthError, AuthUser};
use chorus_kit::http::PathOr;
use chorus_kit::http::parse_id;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::{FileId, UserId};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    // The upload's body limit is its handler's own.
    let (schemas, paths, upload) = routes!(upload_file);
    ApiRouter::new()
        .routes((schemas, paths, upload.layer(DefaultBodyLimit::disable())))
        .routes(routes!(download_file))
}

/// Uploads a file
///
/// The first part with a filename is stored, whatever its field name; any
/// media type is accepted. Avatars and voice messages are uploaded here too,
/// then referred to by the returned `id`.
//
// A refused body — too large, no valid token, not multipart — is still read to
// its end (up to a bound) before the answer goes out, because an HTTP/1 client
// still sending when the server answers and closes gets a broken pipe instead
// of the answer.
#[utoipa::path(
    post,
    path = "/files",
    tag = "media",
    request_body(content = FileUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = UploadedFile),
        (status = 400, description = "`No file uploaded (use multipart/form-data field 'file')` (not multipart, or no part with a filename), `File is empty`, or `Invalid multipart body` (the body broke off)", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 413, description = "`File too large (max 50 MB)` (the number is `MAX_FILE_SIZE_MB`); a body more than 1 KiB over it may get a bare 413", body = ErrorBody),
        (status = 502, description = "`Object storage upload failed`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn upload_file(
    State(state): State<AppState>,
    user: Result<AuthUser, AuthError>,
    request: Request,
) -> Response {
    let limit = state.cfg.public.max_file_size_mb as u64 * 1024 * 1024 + 1024;
    // Past this many bytes a refused body is not read any further (the gateway
    // allows 60 MiB, so every body it forwards is read to its end).
    let drain_cap = limit.max(60 * 1024 * 1024) + 8 * 1024 * 1024;
    // Read before the first await: `&Request` is not `Send` (the body is not `Sync`).
    let (declared_len, is_multipart) = {
        let text = |name| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
        };
        (
            text(header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok()),
            text(header::CONTENT_TYPE)
                .is_some_and(|v| v.trim_start().starts_with("multipart/form-data")),
        )
    };
    let (parts, body) = request.into_parts();
    let read = Arc::new(AtomicU64::new(0));
    let body = counted(body, read.clone(), drain_cap);
    let user = match user {
        Err(rejection) => return drained(body, rejection.into_response()).await,
        Ok(_) if declared_len.is_some_and(|len| len > limit) => {
            return drained(body, upload::too_large(&state).into_response()).await;
        }
        Ok(_) if !is_multipart => {
            return drained(body, Error::NoFile.into_response()).await;
        }
        Ok(user) => user,
    };
    let request = Request::from_parts(parts, body);
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return Error::NoFile.into_response();
    };
    // The first part that is a file, whatever its field name; plain fields before it are skipped.
    let outcome = loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            // A body cut at the drain bound before any file part was too large, not empty.
            Ok(None) | Err(_) if read.load(Ordering::Relaxed) > limit => {
                break Err(upload::too_large(&state));
            }
            Ok(None) | Err(_) => break Err(Error::NoFile),
        };
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let content_type = field.content_type().map(str::to_owned);
            let declared = upload::Declared {
                file_name: &file_name,
                content_type: content_type.as_deref(),
            };
            let body_over = || read.load(Ordering::Relaxed) > limit;
            break upload::store(&state, UserId(user.id), declared, field, body_over).await;
        }
    };
    match outcome {
        Ok(stored) => (StatusCode::CREATED, Json(stored)).into_response(),
        Err(err) => {
            // Whatever the error, the rest of the body is read before answering.
            let rest = futures_util::stream::unfold(multipart, |mut m| async move {
                match m.next_field().await {
                    Ok(Some(_)) => Some(((), m)),
                    _ => None,
                }
            });
            drain(rest).await;
            err.into_response()
        }
    }
}

/// Reads `body` to its end (or its bound), then answers `response`.
async fn drained(body: Body, response: Response) -> Response {
    let chunks = body.into_data_stream();
    drain(
        chunks
            .take_while(|c| std::future::ready(c.is_ok()))
            .map(|_| ()),
    )
    .await;
    response
}

/// The request body, counting what was read; past `cap` bytes it fails.
fn counted(body: Body, read: Arc<AtomicU64>, cap: u64) -> Body {
    Body::from_stream(body.into_data_stream().map(move |chunk| {
        let chunk = chunk?;
        let total = read.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
        if total > cap {
            return Err(axum::Error::new("request body over the drain bound"));
        }
        Ok(chunk)
    }))
}

/// Reads a refused body to its end, for at most 30 s.
async fn drain(stream: impl futures_util::Stream<Item = ()>) {
    let _ = tokio::time::timeout(Duration::from_secs(30), stream.for_each(|()| async {})).await;
}

/// Redirects to a file's bytes
///
/// For its uploader, members of a chat where it is attached, and everyone for
/// a file in use as an avatar or sticker (D12).
#[utoipa::path(
    get,
    path = "/files/{id}/download",
    tag = "media",
    params(("id" = i64, Path, description = "The file id; a segment that is not an integer is an unknown file")),
    responses(
        (status = 302, description = "To a presigned URL of the object (§13.3), valid for `MINIO_PRESIGN_TTL` seconds",
            headers(("Location" = String, description = "The presigned URL"))),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`File not found` (unknown, or not visible to the caller)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn download_file(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Response> {
    let id = parse_id(&id).map(FileId).ok_or(Error::FileNotFound)?;
    let file = files::by_id(&state.db, id)
        .await?
        .ok_or(Error::FileNotFound)?;
    if !access::may_download(&state.db, state.membership.as_ref(), UserId(user.id), &file).await? {
        return Err(Error::FileNotFound);
    }
    Ok(redirect(
        &state.presigner.url(&file.bucket, &file.object_key),
    ))
}
