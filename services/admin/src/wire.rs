//! The admin objects on the wire (CONTRACT §14, plus the audit log). Nullable
//! keys are always present (`required`, `T | null`).

use chorus_kit::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Count of one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DayCount {
    /// `YYYY-MM-DD`
    pub day: String,
    pub count: i64,
}

/// `GET /admin-api/stats` (§14.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminStats {
    pub total_users: i64,
    pub dau: i64,
    pub wau: i64,
    pub total_chats: i64,
    /// Only types with at least one chat (`direct`, `group`, `channel`).
    pub chats_by_type: BTreeMap<String, i64>,
    pub total_messages: i64,
    pub messages_today: i64,
    pub new_users_today: i64,
    pub blocked_users: i64,
    /// Active users per creation day since today − 14 days, ascending, no zero days.
    pub reg_trend: Vec<DayCount>,
    /// Messages per day, same window and rules.
    pub msg_trend: Vec<DayCount>,
}

/// One line of `GET /admin-api/users` (§14.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUser {
    pub id: i64,
    pub username: String,
    #[schema(required = true)]
    pub display_name: Option<String>,
    pub email: String,
    pub is_active: bool,
    pub is_admin: bool,
    pub is_blocked: bool,
    pub created_at: Timestamp,
    #[schema(required = true)]
    pub last_activity: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUserPage {
    pub users: Vec<AdminUser>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// `max(1, ceil(total / per_page))`
    pub total_pages: i64,
}

/// The account in `GET /admin-api/users/{id}` (§14.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUserFull {
    pub id: i64,
    pub username: String,
    #[schema(required = true)]
    pub display_name: Option<String>,
    pub email: String,
    #[schema(required = true)]
    pub bio: Option<String>,
    pub is_active: bool,
    pub is_admin: bool,
    pub is_blocked: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[schema(required = true)]
    pub last_activity: Option<Timestamp>,
}

/// A membership of the user (§14.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUserChat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub title: Option<String>,
    pub role: String,
    pub joined_at: Timestamp,
    pub member_count: i64,
}

/// One of the user's recent messages (§14.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUserMessage {
    pub id: i64,
    pub chat_id: i64,
    #[schema(required = true)]
    pub content: Option<String>,
    pub message_type: String,
    pub created_at: Timestamp,
    #[schema(required = true)]
    pub chat_name: Option<String>,
    pub chat_type: String,
    /// Deleted for everyone (additive).
    pub is_deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminUserDetail {
    pub user: AdminUserFull,
    /// Every message the user ever sent.
    pub message_count: i64,
    /// All memberships, `joined_at` descending.
    pub chats: Vec<AdminUserChat>,
    /// The 50 most recent messages sent by the user (deleted included), newest first.
    pub messages: Vec<AdminUserMessage>,
}

/// One line of `GET /admin-api/messages` (§14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminMessage {
    pub id: i64,
    pub chat_id: i64,
    pub sender_id: i64,
    #[schema(required = true)]
    pub content: Option<String>,
    pub message_type: String,
    pub created_at: Timestamp,
    /// The raw stored values, no fallback.
    pub sender_username: String,
    #[schema(required = true)]
    pub sender_display_name: Option<String>,
    #[schema(required = true)]
    pub chat_name: Option<String>,
    pub chat_type: String,
    /// Deleted for everyone (additive).
    pub is_deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdminMessagePage {
    pub messages: Vec<AdminMessage>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub total_pages: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportUser {
    pub id: i64,
    pub username: String,
    /// Falls back to the username.
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportUsers {
    pub users: Vec<SupportUser>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportChat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub title: Option<String>,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportChats {
    pub chats: Vec<SupportChat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportMessage {
    pub id: i64,
    pub chat_id: i64,
    #[schema(required = true)]
    pub content: Option<String>,
    pub created_at: Timestamp,
    #[schema(required = true)]
    pub chat_name: Option<String>,
    pub chat_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportMessages {
    pub messages: Vec<SupportMessage>,
}

/// `POST /admin-api/support/send` (§14.6). Ids that are null, zero or not
/// integers count as absent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SupportSendRequest {
    #[serde(default, deserialize_with = "chorus_kit::lenient::text")]
    pub content: String,
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_int")]
    pub target_user_id: Option<i64>,
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_int")]
    pub chat_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupportSent {
    pub id: i64,
    pub chat_id: i64,
    pub created_at: Timestamp,
}

/// One entry of `GET /admin-api/audit` (additive).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub admin_id: i64,
    /// The admin's current username (empty when the account is gone).
    pub admin_username: String,
    /// `block`, `unblock`, `soft-delete`, `toggle-admin`, `support-send`, `message-delete`
    pub action: String,
    /// `user`, `chat` or `message`
    pub target_type: String,
    pub target_id: i64,
    /// What else the action involved (e.g. the support message's id and chat).
    #[schema(required = true, value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
    /// The admin's address.
    #[schema(required = true)]
    pub ip: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub total_pages: i64,
}

/// `max(1, ceil(total / per_page))` (§14.2).
pub fn total_pages(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn there_is_always_one_page() {
        assert_eq!(super::total_pages(0, 20), 1);
        assert_eq!(super::total_pages(20, 20), 1);
        assert_eq!(super::total_pages(21, 20), 2);
    }
}
