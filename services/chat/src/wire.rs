//! The chat objects on the wire (CONTRACT §7, §8), shared by the endpoints
//! that carry them. Each shape is one type; the stored descriptive fields every
//! chat shape starts with are [`ChatFields`], flattened into the others.
//! Nullable keys are always present (`required`, `T | null`); the one key that
//! is sometimes absent says so.

use chorus_kit::time::Timestamp;
use chorus_proto::{ChatId, ChatType, Role, UserId};
use serde::Serialize;
use utoipa::ToSchema;

/// A chat's stored descriptive fields (§7.1); also the answer of `PATCH /chats/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChatFields {
    pub id: ChatId,
    #[serde(rename = "type")]
    pub kind: ChatType,
    /// Free text; for channels the title given at creation.
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub title: Option<String>,
    #[schema(required = true)]
    pub description: Option<String>,
    /// Unique case-insensitively; null when not set.
    #[schema(required = true)]
    pub public_name: Option<String>,
}

/// One line of `GET /chats` (§7.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChatListItem {
    #[serde(flatten)]
    pub chat: ChatFields,
    /// The later of the chat's own `updated_at` and its last message's time.
    pub updated_at: Timestamp,
    /// `content` of the latest message neither deleted for everyone nor hidden for
    /// the caller; `""` for non-text messages; null when there is none.
    #[schema(required = true)]
    pub last_message: Option<String>,
    /// `created_at` of that message.
    #[schema(required = true)]
    pub last_at: Option<Timestamp>,
    pub is_favorite: bool,
    /// True whenever a mute record exists, regardless of `muted_until`.
    pub is_muted: bool,
    /// Pinned in the caller's list (not a pinned message).
    pub is_pinned: bool,
    /// Always false: archived chats are not listed.
    pub is_archived: bool,
    pub unread_count: i64,
    /// In a direct chat with another member: that member; otherwise null.
    #[schema(required = true)]
    pub other_user_id: Option<UserId>,
    #[schema(required = true)]
    pub other_username: Option<String>,
    /// The other member's display name, falling back to the username.
    #[schema(required = true)]
    pub other_display_name: Option<String>,
    #[schema(required = true)]
    pub other_avatar_url: Option<String>,
    /// Present only when `other_user_id` is non-null; false when the other member
    /// hides their presence from the caller (§17.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub other_is_online: Option<bool>,
    /// The chat's own avatar (groups and channels).
    #[schema(required = true)]
    pub avatar_url: Option<String>,
    pub member_count: i64,
}

/// `GET /chats/{id}` (§7.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChatDetail {
    #[serde(flatten)]
    pub chat: ChatFields,
    pub owner_id: UserId,
    pub created_at: Timestamp,
    #[schema(required = true)]
    pub avatar_url: Option<String>,
    /// `joined_at` ascending.
    pub members: Vec<ChatMember>,
    pub member_count: i64,
    /// The caller's role in the chat.
    pub my_role: Role,
}

/// A member in [`ChatDetail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChatMember {
    pub id: UserId,
    /// `""` for an account the auth service no longer knows.
    pub username: String,
    /// The stored display name, without falling back to the username.
    #[schema(required = true)]
    pub display_name: Option<String>,
    pub role: Role,
    pub joined_at: Timestamp,
    #[schema(required = true)]
    pub avatar_url: Option<String>,
}

/// `GET /chats/by-name/{public_name}` (§7.5): a chat anyone may look up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublicChat {
    #[serde(flatten)]
    pub chat: ChatFields,
    pub created_at: Timestamp,
    pub member_count: i64,
}

/// An invite (§8): no numeric id, no expiry; valid until revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Invite {
    /// A random UUID v4, lowercase.
    #[schema(example = "0b8c2c9e-4a59-4b0e-9d7e-6c1f0f0e8a11")]
    pub token: String,
    pub chat_id: ChatId,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// `/join/` followed by the token (relative; clients prefix their web origin).
    #[schema(example = "/join/0b8c2c9e-4a59-4b0e-9d7e-6c1f0f0e8a11")]
    pub link: String,
}

/// `GET /invites/{token}/preview` (§8.4): what an invite leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvitePreview {
    pub chat_id: ChatId,
    #[serde(rename = "type")]
    pub kind: ChatType,
    #[schema(required = true)]
    pub title: Option<String>,
    #[schema(required = true)]
    pub description: Option<String>,
    pub member_count: i64,
}

/// `POST /invites/{token}/join` (§8.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct InviteJoined {
    pub chat_id: ChatId,
    /// `member` for a new member; the current role of one who already was.
    pub role: Role,
    pub already_member: bool,
}
