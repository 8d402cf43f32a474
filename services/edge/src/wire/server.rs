//! Server → client frames (§16.3): replies and events, each rendered once per
//! event (never per connection: the nodes forward the rendered bytes).

use chorus_kit::time::Timestamp;
use chorus_proto::{ChatId, ChatType, MessageId, UserId};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa::openapi::{Ref, RefOr, schema::Schema};

/// Every frame the server sends over `/ws`, tagged on `type`: the replies
/// `auth_ok`, `subscribed`, `pong`, `error`, then the events (scope per §1.8).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WsServerMessage<'a> {
    AuthOk(WsAuthOk),
    Subscribed(WsSubscribed),
    /// After a `subscribe` with `after_seq` whose replay stopped at the
    /// node's limit (`catch_up_max`) with more missed: the client fetches the
    /// rest over HTTP (`GET /chats/{id}/messages?after_seq=<last_seq>`).
    /// Additive to the contract.
    CatchUpTruncated(WsCatchUpTruncated),
    Pong,
    Error(WsError),
    /// Chat scope: a new message (the message object, plus `type`).
    Message(WsMessage<'a>),
    Typing(WsTyping<'a>),
    Presence(WsPresence),
    Reaction(WsReaction),
    MessageDeleted(WsMessageDeleted),
    MessageUpdated(WsMessageUpdated),
    MessagePinned(WsMessagePinned<'a>),
    MessageUnpinned(WsMessageUnpinned),
    ReadReceipt(WsReadReceipt),
    ChatCreated(WsChatCreated),
    ChatUpdated(WsChatUpdated),
    ChatDeleted(WsChatDeleted),
    ChatMemberJoined(WsChatMemberJoined),
    ChatMemberLeft(WsChatMemberLeft),
    UserProfileUpdated(WsUserProfileUpdated),
}

impl WsServerMessage<'_> {
    /// The text frame. A `message` is the message service's JSON with `type`
    /// spliced in, never parsed here; everything else is serialised.
    pub fn to_text(&self) -> String {
        match self {
            Self::Message(message) => message.frame(),
            // Serialising structs of integers and strings cannot fail.
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }
}

/// Reply to a valid `auth`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsAuthOk {
    pub user_id: UserId,
}

/// The replay of a chat was cut short; messages after `last_seq` are missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsCatchUpTruncated {
    pub chat_id: ChatId,
    /// The last seq the replay covered.
    pub last_seq: i64,
}

/// Reply to `subscribe`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsSubscribed {
    pub chat_id: ChatId,
}

/// A refused frame; the connection stays open except after a failed `auth`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsError {
    /// `Invalid JSON`, `Not authenticated`, `Unknown message type: <type>`,
    /// `Invalid chat_id`, `Not a member of this chat`, `Invalid presence status`,
    /// `Invalid or expired access token`, `Too many messages`, `Internal error`.
    #[schema(example = "Not a member of this chat")]
    pub message: String,
}

/// A message object (`#/components/schemas/Message`, §9.2) exactly as the
/// message service rendered it; the edge passes it through unparsed.
#[derive(Debug, Clone, Copy)]
pub struct WsMessage<'a>(pub &'a str);

impl WsMessage<'_> {
    /// `{"type":"message", …the message's fields}`.
    pub fn frame(&self) -> String {
        match self.0.strip_prefix('{') {
            Some(rest) if rest.trim_start() != "}" => format!("{{\"type\":\"message\",{rest}"),
            _ => "{\"type\":\"message\"}".to_string(),
        }
    }
}

/// Only for serialising a whole [`WsServerMessage`] through serde (tests,
/// tools); the frames themselves come from [`WsMessage::frame`], which does not
/// parse.
impl Serialize for WsMessage<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(self.0).unwrap_or_default();
        s.collect_map(fields)
    }
}

impl utoipa::PartialSchema for WsMessage<'_> {
    fn schema() -> RefOr<Schema> {
        message_ref()
    }
}

impl ToSchema for WsMessage<'_> {}

/// The message object of the message service's part of the document.
fn message_ref() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name("Message"))
}

/// Chat scope: someone is typing (their own subscribed connections get it too).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsTyping<'a> {
    pub chat_id: ChatId,
    pub user_id: UserId,
    /// The sender's current username; absent only while not yet known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub username: Option<&'a str>,
}

/// A presence transition (§17.4): the full payload, or the approximate one
/// (no `status`) for subjects whose visibility is `approx_only`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum WsPresence {
    Full(WsPresenceFull),
    Approx(WsPresenceApprox),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsPresenceFull {
    pub user_id: UserId,
    pub username: String,
    pub status: WsOnlineStatus,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsPresenceApprox {
    pub user_id: UserId,
    pub username: String,
    pub privacy: WsPrivacy,
    pub last_seen_bucket: WsLastSeenBucket,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WsOnlineStatus {
    Online,
    Offline,
}

/// The only privacy marker on the socket.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WsPrivacy {
    ApproxOnly,
}

/// `online` for an online transition, `recently` for an offline one.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WsLastSeenBucket {
    Online,
    Recently,
}

/// Chat scope: a reaction was toggled (§10.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsReaction {
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub user_id: UserId,
    pub emoji: String,
    pub action: WsReactionAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WsReactionAction {
    Added,
    Removed,
}

impl WsReactionAction {
    /// The event's text; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "added" => Some(Self::Added),
            "removed" => Some(Self::Removed),
            _ => None,
        }
    }
}

/// Chat scope: a message was deleted for everyone (§9.7).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsMessageDeleted {
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub deleted_by: UserId,
    /// Always `true` (deletions for oneself are not broadcast).
    pub for_everyone: bool,
}

/// Chat scope: a message was edited (§9.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsMessageUpdated {
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub content: String,
    #[schema(value_type = Timestamp)]
    pub updated_at: Option<Timestamp>,
}

/// Chat scope: a message was pinned (§9.9).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsMessagePinned<'a> {
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub pinned_by: UserId,
    /// The pinned message (`#/components/schemas/Message`), as the message
    /// service rendered it.
    #[schema(schema_with = message_ref, required = true)]
    pub message: Option<&'a RawValue>,
}

/// Chat scope: the chat's pin was removed (§9.9).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsMessageUnpinned {
    pub chat_id: ChatId,
    pub message_id: MessageId,
}

/// Chat scope: a member read up to a message (§11.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsReadReceipt {
    pub chat_id: ChatId,
    pub user_id: UserId,
    pub last_read_msg_id: MessageId,
}

/// User scope: a chat the user is now in (§7.2); after an invite join (§8.5)
/// `chat_type` is always `group`, `created_by` is the joiner, and there is no
/// `title`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsChatCreated {
    pub chat_id: ChatId,
    pub chat_type: ChatType,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub title: Option<String>,
    pub created_by: UserId,
}

/// Chat scope: the chat's settings (§7.6: `title`/`description` as changed)
/// or its avatar (§7.8: `avatar_url` only, null when removed).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsChatUpdated {
    pub chat_id: ChatId,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub description: Option<String>,
    /// A presigned URL (§13.3), or null when the avatar was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
}

/// User scope (every former member): the chat was deleted (§7.7).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsChatDeleted {
    pub chat_id: ChatId,
    pub deleted_by: UserId,
}

/// Chat scope: someone joined by invite (§8.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsChatMemberJoined {
    pub chat_id: ChatId,
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
}

/// Chat scope and the leaver's user scope: someone left (§7.10).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsChatMemberLeft {
    pub chat_id: ChatId,
    pub user_id: UserId,
}

/// Chat scope (each chat of the user): a new display name (§5.6) or avatar
/// (§5.8: `avatar_url` only, null when removed).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsUserProfileUpdated {
    pub user_id: UserId,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub display_name: Option<String>,
    /// A presigned URL (§13.3), or null when the avatar was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
}
