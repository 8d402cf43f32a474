//! Read state (§11).

use super::extract::chat_id;
use crate::domain::reads;
use crate::state::AppState;
use crate::wire::ReadReceipt;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::PathOr;
use chorus_kit::openapi::ErrorBody;
use chorus_proto::UserId;

/// Marks the whole chat read
#[utoipa::path(
    post, path = "/chats/{id}/read", tag = "messages",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "The caller's read position is the chat's newest message"),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn mark_read(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<StatusCode, ApiError> {
    reads::mark_read(&state, chat_id(&id), UserId(user.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lists the other members' read positions
#[utoipa::path(
    get, path = "/chats/{id}/read-receipts", tag = "messages",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 200, description = "Other current members who share receipts; `[]` if the caller does not", body = Vec<ReadReceipt>),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn get_read_receipts(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<Vec<ReadReceipt>>, ApiError> {
    let receipts = reads::receipts(&state, chat_id(&id), UserId(user.id)).await?;
    Ok(Json(receipts))
}
