//! The public routes: `/files`, `/files/{id}/download`, `/stickers`,
//! `/stickers/{id}/image`.

pub mod files;
pub mod stickers;

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(files::router())
        .merge(stickers::router())
        .with_state(state)
}

/// `302` to a presigned URL (§22.47: a redirect, never the bytes). Not stored
/// by caches: the URL expires.
pub fn redirect(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => chorus_kit::ApiError::internal().into_response(),
    }
}
