//! Reactions (§10).

use super::extract::{self, Object, Params, chat_id, message_id};
use crate::domain::reactions;
use crate::state::AppState;
use crate::wire::{ReactionGroup, ReactionToggled};
use axum::Json;
use axum::extract::State;
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::{MaybeJson, PathOr};
use chorus_kit::openapi::ErrorBody;
use chorus_proto::{MessageId, UserId};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// At most this many messages per batch (§10.2).
const MAX_BATCH: usize = 200;

/// `POST /chats/{id}/messages/{messageId}/reactions` (§10.1).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ToggleReactionRequest {
    /// A JSON string, non-empty, at most 32 bytes.
    #[serde(deserialize_with = "extract::string_only")]
    emoji: Option<String>,
}

/// Adds the caller's emoji to a message, or removes it if already there
#[utoipa::path(
    post, path = "/chats/{id}/messages/{messageId}/reactions", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ("messageId" = i64, Path, description = "The message")),
    request_body(content = ToggleReactionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Toggled", body = ReactionToggled),
        (status = 400, description = "`Invalid JSON`, `emoji required (max 32 chars)`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 404, description = "`Message not found in this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn toggle_reaction(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, msg)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Object<ToggleReactionRequest>>,
) -> Result<Json<ReactionToggled>, ApiError> {
    let Object(body) = body.ok_or_else(ApiError::invalid_json)?;
    let emoji = reactions::emoji(body.emoji)?;
    let (chat, msg) = (chat_id(&id), message_id(&msg));
    let toggled = reactions::toggle(&state, chat, msg, UserId(user.id), emoji).await?;
    Ok(Json(toggled))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReactionsQuery {
    /// Comma-separated message ids (1–200); tokens that are not positive
    /// integers are skipped.
    #[param(example = "1,2,3")]
    message_ids: Option<String>,
}

/// Positive integer tokens of a comma-separated list, sorted and deduplicated.
fn ids(raw: &str) -> Vec<MessageId> {
    let mut ids: Vec<MessageId> = raw
        .split(',')
        .filter_map(|t| chorus_kit::http::parse_id(t.trim()))
        .filter(|id| *id > 0)
        .map(MessageId)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Gets the reactions of several messages
#[utoipa::path(
    get, path = "/chats/{id}/reactions", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ReactionsQuery),
    responses(
        (status = 200, description = "Keyed by message id (decimal string); messages without reactions are absent", body = BTreeMap<String, Vec<ReactionGroup>>),
        (status = 400, description = "`message_ids required`, `message_ids: 1-200 valid IDs required`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn get_reactions(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    Params(query): Params<ReactionsQuery>,
) -> Result<Json<BTreeMap<String, Vec<ReactionGroup>>>, ApiError> {
    let raw = query
        .message_ids
        .ok_or_else(|| ApiError::bad_request("message_ids required"))?;
    let ids = ids(&raw);
    if ids.is_empty() || ids.len() > MAX_BATCH {
        return Err(ApiError::bad_request(
            "message_ids: 1-200 valid IDs required",
        ));
    }
    let groups = reactions::batch(&state, chat_id(&id), UserId(user.id), &ids).await?;
    Ok(Json(groups))
}
