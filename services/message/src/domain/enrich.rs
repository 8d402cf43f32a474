//! The enriched Message object (CONTRACT §9.2, plus `seq`): everything one page
//! needs is loaded with one `Users.GetMany`, one media resolve and one query for
//! the replied-to messages, then each row is rendered without further lookups.

use crate::db;
use crate::db::messages::MessageRow;
use crate::error::Result;
use crate::peers::UserInfo;
use crate::seams::Resolved;
use crate::state::AppState;
use chorus_kit::time::format_ts;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// What a set of messages refers to.
#[derive(Debug, Default, Clone)]
pub struct Needs {
    pub users: Vec<i64>,
    pub files: Vec<i64>,
    pub stickers: Vec<i64>,
    pub replies: Vec<i64>,
}

impl Needs {
    pub fn of(rows: &[MessageRow]) -> Self {
        let mut needs = Self::default();
        for m in rows {
            needs.users.push(m.sender_id);
            needs.files.extend(m.file_id);
            needs.stickers.extend(m.sticker_id);
            needs.replies.extend(m.reply_to_message_id);
        }
        needs
    }
}

/// Users, replied-to messages, files and stickers of a page.
#[derive(Debug, Default)]
pub struct Context {
    pub users: HashMap<i64, UserInfo>,
    replies: HashMap<i64, MessageRow>,
    media: Resolved,
}

impl Context {
    pub async fn load(state: &AppState, mut needs: Needs) -> Result<Self> {
        needs.replies.sort_unstable();
        needs.replies.dedup();
        let replies: HashMap<i64, MessageRow> = if needs.replies.is_empty() {
            HashMap::new()
        } else {
            db::messages::by_ids(&state.db, &needs.replies)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect()
        };
        needs.users.extend(replies.values().map(|m| m.sender_id));
        let users = state.users.many(&needs.users).await?;
        needs
            .files
            .extend(users.values().filter_map(|u| u.avatar_file_id));
        needs.files.sort_unstable();
        needs.files.dedup();
        needs.stickers.sort_unstable();
        needs.stickers.dedup();
        let media = if needs.files.is_empty() && needs.stickers.is_empty() {
            Resolved::default()
        } else {
            state.media.resolve(&needs.files, &needs.stickers).await
        };
        Ok(Self {
            users,
            replies,
            media,
        })
    }

    pub fn name_of(&self, user_id: i64) -> Option<&str> {
        self.users.get(&user_id).map(|u| u.name.as_str())
    }

    /// The enriched Message object.
    pub fn render(&self, m: &MessageRow) -> Value {
        let sender = self.users.get(&m.sender_id);
        let file = m.file_id.and_then(|id| self.media.files.get(&id));
        let sticker = m.sticker_id.and_then(|id| self.media.stickers.get(&id));
        let avatar = sender
            .and_then(|u| u.avatar_file_id)
            .and_then(|id| self.media.files.get(&id))
            .and_then(|f| f.url.clone());
        let mut o = Map::new();
        o.insert("id".into(), json!(m.id));
        o.insert("chat_id".into(), json!(m.chat_id));
        o.insert("seq".into(), json!(m.seq));
        o.insert("sender_id".into(), json!(m.sender_id));
        o.insert("content".into(), json!(m.content));
        o.insert("message_type".into(), json!(m.message_type));
        o.insert("created_at".into(), json!(format_ts(m.created_at)));
        o.insert("is_edited".into(), json!(m.is_edited));
        if m.is_edited
            && let Some(at) = m.updated_at
        {
            o.insert("updated_at".into(), json!(format_ts(at)));
        }
        o.insert(
            "sender_username".into(),
            json!(sender.map(|u| u.username.as_str()).unwrap_or("")),
        );
        o.insert(
            "sender_display_name".into(),
            json!(sender.map(|u| u.name.as_str()).unwrap_or("")),
        );
        o.insert(
            "sender_is_admin".into(),
            json!(sender.is_some_and(|u| u.is_admin)),
        );
        o.insert("sender_avatar_url".into(), json!(avatar));
        o.insert(
            "sticker_url".into(),
            json!(sticker.and_then(|s| s.url.clone())),
        );
        o.insert(
            "sticker_label".into(),
            json!(sticker.and_then(|s| s.label.clone())),
        );
        o.insert(
            "attachment_url".into(),
            json!(file.and_then(|f| f.url.clone())),
        );
        o.insert(
            "attachment_filename".into(),
            json!(file.and_then(|f| f.filename.clone())),
        );
        o.insert(
            "attachment_mime_type".into(),
            json!(file.and_then(|f| f.mime_type.clone())),
        );
        o.insert("duration_seconds".into(), json!(m.duration_seconds));
        o.insert(
            "forwarded_from_chat_id".into(),
            json!(m.forwarded_from_chat_id),
        );
        o.insert(
            "forwarded_from_message_id".into(),
            json!(m.forwarded_from_message_id),
        );
        o.insert(
            "forwarded_from_user_id".into(),
            json!(m.forwarded_from_user_id),
        );
        o.insert(
            "forwarded_from_display_name".into(),
            json!(m.forwarded_from_display_name),
        );
        o.insert("reply_to_message_id".into(), json!(m.reply_to_message_id));
        if let Some(reply_id) = m.reply_to_message_id {
            let reply = self.replies.get(&reply_id);
            let reply_sender = reply.and_then(|r| self.users.get(&r.sender_id));
            o.insert("reply_to_content".into(), json!(reply.map(|r| &r.content)));
            o.insert(
                "reply_to_type".into(),
                json!(reply.map(|r| &r.message_type)),
            );
            o.insert(
                "reply_to_sender_username".into(),
                json!(reply_sender.map(|u| &u.username)),
            );
            o.insert(
                "reply_to_sender_name".into(),
                json!(reply_sender.map(|u| &u.name)),
            );
        }
        Value::Object(o)
    }
}

/// The `201` body of a send (§9.3): optional keys omitted, `type` = `message_type`.
pub fn send_body(m: &MessageRow, sent_duration: Option<i64>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(m.id));
    o.insert("chat_id".into(), json!(m.chat_id));
    o.insert("seq".into(), json!(m.seq));
    o.insert("sender_id".into(), json!(m.sender_id));
    o.insert("content".into(), json!(m.content));
    o.insert("message_type".into(), json!(m.message_type));
    o.insert("type".into(), json!(m.message_type));
    o.insert("created_at".into(), json!(format_ts(m.created_at)));
    if let Some(id) = m.sticker_id {
        o.insert("sticker_id".into(), json!(id));
    }
    let duration = sent_duration.or(m.duration_seconds.map(i64::from));
    if let Some(d) = duration.filter(|d| *d > 0) {
        o.insert("duration_seconds".into(), json!(d));
    }
    if let Some(id) = m.reply_to_message_id {
        o.insert("reply_to_message_id".into(), json!(id));
    }
    if let Some(cmid) = &m.client_msg_id {
        o.insert("client_msg_id".into(), json!(cmid));
    }
    Value::Object(o)
}

/// One element of the forward response (§9.8).
pub fn forward_body(m: &MessageRow) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(m.id));
    o.insert("chat_id".into(), json!(m.chat_id));
    o.insert("seq".into(), json!(m.seq));
    o.insert("sender_id".into(), json!(m.sender_id));
    o.insert("content".into(), json!(m.content));
    o.insert("message_type".into(), json!(m.message_type));
    o.insert("created_at".into(), json!(format_ts(m.created_at)));
    o.insert(
        "forwarded_from_chat_id".into(),
        json!(m.forwarded_from_chat_id),
    );
    o.insert(
        "forwarded_from_message_id".into(),
        json!(m.forwarded_from_message_id),
    );
    o.insert(
        "forwarded_from_user_id".into(),
        json!(m.forwarded_from_user_id),
    );
    if let Some(name) = m
        .forwarded_from_display_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        o.insert("forwarded_from_display_name".into(), json!(name));
    }
    Value::Object(o)
}
