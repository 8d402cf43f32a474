//! Invites (§8): `/chats/{id}/invites` and `/invites/{token}[/preview|/join]`.

use super::{ChatId, Segment};
use crate::domain::invites::{self, invite_json};
use crate::error::Error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chats/{id}/invites", post(create_invite).get(list_invites))
        .route("/invites/{token}", delete(revoke_invite))
        .route("/invites/{token}/preview", get(preview_invite))
        .route("/invites/{token}/join", post(join_invite))
}

/// POST /chats/{id}/invites
async fn create_invite(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<(StatusCode, Json<Value>), Error> {
    let invite = invites::create(&state, id, user.id).await?;
    Ok((StatusCode::CREATED, Json(invite_json(&invite))))
}

/// GET /chats/{id}/invites
async fn list_invites(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<Json<Vec<Value>>, Error> {
    let list = invites::list(&state, id, user.id).await?;
    Ok(Json(list.iter().map(invite_json).collect()))
}

/// DELETE /invites/{token}
async fn revoke_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Segment(token): Segment,
) -> Result<Json<Value>, Error> {
    invites::revoke(&state, &token, user.id).await?;
    Ok(Json(json!({"revoked": true})))
}

/// GET /invites/{token}/preview — no authentication.
async fn preview_invite(
    State(state): State<AppState>,
    Segment(token): Segment,
) -> Result<Json<Value>, Error> {
    Ok(Json(invites::preview(&state, &token).await?))
}

/// POST /invites/{token}/join
async fn join_invite(
    State(state): State<AppState>,
    user: AuthUser,
    Segment(token): Segment,
) -> Result<Json<Value>, Error> {
    Ok(Json(invites::join(&state, &token, user.id).await?))
}
