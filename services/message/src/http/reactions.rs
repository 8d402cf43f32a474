//! Reactions (§10).

use super::params::str_field;
use super::{RawQuery, pairs};
use crate::domain::reactions;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::PathOr;
use chorus_kit::http::{MaybeJson, parse_id};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/chats/{id}/messages/{message_id}/reactions",
            post(toggle_reaction),
        )
        .route("/chats/{id}/reactions", get(get_reactions))
}

/// POST /chats/{id}/messages/{message_id}/reactions — toggle.
async fn toggle_reaction(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, message_id)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = body
        .filter(Value::is_object)
        .ok_or_else(ApiError::invalid_json)?;
    let emoji = match body.get("emoji") {
        Some(Value::String(_)) => str_field(&body, "emoji").ok().flatten(),
        _ => None,
    }
    .filter(|e| !e.is_empty() && e.len() <= 32 && !e.contains('\0'))
    .ok_or_else(|| ApiError::bad_request("emoji required (max 32 chars)"))?;
    Ok(Json(
        reactions::toggle(
            &state,
            parse_id(&id),
            parse_id(&message_id),
            user.id,
            &emoji,
        )
        .await?,
    ))
}

/// Positive integer tokens of a comma-separated list; anything else is skipped.
fn ids(raw: &str) -> Vec<i64> {
    raw.split(',')
        .filter_map(|t| chorus_kit::http::parse_id(t.trim()))
        .filter(|id| *id > 0)
        .collect()
}

/// GET /chats/{id}/reactions?message_ids=1,2,3
async fn get_reactions(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    query: RawQuery,
) -> Result<Json<Value>, ApiError> {
    let query = pairs(query);
    let raw = super::params::get(&query, "message_ids")
        .ok_or_else(|| ApiError::bad_request("message_ids required"))?;
    let mut ids = ids(raw);
    if ids.is_empty() || ids.len() > 200 {
        return Err(ApiError::bad_request(
            "message_ids: 1-200 valid IDs required",
        ));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Json(
        reactions::batch(&state, parse_id(&id), user.id, &ids).await?,
    ))
}
