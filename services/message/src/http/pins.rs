//! The pinned message, one per chat (§9.9).

use super::extract::{chat_id, message_id};
use crate::domain::manage;
use crate::state::AppState;
use crate::wire::{PinResult, PinnedMessage};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::PathOr;
use chorus_kit::openapi::ErrorBody;
use chorus_proto::UserId;

/// Pins a message, replacing the chat's pinned one
#[utoipa::path(
    post, path = "/chats/{id}/messages/{messageId}/pin", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ("messageId" = i64, Path, description = "The message")),
    responses(
        (status = 200, description = "Pinned", body = PinResult),
        (status = 403, description = "`Not a member of this chat`, `Only admins can pin in channels`", body = ErrorBody),
        (status = 404, description = "`Message not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn pin_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, msg)): PathOr<(String, String)>,
) -> Result<Json<PinResult>, ApiError> {
    let pin = manage::pin(&state, chat_id(&id), message_id(&msg), UserId(user.id)).await?;
    Ok(Json(pin))
}

/// Unpins the chat's pinned message
#[utoipa::path(
    delete, path = "/chats/{id}/messages/{messageId}/pin", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ("messageId" = i64, Path, description = "The pinned message")),
    responses(
        (status = 204, description = "Unpinned"),
        (status = 403, description = "`Not a member of this chat`, `Only admins can unpin in channels`", body = ErrorBody),
        (status = 404, description = "`No pinned message found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn unpin_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, msg)): PathOr<(String, String)>,
) -> Result<StatusCode, ApiError> {
    manage::unpin(&state, chat_id(&id), message_id(&msg), UserId(user.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gets the chat's pinned message
#[utoipa::path(
    get, path = "/chats/{id}/pinned-message", tag = "messages",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 200, description = "The pin, or the literal `null` when nothing is pinned", body = Option<PinnedMessage>),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn get_pinned(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<Option<PinnedMessage>>, ApiError> {
    let pinned = manage::pinned(&state, chat_id(&id), UserId(user.id)).await?;
    Ok(Json(pinned))
}
