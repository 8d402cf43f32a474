//! Read state (§11).

use crate::domain::reads;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::PathOr;
use chorus_kit::http::parse_id;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chats/{id}/read", post(mark_read))
        .route("/chats/{id}/read-receipts", get(get_read_receipts))
}

/// POST /chats/{id}/read
async fn mark_read(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<StatusCode, ApiError> {
    reads::mark_read(&state, parse_id(&id), user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /chats/{id}/read-receipts
async fn get_read_receipts(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(reads::receipts(&state, parse_id(&id), user.id).await?))
}
