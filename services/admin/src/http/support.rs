//! Support messaging (§14.6).

use super::ClientIp;
use crate::domain::support;
use crate::error::Error;
use crate::state::AppState;
use crate::wire::{SupportChats, SupportMessages, SupportSendRequest, SupportSent, SupportUsers};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AdminUser;
use chorus_kit::http::JsonBody;
use chorus_kit::lenient::ObjectOrDefault;
use chorus_kit::openapi::ErrorBody;

/// Every active user but the support account, by username
#[utoipa::path(
    get, path = "/admin-api/support/users", tag = "admin",
    responses(
        (status = 200, description = "The possible recipients", body = SupportUsers),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn support_users(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SupportUsers>, Error> {
    Ok(Json(support::users(&state).await?))
}

/// The support account's chats, most recently updated first
#[utoipa::path(
    get, path = "/admin-api/support/chats", tag = "admin",
    responses(
        (status = 200, description = "The chats", body = SupportChats),
        (status = 500, description = "`chorus_support user not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn support_chats(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SupportChats>, Error> {
    Ok(Json(support::chats_of_support(&state).await?))
}

/// The 50 most recent support messages, newest first
#[utoipa::path(
    get, path = "/admin-api/support/messages", tag = "admin",
    responses(
        (status = 200, description = "The messages", body = SupportMessages),
        (status = 500, description = "`chorus_support user not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn support_messages(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SupportMessages>, Error> {
    Ok(Json(support::messages(&state).await?))
}

/// Sends a message as the support account to a user or a chat (audited)
#[utoipa::path(
    post, path = "/admin-api/support/send", tag = "admin",
    request_body = SupportSendRequest,
    responses(
        (status = 201, description = "Sent", body = SupportSent),
        (status = 400, description = "`Invalid JSON`, `content required`, `Message too long`, `target_user_id or chat_id required`", body = ErrorBody),
        (status = 404, description = "`Chat not found`, `User not found`", body = ErrorBody),
        (status = 500, description = "`chorus_support user not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn support_send(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ClientIp(ip): ClientIp,
    JsonBody(ObjectOrDefault(body)): JsonBody<ObjectOrDefault<SupportSendRequest>>,
) -> Result<(StatusCode, Json<SupportSent>), Error> {
    let sent = support::send(&state, admin.id, ip, body).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}
