//! `/chats/{id}/messages*`: send, list, search, edit, delete, forward.

use super::params::{self, flag_field, int_field, str_field};
use super::{RawQuery, pairs};
use crate::db::messages::Page;
use crate::domain::send::{self, Forward, Send, Sent};
use crate::domain::{history, manage};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::PathOr;
use chorus_kit::http::{MaybeJson, parse_id};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/chats/{id}/messages",
            post(send_message).get(list_messages),
        )
        .route("/chats/{id}/messages/search", get(search_messages))
        .route("/chats/{id}/messages/forward", post(forward_messages))
        .route(
            "/chats/{id}/messages/{message_id}",
            put(edit_message).delete(delete_message),
        )
}

const MAX_CLIENT_MSG_ID: usize = 64;

/// A JSON object body or `400 Invalid JSON`.
fn object(body: Option<Value>) -> Result<Value, ApiError> {
    body.filter(Value::is_object)
        .ok_or_else(ApiError::invalid_json)
}

/// A string field that must not hold NUL (PostgreSQL text cannot).
fn text(body: &Value, key: &str) -> Result<Option<String>, ApiError> {
    match str_field(body, key) {
        Ok(Some(s)) if s.contains('\0') => Err(ApiError::bad_request(format!("Invalid {key}"))),
        Ok(v) => Ok(v),
        Err(()) => Err(ApiError::bad_request(format!("Invalid {key}"))),
    }
}

fn too_long(state: &AppState, content: &str) -> bool {
    content.chars().count() > state.cfg.max_content_chars
}

/// POST /chats/{id}/messages
async fn send_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = object(body)?;
    let content = text(&body, "content")?.unwrap_or_default();
    let req = Send {
        message_type: text(&body, "type")?
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "text".into()),
        file_id: int_field(&body, "file_id"),
        sticker_id: int_field(&body, "sticker_id"),
        duration_seconds: int_field(&body, "duration_seconds"),
        reply_to_message_id: int_field(&body, "reply_to_message_id"),
        client_msg_id: text(&body, "client_msg_id")?.filter(|c| !c.is_empty()),
        content,
    };
    if req.content.is_empty() && req.file_id <= 0 && req.sticker_id <= 0 {
        return Err(ApiError::bad_request(
            "content, file_id or sticker_id required",
        ));
    }
    if too_long(&state, &req.content) {
        return Err(ApiError::bad_request("Message too long"));
    }
    if req
        .client_msg_id
        .as_ref()
        .is_some_and(|c| c.len() > MAX_CLIENT_MSG_ID)
    {
        return Err(ApiError::bad_request("client_msg_id too long (max 64)"));
    }
    match send::send(&state, parse_id(&id), user.id, req).await? {
        Sent::Created(body) => Ok((StatusCode::CREATED, Json(body))),
        Sent::Retried(body) => Ok((StatusCode::OK, Json(body))),
    }
}

/// GET /chats/{id}/messages?limit=&after_id=&before=&after_seq=
async fn list_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    query: RawQuery,
) -> Result<Json<Vec<Value>>, ApiError> {
    let q = pairs(query);
    let limit = params::limit(&q, 50, 100)?;
    let after_seq = params::int_param(&q, "after_seq")?;
    let after_id = params::int_param(&q, "after_id")?;
    let before = match params::get(&q, "before") {
        None => None,
        Some(b) if b.bytes().all(|c| c.is_ascii_digit()) => {
            Some(Page::BeforeId(params::int(b).unwrap_or(i64::MAX)))
        }
        Some(b) => Some(Page::BeforeTime(
            params::timestamp(b).ok_or_else(|| ApiError::bad_request("Invalid before"))?,
        )),
    };
    let page = match (after_seq, after_id, before) {
        (Some(seq), _, _) => Page::AfterSeq(seq),
        (None, Some(id), _) => Page::AfterId(id),
        (None, None, Some(before)) => before,
        (None, None, None) => Page::Newest,
    };
    Ok(Json(
        history::list(&state, parse_id(&id), user.id, page, limit).await?,
    ))
}

/// GET /chats/{id}/messages/search?q=&limit=&before_id=
async fn search_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    query: RawQuery,
) -> Result<Json<Vec<Value>>, ApiError> {
    let query = pairs(query);
    let q =
        params::get(&query, "q").ok_or_else(|| ApiError::bad_request("q parameter required"))?;
    if q.len() > 200 {
        return Err(ApiError::bad_request("q too long (max 200)"));
    }
    let limit = params::limit(&query, 20, 50)?;
    let before_id = params::int_param(&query, "before_id")?;
    Ok(Json(
        history::search(&state, parse_id(&id), user.id, q, before_id, limit).await?,
    ))
}

/// PUT /chats/{id}/messages/{message_id}
async fn edit_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, message_id)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = object(body)?;
    let content = str_field(&body, "content")
        .ok()
        .flatten()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::bad_request("content required"))?;
    if too_long(&state, &content) {
        return Err(ApiError::bad_request("Message too long"));
    }
    if content.contains('\0') {
        return Err(ApiError::bad_request("Invalid content"));
    }
    Ok(Json(
        manage::edit(
            &state,
            parse_id(&id),
            parse_id(&message_id),
            user.id,
            &content,
        )
        .await?,
    ))
}

/// DELETE /chats/{id}/messages/{message_id} — optional body `{"for_everyone": bool}`.
async fn delete_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, message_id)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<StatusCode, ApiError> {
    let for_everyone = body.is_some_and(|b| flag_field(&b, "for_everyone"));
    manage::delete(
        &state,
        parse_id(&id),
        parse_id(&message_id),
        user.id,
        for_everyone,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/messages/forward — `{id}` is the target chat.
async fn forward_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let body = object(body)?;
    let from_chat_id = int_field(&body, "from_chat_id");
    if from_chat_id <= 0 {
        return Err(ApiError::bad_request("from_chat_id required"));
    }
    let ids = match body.get("message_ids") {
        Some(Value::Array(ids)) if !ids.is_empty() => ids,
        _ => return Err(ApiError::bad_request("message_ids array required")),
    };
    if ids.len() > 100 {
        return Err(ApiError::bad_request("Maximum 100 messages per forward"));
    }
    // Ids that are not positive integers cannot name a message: skipped like
    // ids of other chats.
    let message_ids = ids
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => params::int(s),
            _ => None,
        })
        .filter(|id| *id > 0)
        .collect();
    let req = Forward {
        from_chat_id,
        message_ids,
    };
    Ok(Json(
        send::forward(&state, parse_id(&id), user.id, req).await?,
    ))
}
