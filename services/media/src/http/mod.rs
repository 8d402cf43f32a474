//! The public routes: `/files`, `/files/{id}/download`, `/stickers`,
//! `/stickers/{id}/image`, each documented where it is handled.

pub mod files;
pub mod stickers;

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus_kit::openapi::ApiRouter;

/// The texts of a rejected bearer token (§1.4), for the documents' 401s.
pub(crate) use chorus_kit::openapi::UNAUTHORIZED;

/// Every public route with its description; the router and the OpenAPI part
/// are both split from this, so they cannot diverge.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(files::routes())
        .merge(stickers::routes())
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
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
