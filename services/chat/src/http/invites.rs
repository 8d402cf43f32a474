//! Invites (§8): `/chats/{id}/invites` and `/invites/{token}[/preview|/join]`.

use super::UNAUTHORIZED;
use super::{ChatPath, Segment};
use crate::domain::invites;
use crate::error::Error;
use crate::state::AppState;
use crate::wire::{Invite, InviteJoined, InvitePreview};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::UserId;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(create_invite, list_invites))
        .routes(routes!(revoke_invite))
        .routes(routes!(preview_invite))
        .routes(routes!(join_invite))
}

/// Creates an invite to a group or channel
#[utoipa::path(
    post,
    path = "/chats/{id}/invites",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 201, description = "The new invite", body = Invite),
        (status = 400, description = "`Cannot create invites for direct chats`", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner or admin can create invites`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn create_invite(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<(StatusCode, Json<Invite>), Error> {
    let id = id.ok_or(Error::ChatNotFound)?;
    let invite = invites::create(&state.db, id, UserId(user.id)).await?;
    Ok((StatusCode::CREATED, Json(invite)))
}

/// Lists a chat's active invites, newest first
#[utoipa::path(
    get,
    path = "/chats/{id}/invites",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 200, description = "Active (not revoked) invites", body = Vec<Invite>),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner or admin can list invites`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list_invites(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<Json<Vec<Invite>>, Error> {
    let id = id.ok_or(Error::ChatNotFound)?;
    Ok(Json(invites::list(&state.db, id, UserId(user.id)).await?))
}

/// The answer to a revocation: always `{"revoked": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteRevocation {
    pub revoked: bool,
}

/// Revokes an invite
#[utoipa::path(
    delete,
    path = "/invites/{token}",
    tag = "chats",
    params(("token" = String, Path, description = "The invite token")),
    responses(
        (status = 200, description = "Revoked", body = InviteRevocation),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner or admin can revoke invites`", body = ErrorBody),
        (status = 404, description = "`Invite not found or already revoked` (also when the caller is not a member of its chat)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn revoke_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Segment(token): Segment,
) -> Result<Json<InviteRevocation>, Error> {
    invites::revoke(&state.db, &token, UserId(user.id)).await?;
    Ok(Json(InviteRevocation { revoked: true }))
}

/// Shows what an invite leads to
#[utoipa::path(
    get,
    path = "/invites/{token}/preview",
    tag = "chats",
    params(("token" = String, Path, description = "The invite token")),
    responses(
        (status = 200, description = "The chat behind the invite", body = InvitePreview),
        (status = 404, description = "`Invite not found`", body = ErrorBody),
        (status = 410, description = "`Invite has been revoked`", body = ErrorBody),
    )
)]
async fn preview_invite(
    State(state): State<AppState>,
    Segment(token): Segment,
) -> Result<Json<InvitePreview>, Error> {
    Ok(Json(invites::preview(&state.db, &token).await?))
}

/// Joins the chat of an invite
#[utoipa::path(
    post,
    path = "/invites/{token}/join",
    tag = "chats",
    params(("token" = String, Path, description = "The invite token")),
    responses(
        (status = 200, description = "Joined, or already a member (with the current role)", body = InviteJoined),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`Invite not found`", body = ErrorBody),
        (status = 410, description = "`Invite has been revoked`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn join_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Segment(token): Segment,
) -> Result<Json<InviteJoined>, Error> {
    Ok(Json(invites::join(&state, &token, UserId(user.id)).await?))
}
