//! `/chats/{id}/messages*`: send, list, search, edit, delete, forward (§9.3–§9.8).

use super::extract::{self, Object, Params, Text, chat_id, message_id};
use crate::db::messages::Page;
use crate::domain::manage::Edit;
use crate::domain::send::{self, Forward, Send, Sent};
use crate::domain::{history, manage};
use crate::state::AppState;
use crate::wire::{EditedMessage, ForwardedMessage, Message, SentMessage};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::{MaybeJson, PathOr};
use chorus_kit::lenient;
use chorus_kit::openapi::ErrorBody;
use chorus_proto::{FileId, MessageId, UserId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// `POST /chats/{id}/messages` (§9.3). Numbers may come as strings; 0 means none.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SendMessageRequest {
    /// At most 10 000 characters; may be empty when a file or sticker is sent.
    #[serde(deserialize_with = "extract::text")]
    #[schema(value_type = Option<String>)]
    content: Text,
    /// Stored as `message_type`; default `text`.
    #[serde(rename = "type", deserialize_with = "extract::text")]
    #[schema(value_type = Option<String>)]
    message_type: Text,
    /// An attachment the sender may download (§12.2).
    #[serde(deserialize_with = "lenient::int")]
    file_id: i64,
    /// When > 0, `file_id` and `duration_seconds` are ignored.
    #[serde(deserialize_with = "lenient::int")]
    sticker_id: i64,
    /// Stored only with a file attached.
    #[serde(deserialize_with = "lenient::int")]
    duration_seconds: i64,
    /// A message of the same chat.
    #[serde(deserialize_with = "lenient::int")]
    reply_to_message_id: i64,
    /// Retry key (at most 64 bytes): a send repeating one answers `200` with the
    /// message it created, instead of creating another.
    #[serde(deserialize_with = "extract::text")]
    #[schema(value_type = Option<String>)]
    client_msg_id: Text,
}

fn positive(v: i64) -> Option<i64> {
    (v > 0).then_some(v)
}

impl SendMessageRequest {
    fn into_send(self) -> Result<Send, ApiError> {
        let content = self.content.read("content")?.unwrap_or_default();
        let message_type = self.message_type.read("type")?;
        let client_msg_id = self.client_msg_id.read("client_msg_id")?;
        Ok(Send {
            content,
            message_type: message_type
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "text".into()),
            file_id: positive(self.file_id).map(FileId),
            sticker_id: positive(self.sticker_id),
            duration_seconds: positive(self.duration_seconds),
            reply_to_message_id: positive(self.reply_to_message_id).map(MessageId),
            client_msg_id: client_msg_id.filter(|c| !c.is_empty()),
        })
    }
}

/// Sends a message
#[utoipa::path(
    post, path = "/chats/{id}/messages", tag = "messages",
    params(("id" = i64, Path, description = "The chat")),
    request_body(content = SendMessageRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Sent", body = SentMessage),
        (status = 200, description = "A retry: the message this `client_msg_id` already created", body = SentMessage),
        (status = 400, description = "`Invalid JSON`, `content, file_id or sticker_id required`, `Message too long`, `Invalid reply_to_message_id`, `client_msg_id too long (max 64)`, `Invalid content`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`, `Only admins can post in channels`", body = ErrorBody),
        (status = 404, description = "`Sticker not found`, `File not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn send_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    MaybeJson(body): MaybeJson<Object<SendMessageRequest>>,
) -> Result<(StatusCode, Json<SentMessage>), ApiError> {
    let Object(body) = body.ok_or_else(ApiError::invalid_json)?;
    let req = body.into_send()?;
    req.validate(state.cfg.max_content_chars)?;
    match send::send(&state, chat_id(&id), UserId(user.id), req).await? {
        Sent::Created(body) => Ok((StatusCode::CREATED, Json(body))),
        Sent::Retried(body) => Ok((StatusCode::OK, Json(body))),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMessagesQuery {
    /// Default 50, clamped to [1, 100].
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Forward cursor (exclusive) by `seq`; wins over the other cursors.
    #[param(value_type = Option<i64>)]
    after_seq: Option<String>,
    /// Forward cursor (exclusive) by id; wins over `before`.
    #[param(value_type = Option<i64>)]
    after_id: Option<String>,
    /// Backward cursor (exclusive): a message id (only digits) or a timestamp
    /// (§1.5 or RFC 3339).
    before: Option<String>,
}

impl ListMessagesQuery {
    fn page(&self) -> Result<(Page, i64), ApiError> {
        let limit = extract::limit(self.limit.as_deref(), 50, 100)?;
        let after_seq = extract::int_param(self.after_seq.as_deref(), "after_seq")?;
        let after_id = extract::int_param(self.after_id.as_deref(), "after_id")?;
        let before = match self.before.as_deref() {
            None => None,
            Some(b) if b.bytes().all(|c| c.is_ascii_digit()) => Some(Page::BeforeId(MessageId(
                lenient::parse_int(b).unwrap_or(i64::MAX),
            ))),
            Some(b) => Some(Page::BeforeTime(
                chorus_kit::time::parse_ts(b)
                    .ok_or_else(|| ApiError::bad_request("Invalid before"))?,
            )),
        };
        let page = match (after_seq, after_id, before) {
            (Some(seq), _, _) => Page::AfterSeq(seq),
            (None, Some(id), _) => Page::AfterId(MessageId(id)),
            (None, None, Some(before)) => before,
            (None, None, None) => Page::Newest,
        };
        Ok((page, limit))
    }
}

/// Lists a chat's messages, oldest first
#[utoipa::path(
    get, path = "/chats/{id}/messages", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ListMessagesQuery),
    responses(
        (status = 200, description = "One page, oldest → newest (possibly empty)", body = Vec<Message>),
        (status = 400, description = "`Invalid limit`, `Invalid after_id`, `Invalid after_seq`, `Invalid before`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn list_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    Params(query): Params<ListMessagesQuery>,
) -> Result<Json<Vec<Message>>, ApiError> {
    let (page, limit) = query.page()?;
    let messages = history::list(&state, chat_id(&id), UserId(user.id), page, limit).await?;
    Ok(Json(messages))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchMessagesQuery {
    /// Case-insensitive substring of text messages (`%` and `_` are
    /// wildcards); required, at most 200 bytes.
    q: Option<String>,
    /// Default 20, clamped to [1, 50].
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Only messages with a smaller id (paging).
    #[param(value_type = Option<i64>)]
    before_id: Option<String>,
}

/// Searches a chat's text messages, newest first
#[utoipa::path(
    get, path = "/chats/{id}/messages/search", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), SearchMessagesQuery),
    responses(
        (status = 200, description = "Matches, newest first (possibly empty)", body = Vec<Message>),
        (status = 400, description = "`q parameter required`, `q too long (max 200)`, `Invalid limit`, `Invalid before_id`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn search_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    Params(query): Params<SearchMessagesQuery>,
) -> Result<Json<Vec<Message>>, ApiError> {
    let q = query
        .q
        .ok_or_else(|| ApiError::bad_request("q parameter required"))?;
    if q.len() > 200 {
        return Err(ApiError::bad_request("q too long (max 200)"));
    }
    let limit = extract::limit(query.limit.as_deref(), 20, 50)?;
    let before_id = extract::int_param(query.before_id.as_deref(), "before_id")?.map(MessageId);
    let messages =
        history::search(&state, chat_id(&id), UserId(user.id), &q, before_id, limit).await?;
    Ok(Json(messages))
}

/// `PUT /chats/{id}/messages/{messageId}` (§9.6).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EditMessageRequest {
    /// The new text: non-empty, at most 10 000 characters.
    #[serde(deserialize_with = "lenient::opt_text")]
    content: Option<String>,
}

/// Edits a text message of the caller's
#[utoipa::path(
    put, path = "/chats/{id}/messages/{messageId}", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ("messageId" = i64, Path, description = "The message")),
    request_body(content = EditMessageRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Edited", body = EditedMessage),
        (status = 400, description = "`Invalid JSON`, `content required`, `Message too long`, `Invalid content`", body = ErrorBody),
        (status = 403, description = "`Not a member of this chat`, `Message not found or not editable`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn edit_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, msg)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Object<EditMessageRequest>>,
) -> Result<Json<EditedMessage>, ApiError> {
    let Object(body) = body.ok_or_else(ApiError::invalid_json)?;
    let edit = Edit::new(body.content, state.cfg.max_content_chars)?;
    let edited = manage::edit(
        &state,
        chat_id(&id),
        message_id(&msg),
        UserId(user.id),
        edit,
    )
    .await?;
    Ok(Json(edited))
}

/// `DELETE /chats/{id}/messages/{messageId}` (§9.7); the body is optional.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DeleteMessageRequest {
    /// Delete for every member (sender or chat admin, within 48 hours); by
    /// default the message is hidden for the caller only.
    #[serde(deserialize_with = "lenient::flag")]
    for_everyone: bool,
}

/// Deletes a message for the caller or for everyone
#[utoipa::path(
    delete, path = "/chats/{id}/messages/{messageId}", tag = "messages",
    params(("id" = i64, Path, description = "The chat"), ("messageId" = i64, Path, description = "The message")),
    request_body(content = Option<DeleteMessageRequest>, content_type = "application/json", description = "Optional: absent means for the caller only"),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`Not a member of this chat`, `Only sender or admin can delete for everyone`, `Cannot delete for everyone after 48 hours`", body = ErrorBody),
        (status = 404, description = "`Message not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn delete_message(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr((id, msg)): PathOr<(String, String)>,
    MaybeJson(body): MaybeJson<Object<DeleteMessageRequest>>,
) -> Result<StatusCode, ApiError> {
    let for_everyone = body.is_some_and(|Object(b)| b.for_everyone);
    let (chat, msg) = (chat_id(&id), message_id(&msg));
    manage::delete(&state, chat, msg, UserId(user.id), for_everyone).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /chats/{id}/messages/forward` (§9.8).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ForwardMessagesRequest {
    /// The source chat.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    from_chat_id: i64,
    /// 1–100 ids; ids not of the source chat (or deleted) are skipped.
    #[serde(deserialize_with = "extract::id_items")]
    #[schema(value_type = Vec<i64>, default = json!([]))]
    message_ids: Option<Vec<Option<i64>>>,
}

/// Copies messages of another chat into this one
#[utoipa::path(
    post, path = "/chats/{id}/messages/forward", tag = "messages",
    params(("id" = i64, Path, description = "The target chat")),
    request_body(content = ForwardMessagesRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The copies, ascending by original id", body = Vec<ForwardedMessage>),
        (status = 400, description = "`Invalid JSON`, `from_chat_id required`, `message_ids array required`, `Maximum 100 messages per forward`", body = ErrorBody),
        (status = 403, description = "`Not a member of source chat`, `Not a member of target chat`, `Only admins can post in channels`", body = ErrorBody),
        (status = 404, description = "`No valid messages found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn forward_messages(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    MaybeJson(body): MaybeJson<Object<ForwardMessagesRequest>>,
) -> Result<Json<Vec<ForwardedMessage>>, ApiError> {
    let Object(body) = body.ok_or_else(ApiError::invalid_json)?;
    let req = Forward::new(body.from_chat_id, body.message_ids)?;
    let copies = send::forward(&state, chat_id(&id), UserId(user.id), req).await?;
    Ok(Json(copies))
}
