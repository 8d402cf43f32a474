//! `/chats`, `/chats/{id}`, `/chats/by-name/{public_name}`, `/chats/{id}/avatar`.

use super::{ChatId, Segment, coerce_present, int_field};
use crate::db::chats::ChatPatch;
use crate::domain::create::{NewChatRequest, Outcome};
use crate::domain::{chats, create, list};
use crate::error::Error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::{JsonBody, MaybeJson};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chats", post(create_chat).get(list_chats))
        .route("/chats/by-name/{public_name}", get(get_chat_by_name))
        .route(
            "/chats/{id}",
            get(get_chat).patch(update_chat).delete(delete_chat),
        )
        .route("/chats/{id}/avatar", post(set_chat_avatar))
}

fn text(body: &Value, key: &str) -> String {
    match body.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `member_ids` leniently: integers and integer strings; anything else is skipped.
fn member_ids(body: &Value) -> Vec<i64> {
    body.get("member_ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(int_field).collect())
        .unwrap_or_default()
}

/// POST /chats
async fn create_chat(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<Value>), Error> {
    if !body.is_object() {
        return Err(ApiError::invalid_json().into());
    }
    let kind = match body.get("type") {
        None | Some(Value::Null) => "direct".to_string(),
        Some(_) => text(&body, "type"),
    };
    let req = NewChatRequest {
        kind,
        name: text(&body, "name"),
        title: text(&body, "title"),
        description: text(&body, "description"),
        public_name: text(&body, "public_name"),
        member_ids: member_ids(&body),
    };
    Ok(match create::create(&state, user.id, req).await? {
        Outcome::Direct { id, created } => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(json!({"id": id, "type": "direct"})))
        }
        Outcome::Chat { id, kind, title } => {
            let mut out = json!({"id": id, "type": kind});
            if !title.is_empty() {
                out["title"] = json!(title);
            }
            (StatusCode::CREATED, Json(out))
        }
    })
}

/// GET /chats
async fn list_chats(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<Value>>, Error> {
    Ok(Json(list::list(&state, user.id).await?))
}

/// GET /chats/{id}
async fn get_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<Json<Value>, Error> {
    Ok(Json(chats::detail(&state, id, user.id).await?))
}

/// GET /chats/by-name/{public_name} — no authentication.
async fn get_chat_by_name(
    State(state): State<AppState>,
    Segment(name): Segment,
) -> Result<Json<Value>, Error> {
    Ok(Json(chats::by_public_name(&state, &name).await?))
}

/// PATCH /chats/{id}
async fn update_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Error> {
    if !body.is_object() {
        return Err(ApiError::invalid_json().into());
    }
    let patch = ChatPatch {
        title: coerce_present(&body, "title"),
        description: coerce_present(&body, "description"),
        public_name: coerce_present(&body, "public_name").map(Some),
    };
    Ok(Json(chats::update(&state, id, user.id, patch).await?))
}

/// DELETE /chats/{id}
async fn delete_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    chats::delete(&state, id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/avatar
async fn set_chat_avatar(
    State(state): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Value>, Error> {
    let file_id = body
        .as_ref()
        .and_then(|b| b.get("file_id"))
        .and_then(int_field);
    let Some(file_id) = file_id else {
        return Err(Error::bad_request("file_id is required"));
    };
    let url = chats::set_avatar(&state, id, user.id, file_id).await?;
    Ok(Json(json!({"avatar_url": url})))
}
