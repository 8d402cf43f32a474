//! `POST /files` (§12.1) and `GET /files/{id}/download` (§12.2).

use super::redirect;
use crate::db::files;
use crate::domain::{access, upload};
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::http::PathOr;
use chorus_kit::http::parse_id;

const NO_FILE: &str = "No file uploaded (use multipart/form-data field 'file')";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/files", post(upload_file))
        .route("/files/{id}/download", get(download))
}

/// POST /files
async fn upload_file(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<upload::Uploaded>)> {
    // A declared length over the limit is refused before a byte is read (§20.2).
    let limit = state.cfg.public.max_file_size_mb as u64 * 1024 * 1024 + 1024;
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|len| len > limit) {
        return Err(upload::too_large(&state));
    }
    let mut multipart = multipart.map_err(|_| Error::bad_request(NO_FILE))?;
    // The first part that is a file, whatever its field name; plain fields before it are skipped.
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Err(Error::bad_request(NO_FILE)),
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(upload::too_large(&state));
            }
            Err(_) => return Err(Error::bad_request(NO_FILE)),
        };
        if field.file_name().is_some() {
            let stored = upload::store(&state, user.id, field).await?;
            return Ok((StatusCode::CREATED, Json(stored)));
        }
    }
}

/// GET /files/{id}/download
async fn download(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Response> {
    let not_found = || Error::not_found("File not found");
    let Some(id) = parse_id(&id) else {
        return Err(not_found());
    };
    let Some(file) = files::by_id(&state.db, id).await? else {
        return Err(not_found());
    };
    if !access::may_download(&state, user.id, &file).await? {
        return Err(not_found());
    }
    Ok(redirect(
        &state.presigner.url(&file.bucket, &file.object_key),
    ))
}
