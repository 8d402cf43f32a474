//! Reactions (§10): toggle and the batch map.

use crate::db;
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::ApiError;
use serde_json::{Map, Value, json};

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, message_id = ?message_id, user_id))]
pub async fn toggle(
    state: &AppState,
    chat_id: Option<i64>,
    message_id: Option<i64>,
    user_id: i64,
    emoji: &str,
) -> Result<Value> {
    state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let not_found = || Error::from(ApiError::not_found("Message not found in this chat"));
    let id = message_id.ok_or_else(not_found)?;
    // Deleted-for-everyone messages keep their reactions toggleable (§9.7).
    db::messages::in_chat(&state.db, chat_id, id)
        .await?
        .ok_or_else(not_found)?;
    let mut tx = state.db.begin().await?;
    let added = db::reactions::toggle(&mut tx, chat_id, id, user_id, emoji).await?;
    events::reaction_changed(&mut tx, chat_id, id, user_id, emoji, added).await?;
    tx.commit().await?;
    Ok(json!({
        "message_id": id,
        "emoji": emoji,
        "action": if added { "added" } else { "removed" },
    }))
}

/// `{"<message id>": [{emoji, count, me}]}`, messages without reactions absent.
pub async fn batch(
    state: &AppState,
    chat_id: Option<i64>,
    user_id: i64,
    ids: &[i64],
) -> Result<Value> {
    state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let groups = db::reactions::groups(&state.db, chat_id, ids, user_id).await?;
    let mut out = Map::new();
    for g in groups {
        let entry = out
            .entry(g.message_id.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(json!({ "emoji": g.emoji, "count": g.count, "me": g.me }));
        }
    }
    Ok(Value::Object(out))
}
