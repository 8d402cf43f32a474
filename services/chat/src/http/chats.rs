//! `/chats`, `/chats/{id}`, `/chats/by-name/{public_name}`, `/chats/{id}/avatar`.

use super::UNAUTHORIZED;
use super::{ChatPath, Segment};
use crate::db::chats::ChatPatch;
use crate::domain::create::{NewChatRequest, Outcome};
use crate::domain::{chats, create, list};
use crate::error::Error;
use crate::state::AppState;
use crate::wire::{ChatDetail, ChatFields, ChatListItem, PublicChat};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::http::{JsonBody, MaybeJson};
use chorus_kit::lenient;
use chorus_kit::lenient::{self as read, Object};
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::{ChatId, ChatType, FileId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(create_chat, list_chats))
        .routes(routes!(get_chat_by_name))
        .routes(routes!(get_chat, update_chat, delete_chat))
        .routes(routes!(set_chat_avatar))
}

/// `POST /chats` (§7.2). Absent strings are `""`; values of other types are
/// read as their JSON text.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CreateChatRequest {
    /// `direct` (default, also for null), `group` or `channel`.
    #[serde(rename = "type", deserialize_with = "read::opt_coerced_text")]
    #[schema(value_type = Option<ChatType>)]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: String,
    /// Required (non-empty) for channels.
    #[serde(deserialize_with = "lenient::text")]
    pub title: String,
    #[serde(deserialize_with = "lenient::text")]
    pub description: String,
    /// `""` means none; unique case-insensitively.
    #[serde(deserialize_with = "lenient::text")]
    pub public_name: String,
    /// The other participants: integers or integer strings (other items are skipped).
    /// A direct chat names exactly one other user, or only the caller (a self-chat).
    #[serde(deserialize_with = "read::ids")]
    pub member_ids: Vec<UserId>,
}

/// The created (or, for direct chats, found) chat.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedChat {
    pub id: ChatId,
    #[serde(rename = "type")]
    pub kind: ChatType,
    /// Groups and channels only, when the title is non-empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub title: Option<String>,
}

/// Creates a chat, or finds the existing direct chat
#[utoipa::path(
    post,
    path = "/chats",
    tag = "chats",
    request_body(content = CreateChatRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = CreatedChat),
        (status = 200, description = "The direct chat (or self-chat) that already exists", body = CreatedChat),
        (status = 400, description = "`Invalid JSON`, `type must be 'direct', 'group', or 'channel'`, `title is required for channel type`, `direct chat requires exactly one other member_id`, `self-chat must not include other members`, `<field> must not contain NUL characters`", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`User not found` (the other member of a direct chat)", body = ErrorBody),
        (status = 409, description = "`public_name already taken`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn create_chat(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(Object(body)): JsonBody<Object<CreateChatRequest>>,
) -> Result<(StatusCode, Json<CreatedChat>), Error> {
    let kind = match body.kind {
        None => ChatType::Direct,
        Some(text) => ChatType::parse(&text).ok_or(Error::InvalidChatType)?,
    };
    let req = NewChatRequest {
        kind,
        name: body.name,
        title: body.title,
        description: body.description,
        public_name: body.public_name,
        member_ids: body.member_ids,
    };
    Ok(match create::create(&state, UserId(user.id), req).await? {
        Outcome::Direct { id, created } => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let chat = CreatedChat {
                id,
                kind: ChatType::Direct,
                title: None,
            };
            (status, Json(chat))
        }
        Outcome::Chat { id, kind, title } => {
            let title = Some(title).filter(|t| !t.is_empty());
            (StatusCode::CREATED, Json(CreatedChat { id, kind, title }))
        }
    })
}

/// Lists the caller's chats (archived ones excluded)
#[utoipa::path(
    get,
    path = "/chats",
    tag = "chats",
    responses(
        (status = 200, description = "Pinned first, then favorites, then by `updated_at` descending", body = Vec<ChatListItem>),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list_chats(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<ChatListItem>>, Error> {
    Ok(Json(
        list::list(&state, UserId(user.id), user.is_admin).await?,
    ))
}

/// Returns a chat with its members
#[utoipa::path(
    get,
    path = "/chats/{id}",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 200, description = "The chat", body = ChatDetail),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied` (also for non-members)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn get_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<Json<ChatDetail>, Error> {
    let id = id.ok_or(Error::ChatNotFound)?;
    Ok(Json(chats::detail(&state, id, UserId(user.id)).await?))
}

/// Looks up a chat by its public name (case-insensitive)
#[utoipa::path(
    get,
    path = "/chats/by-name/{public_name}",
    tag = "chats",
    params(("public_name" = String, Path, description = "The chat's public name, percent-encoded")),
    responses(
        (status = 200, description = "The chat", body = PublicChat),
        (status = 404, description = "`Chat not found`", body = ErrorBody),
    )
)]
async fn get_chat_by_name(
    State(state): State<AppState>,
    Segment(name): Segment,
) -> Result<Json<PublicChat>, Error> {
    Ok(Json(chats::by_public_name(&state.db, &name).await?))
}

/// `PATCH /chats/{id}` (§7.6): any of the three; values of other types are read
/// as their JSON text (null as `""`). Other keys, `name` included, are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct UpdateChatRequest {
    #[serde(deserialize_with = "lenient::present_text")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::present_text")]
    pub description: Option<String>,
    /// `""` removes the public name.
    #[serde(deserialize_with = "lenient::present_text")]
    pub public_name: Option<String>,
}

/// Updates a chat's title, description or public name
#[utoipa::path(
    patch,
    path = "/chats/{id}",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    request_body(content = UpdateChatRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The stored chat after the update", body = ChatFields),
        (status = 400, description = "`Invalid JSON`, `No fields to update`, `<field> must not contain NUL characters`", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner or admin can update chat`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`", body = ErrorBody),
        (status = 409, description = "`public_name already taken`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn update_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
    JsonBody(Object(body)): JsonBody<Object<UpdateChatRequest>>,
) -> Result<Json<ChatFields>, Error> {
    let id = id.ok_or(Error::ChatNotFound)?;
    let patch = ChatPatch {
        title: body.title,
        description: body.description,
        public_name: body.public_name.map(Some),
    };
    Ok(Json(
        chats::update(&state.db, id, UserId(user.id), patch).await?,
    ))
}

/// Deletes a chat with everything in it
#[utoipa::path(
    delete,
    path = "/chats/{id}",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only the chat owner can delete it`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn delete_chat(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<StatusCode, Error> {
    let id = id.ok_or(Error::ChatNotFound)?;
    chats::delete(&state.db, id, UserId(user.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /chats/{id}/avatar` (§7.8).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SetChatAvatarRequest {
    /// A file the caller uploaded; an integer or a string holding one.
    // A field default, not the struct's: the schema then shows no `null` default.
    #[serde(default, deserialize_with = "read::opt_id")]
    #[schema(value_type = i64, required = true)]
    pub file_id: Option<FileId>,
}

/// The chat's new avatar.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatAvatar {
    #[schema(required = true)]
    pub avatar_url: Option<String>,
}

/// Sets a chat's avatar to a file the caller uploaded
#[utoipa::path(
    post,
    path = "/chats/{id}/avatar",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    request_body(content = SetChatAvatarRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The new avatar's URL", body = ChatAvatar),
        (status = 400, description = "`file_id is required` (also for a body that is not JSON)", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Only owner can set chat avatar`", body = ErrorBody),
        (status = 404, description = "`Chat not found or access denied`, `File not found` (unknown, or someone else's)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn set_chat_avatar(
    State(state): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
    MaybeJson(body): MaybeJson<Object<SetChatAvatarRequest>>,
) -> Result<Json<ChatAvatar>, Error> {
    let file_id = body
        .and_then(|Object(b)| b.file_id)
        .ok_or(Error::FileIdRequired)?;
    let id = id.ok_or(Error::ChatNotFound)?;
    let avatar_url = chats::set_avatar(&state, id, UserId(user.id), file_id).await?;
    Ok(Json(ChatAvatar { avatar_url }))
}
