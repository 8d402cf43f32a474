//! Client → server frames (§16.2). Reading is lenient the way the edge always
//! was: a field of the wrong JSON type counts as absent (a `chat_id` of `"5"`
//! or `1.5` is no chat id, a `token` that is not a string is empty), so only
//! a body that is not a JSON object fails to parse.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::ToSchema;

/// Every frame a client sends over `/ws`, tagged on `type`. Before `auth`
/// succeeded only `auth` is accepted (`Not authenticated`); any other `type`
/// gets `Unknown message type: <type>`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WsClientMessage {
    Auth(WsAuth),
    Ping(WsPing),
    Subscribe(WsSubscribe),
    Typing(WsTypingNotice),
    PresenceUpdate(WsPresenceUpdate),
}

/// Authenticates the connection; answered by `auth_ok` (always the first
/// frame the server sends) or by `error` `Invalid or expired access token`
/// and a close.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct WsAuth {
    /// An access token (`/auth/login`); a refresh token is refused.
    #[serde(default, deserialize_with = "text_or_empty")]
    #[schema(required = true)]
    pub token: String,
    /// The connection's initial presence: `true` (default) active, `false` away.
    #[serde(default, deserialize_with = "opt_bool")]
    #[schema(value_type = bool)]
    pub active: Option<bool>,
}

/// Keeps the connection alive (every 25 s); answered by `pong`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct WsPing {
    /// `true`: the user was active lately (refreshes `last_activity`, at most
    /// every 90 s, and turns an away connection active).
    #[serde(default, deserialize_with = "opt_bool")]
    #[schema(value_type = bool)]
    pub active: Option<bool>,
}

/// Starts the chat's chat-scope events on this connection; answered by
/// `subscribed`, or `error` `Invalid chat_id` / `Not a member of this chat` /
/// `Internal error`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct WsSubscribe {
    /// A positive integer.
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_json_int")]
    #[schema(value_type = i64, required = true, minimum = 1)]
    pub chat_id: Option<i64>,
    /// Replays the chat's messages after this `seq` first (DESIGN §3; additive).
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_json_int")]
    #[schema(value_type = i64, minimum = 0)]
    pub after_seq: Option<i64>,
}

/// The user is typing in a chat; no reply (`error` `Invalid chat_id` for a
/// bad id; silently dropped from a non-member).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct WsTypingNotice {
    /// A positive integer.
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_json_int")]
    #[schema(value_type = i64, required = true, minimum = 1)]
    pub chat_id: Option<i64>,
}

/// Changes this connection's presence state; no reply (`error`
/// `Invalid presence status` for any other status).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct WsPresenceUpdate {
    #[serde(default, deserialize_with = "opt_activity")]
    #[schema(value_type = WsActivity, required = true)]
    pub status: Option<WsActivity>,
}

/// A connection's presence state as a client states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WsActivity {
    Active,
    Away,
}

fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(text) => text,
        _ => String::new(),
    })
}

fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Value::deserialize(d)?.as_bool())
}

fn opt_activity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<WsActivity>, D::Error> {
    Ok(match Value::deserialize(d)?.as_str() {
        Some("active") => Some(WsActivity::Active),
        Some("away") => Some(WsActivity::Away),
        _ => None,
    })
}
