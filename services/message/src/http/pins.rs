//! Pinned message (§9.9).

use crate::domain::manage;
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
        .route(
            "/chats/{id}/messages/{message_id}/pin",
            post(pin_message).delete(unpin_message),
        )
        .route("/chats/{id}/pinned-message", get(get_pinned))
}

/// POST /chats/{id}/messages/{message_id}/pin
async fn pin_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, message_id)): PathOr<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        manage::pin(&state, parse_id(&id), parse_id(&message_id), user.id).await?,
    ))
}

/// DELETE /chats/{id}/messages/{message_id}/pin
async fn unpin_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, message_id)): PathOr<(String, String)>,
) -> Result<StatusCode, ApiError> {
    manage::unpin(&state, parse_id(&id), parse_id(&message_id), user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /chats/{id}/pinned-message — the literal `null` when nothing is pinned.
async fn get_pinned(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(manage::pinned(&state, parse_id(&id), user.id).await?))
}
