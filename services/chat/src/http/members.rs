//! Leaving a chat (§7.10) and role management (§7.11).

use super::{ChatAndUser, ChatId};
use crate::domain::members::{self, RoleChange};
use crate::error::Error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chats/{id}/leave", delete(leave_chat))
        .route(
            "/chats/{id}/members/{user_id}/promote",
            post(promote_member),
        )
        .route("/chats/{id}/members/{user_id}/demote", post(demote_member))
}

/// DELETE /chats/{id}/leave
async fn leave_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::leave(&state, id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/members/{userId}/promote
async fn promote_member(
    State(state): State<AppState>,
    user: AuthUser,
    ChatAndUser(chat, target): ChatAndUser,
) -> Result<Json<Value>, Error> {
    let role = members::change_role(&state, chat, user.id, target, RoleChange::Promote).await?;
    Ok(Json(json!({"role": role})))
}

/// POST /chats/{id}/members/{userId}/demote
async fn demote_member(
    State(state): State<AppState>,
    user: AuthUser,
    ChatAndUser(chat, target): ChatAndUser,
) -> Result<Json<Value>, Error> {
    let role = members::change_role(&state, chat, user.id, target, RoleChange::Demote).await?;
    Ok(Json(json!({"role": role})))
}
