//! The message service's response bodies (CONTRACT §9–§11), shared by the
//! handlers, the domain that builds them and the events that carry them.
//!
//! Fields are declared in alphabetical order on purpose: these bodies used to
//! be built as `serde_json::Map`s (sorted maps), and keeping that order keeps
//! every HTTP body and WebSocket frame byte for byte what clients got before.
//! `wire::tests` checks it.

use chorus_kit::time::Timestamp;
use chorus_proto::{ChatId, MessageId, UserId};
use serde::Serialize;
use utoipa::ToSchema;

/// The enriched message object (§9.2), plus `seq`. Returned by list, search,
/// pin and pinned-message, and carried by the `message` and `message_pinned`
/// WebSocket frames.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Message {
    /// Original filename of the attached file.
    #[schema(required = true)]
    pub attachment_filename: Option<String>,
    /// As stored at upload (§12.1); the client shows `image/*` inline.
    #[schema(required = true)]
    pub attachment_mime_type: Option<String>,
    /// Presigned URL of the attached file (files, images, voice).
    #[schema(required = true)]
    pub attachment_url: Option<String>,
    pub chat_id: ChatId,
    /// `""` for messages sent without text; null only for a pinned message that
    /// was deleted for everyone (§9.9).
    #[schema(required = true)]
    pub content: Option<String>,
    pub created_at: Timestamp,
    /// Voice duration.
    #[schema(required = true)]
    pub duration_seconds: Option<i32>,
    #[schema(required = true)]
    pub forwarded_from_chat_id: Option<ChatId>,
    /// The original author's display name at forward time.
    #[schema(required = true)]
    pub forwarded_from_display_name: Option<String>,
    #[schema(required = true)]
    pub forwarded_from_message_id: Option<MessageId>,
    /// The original author.
    #[schema(required = true)]
    pub forwarded_from_user_id: Option<UserId>,
    pub id: MessageId,
    /// Present only in WebSocket catch-up: a deleted message keeps its place in
    /// the `seq` order with its content removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = bool, required = false)]
    pub is_deleted: Option<bool>,
    pub is_edited: bool,
    /// Free-form, chosen by the sender: `text`, `sticker`, `voice`, `file`, `image`, ….
    pub message_type: String,
    /// Present only when `reply_to_message_id` is non-null; null when the
    /// replied-to message no longer exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reply_to_content: Option<Option<String>>,
    #[schema(required = true)]
    pub reply_to_message_id: Option<MessageId>,
    /// Display name of the replied-to message's sender, falling back to the
    /// username. Present only when `reply_to_message_id` is non-null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reply_to_sender_name: Option<Option<String>>,
    /// Present only when `reply_to_message_id` is non-null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reply_to_sender_username: Option<Option<String>>,
    /// `message_type` of the replied-to message. Present only when
    /// `reply_to_message_id` is non-null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reply_to_type: Option<Option<String>>,
    #[schema(required = true)]
    pub sender_avatar_url: Option<String>,
    /// Display name, falling back to the username.
    pub sender_display_name: String,
    pub sender_id: UserId,
    /// The sender's global admin flag.
    pub sender_is_admin: bool,
    pub sender_username: String,
    /// Position in the chat, contiguous from 1: clients catch up by it.
    pub seq: i64,
    #[schema(required = true)]
    pub sticker_label: Option<String>,
    /// Presigned sticker image, for sticker messages.
    #[schema(required = true)]
    pub sticker_url: Option<String>,
    /// Present only if the message was edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Timestamp, required = false)]
    pub updated_at: Option<Timestamp>,
}

/// The answer to a send (§9.3): `201` for a new message, `200` with the
/// original when `client_msg_id` names one already sent.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SentMessage {
    pub chat_id: ChatId,
    /// Echoed when the request carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    pub client_msg_id: Option<String>,
    /// As sent, `""` if absent.
    pub content: String,
    pub created_at: Timestamp,
    /// Present only when a value > 0 was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub duration_seconds: Option<i64>,
    pub id: MessageId,
    pub message_type: String,
    /// Present only when a value > 0 was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub reply_to_message_id: Option<MessageId>,
    pub sender_id: UserId,
    pub seq: i64,
    /// Present only for sticker messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub sticker_id: Option<i64>,
    /// The same value as `message_type`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// One copy made by a forward (§9.8).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ForwardedMessage {
    pub chat_id: ChatId,
    pub content: String,
    pub created_at: Timestamp,
    #[schema(required = true)]
    pub forwarded_from_chat_id: Option<ChatId>,
    /// The original author's display name; omitted if empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    pub forwarded_from_display_name: Option<String>,
    #[schema(required = true)]
    pub forwarded_from_message_id: Option<MessageId>,
    #[schema(required = true)]
    pub forwarded_from_user_id: Option<UserId>,
    pub id: MessageId,
    pub message_type: String,
    pub sender_id: UserId,
    pub seq: i64,
}

/// The answer to an edit (§9.6).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EditedMessage {
    pub content: String,
    pub id: MessageId,
    /// Always `true`.
    pub is_edited: bool,
    pub updated_at: Timestamp,
}

/// The answer to a pin (§9.9).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PinResult {
    pub message: Message,
    pub pinned_at: Timestamp,
    pub pinned_by: UserId,
    pub pinned_message_id: MessageId,
}

/// The chat's pinned message (§9.9); the endpoint answers `null` when nothing is pinned.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PinnedMessage {
    /// Null only if the message row vanished.
    #[schema(required = true)]
    pub message: Option<Message>,
    pub pinned_at: Timestamp,
    pub pinned_by: UserId,
}

/// What a reaction toggle did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReactionAction {
    Added,
    Removed,
}

impl ReactionAction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
        }
    }
}

/// The answer to a reaction toggle (§10.1).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReactionToggled {
    pub action: ReactionAction,
    pub emoji: String,
    pub message_id: MessageId,
}

/// One emoji on one message (§10.2), in the order of its first use.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReactionGroup {
    pub count: i64,
    pub emoji: String,
    /// The caller has this emoji on the message.
    pub me: bool,
}

/// A member's read position (§11.2).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReadReceipt {
    pub last_read_msg_id: MessageId,
    pub read_at: Timestamp,
    pub user_id: UserId,
}

impl Message {
    /// A message deleted for everyone, as the pinned-message endpoint still shows
    /// it (§9.9): its place and author, never its text, attachment, sticker or
    /// quote.
    pub fn redacted(self) -> Self {
        let quoted = self.reply_to_message_id.map(|_| None);
        Self {
            content: None,
            attachment_filename: None,
            attachment_mime_type: None,
            attachment_url: None,
            sticker_label: None,
            sticker_url: None,
            reply_to_content: quoted.clone(),
            reply_to_sender_name: quoted.clone(),
            reply_to_sender_username: quoted.clone(),
            reply_to_type: quoted,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The body as the struct writes it equals the body as a sorted
    /// `serde_json::Map` writes it: byte for byte what the old map-building code sent.
    fn as_before(value: &impl Serialize) -> anyhow::Result<()> {
        let text = serde_json::to_string(value)?;
        let map: Value = serde_json::to_value(value)?;
        assert_eq!(text, map.to_string());
        Ok(())
    }

    pub(crate) fn bare_message() -> Message {
        Message {
            attachment_filename: None,
            attachment_mime_type: None,
            attachment_url: None,
            chat_id: ChatId(1),
            content: Some(String::new()),
            created_at: Timestamp(chrono::DateTime::UNIX_EPOCH),
            duration_seconds: None,
            forwarded_from_chat_id: None,
            forwarded_from_display_name: None,
            forwarded_from_message_id: None,
            forwarded_from_user_id: None,
            id: MessageId(1),
            is_deleted: None,
            is_edited: false,
            message_type: "text".into(),
            reply_to_content: None,
            reply_to_message_id: None,
            reply_to_sender_name: None,
            reply_to_sender_username: None,
            reply_to_type: None,
            sender_avatar_url: None,
            sender_display_name: String::new(),
            sender_id: UserId(1),
            sender_is_admin: false,
            sender_username: String::new(),
            seq: 1,
            sticker_label: None,
            sticker_url: None,
            updated_at: None,
        }
    }

    #[test]
    fn a_redacted_message_keeps_its_place_and_author_but_no_text_file_sticker_or_quote() {
        let full = Message {
            content: Some("secret".into()),
            attachment_url: Some("https://x/f".into()),
            attachment_filename: Some("f.txt".into()),
            attachment_mime_type: Some("text/plain".into()),
            sticker_url: Some("https://x/s".into()),
            sticker_label: Some("cat".into()),
            reply_to_message_id: Some(MessageId(9)),
            reply_to_content: Some(Some("quoted".into())),
            reply_to_type: Some(Some("text".into())),
            reply_to_sender_name: Some(Some("Bob".into())),
            reply_to_sender_username: Some(Some("bob".into())),
            ..bare_message()
        };
        let shown = serde_json::to_value(full.redacted()).unwrap_or_default();
        for key in [
            "content",
            "attachment_url",
            "attachment_filename",
            "attachment_mime_type",
            "sticker_url",
            "sticker_label",
            "reply_to_content",
            "reply_to_type",
            "reply_to_sender_name",
            "reply_to_sender_username",
        ] {
            assert_eq!(shown[key], serde_json::Value::Null, "{key}");
        }
        assert_eq!(
            (shown["id"].as_i64(), shown["reply_to_message_id"].as_i64()),
            (Some(1), Some(9))
        );
        let plain = serde_json::to_value(bare_message().redacted()).unwrap_or_default();
        assert!(plain.get("reply_to_content").is_none());
    }

    #[test]
    fn bodies_keep_the_sorted_key_order_clients_had() -> anyhow::Result<()> {
        let epoch = Timestamp(chrono::DateTime::UNIX_EPOCH);
        let message = Message {
            is_deleted: Some(false),
            reply_to_content: Some(None),
            reply_to_sender_name: Some(Some("Bob".into())),
            reply_to_sender_username: Some(None),
            reply_to_type: Some(None),
            reply_to_message_id: Some(MessageId(1)),
            sender_avatar_url: Some("https://x/a".into()),
            updated_at: Some(epoch),
            ..bare_message()
        };
        assert_eq!(
            serde_json::to_value(&message)?.as_object().map(|o| o.len()),
            Some(29)
        );
        as_before(&message)?;
        as_before(&bare_message())?;
        let sent = SentMessage {
            chat_id: ChatId(1),
            client_msg_id: Some("c".into()),
            content: String::new(),
            created_at: epoch,
            duration_seconds: Some(3),
            id: MessageId(2),
            message_type: "text".into(),
            reply_to_message_id: Some(MessageId(1)),
            sender_id: UserId(3),
            seq: 1,
            sticker_id: Some(4),
            kind: "text".into(),
        };
        as_before(&sent)?;
        let forwarded = ForwardedMessage {
            chat_id: ChatId(1),
            content: "hi".into(),
            created_at: epoch,
            forwarded_from_chat_id: Some(ChatId(2)),
            forwarded_from_display_name: Some("Al".into()),
            forwarded_from_message_id: Some(MessageId(3)),
            forwarded_from_user_id: Some(UserId(4)),
            id: MessageId(5),
            message_type: "text".into(),
            sender_id: UserId(6),
            seq: 7,
        };
        as_before(&forwarded)?;
        as_before(&PinResult {
            message: message.clone(),
            pinned_at: epoch,
            pinned_by: UserId(1),
            pinned_message_id: MessageId(1),
        })?;
        as_before(&PinnedMessage {
            message: Some(message),
            pinned_at: epoch,
            pinned_by: UserId(1),
        })?;
        as_before(&EditedMessage {
            content: "x".into(),
            id: MessageId(1),
            is_edited: true,
            updated_at: epoch,
        })?;
        as_before(&ReactionToggled {
            action: ReactionAction::Added,
            emoji: "👍".into(),
            message_id: MessageId(1),
        })?;
        as_before(&ReactionGroup {
            count: 1,
            emoji: "👍".into(),
            me: true,
        })?;
        as_before(&ReadReceipt {
            last_read_msg_id: MessageId(1),
            read_at: epoch,
            user_id: UserId(2),
        })
    }

    #[test]
    fn absent_optional_keys_are_left_out() {
        let text = serde_json::to_string(&bare_message()).unwrap_or_default();
        for key in [
            "is_deleted",
            "updated_at",
            "reply_to_content",
            "reply_to_type",
        ] {
            assert!(!text.contains(key), "{key} in {text}");
        }
        assert!(text.contains("\"reply_to_message_id\":null"));
        assert!(text.contains("\"sticker_url\":null"));
    }
}
