//! Leaving a chat (§7.10) and role management (§7.11).

use super::UNAUTHORIZED;
use super::{ChatAndUser, ChatPath};
use crate::domain::members::{self, RoleChange};
use crate::error::Error;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::{Role, UserId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(leave_chat))
        .routes(routes!(promote_member))
        .routes(routes!(demote_member))
}

/// Leaves a chat
#[utoipa::path(
    delete,
    path = "/chats/{id}/leave",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Left"),
        (status = 400, description = "`Transfer ownership before leaving, or delete the chat` (an owner with other members)", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`Not a member of this chat`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn leave_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<StatusCode, Error> {
    let id = id.ok_or(Error::NotMemberOfChat)?;
    members::leave(&state.db, id, UserId(user.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member's new role.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberRole {
    pub role: Role,
}

async fn change_role(
    state: &AppState,
    user: AuthUser,
    ChatAndUser(chat, target): ChatAndUser,
    change: RoleChange,
) -> Result<Json<MemberRole>, Error> {
    let chat = chat.ok_or(Error::ChatNotFound)?;
    let role = members::change_role(&state.db, chat, UserId(user.id), target, change).await?;
    Ok(Json(MemberRole { role }))
}

/// Makes a member an admin
#[utoipa::path(
    post,
    path = "/chats/{id}/members/{userId}/promote",
    tag = "chats",
    params(
        ("id" = i64, Path, description = "The chat"),
        ("userId" = i64, Path, description = "The member to promote"),
    ),
    responses(
        (status = 200, description = "Promoted: `{\"role\":\"admin\"}`", body = MemberRole),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner can promote members`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`, `User not found or already admin/owner`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn promote_member(
    State(state): State<AppState>,
    user: AuthUser,
    ids: ChatAndUser,
) -> Result<Json<MemberRole>, Error> {
    change_role(&state, user, ids, RoleChange::Promote).await
}

/// Makes an admin a plain member again
#[utoipa::path(
    post,
    path = "/chats/{id}/members/{userId}/demote",
    tag = "chats",
    params(
        ("id" = i64, Path, description = "The chat"),
        ("userId" = i64, Path, description = "The admin to demote"),
    ),
    responses(
        (status = 200, description = "Demoted: `{\"role\":\"member\"}`", body = MemberRole),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner can demote members`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`, `User not found or not an admin`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn demote_member(
    State(state): State<AppState>,
    user: AuthUser,
    ids: ChatAndUser,
) -> Result<Json<MemberRole>, Error> {
    change_role(&state, user, ids, RoleChange::Demote).await
}
