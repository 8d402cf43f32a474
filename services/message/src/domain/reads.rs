//! Read state (§11): mark read, read receipts, and the unread summaries.

use crate::db;
use crate::error::Result;
use crate::events;
use crate::state::AppState;
use chorus_kit::time::format_ts;
use serde_json::{Value, json};

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, user_id))]
pub async fn mark_read(state: &AppState, chat_id: Option<i64>, user_id: i64) -> Result<()> {
    state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let me = state.users.many(&[user_id]).await?;
    // Missing settings mean read receipts are on.
    let receipts = me.get(&user_id).is_none_or(|u| u.read_receipts_enabled);
    let mut tx = state.db.begin().await?;
    let last = db::messages::last_id(&mut *tx, chat_id).await?;
    let position = db::reads::advance(&mut *tx, user_id, chat_id, last).await?;
    if receipts && position > 0 {
        events::receipt_read(&mut tx, chat_id, user_id, position).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, user_id))]
pub async fn receipts(state: &AppState, chat_id: Option<i64>, user_id: i64) -> Result<Value> {
    state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let others: Vec<i64> = state
        .membership
        .members(chat_id)
        .await?
        .into_iter()
        .filter(|id| *id != user_id)
        .collect();
    let positions = if others.is_empty() {
        Vec::new()
    } else {
        db::reads::positions(&state.db, chat_id, &others).await?
    };
    // One lookup for the caller and everyone with a position.
    let mut ids: Vec<i64> = positions.iter().map(|p| p.user_id).collect();
    ids.push(user_id);
    let users = state.users.many(&ids).await?;
    let enabled = |id: i64| users.get(&id).is_none_or(|u| u.read_receipts_enabled);
    if !enabled(user_id) {
        return Ok(json!([]));
    }
    Ok(Value::Array(
        positions
            .into_iter()
            .filter(|p| enabled(p.user_id))
            .map(|p| {
                json!({
                    "user_id": p.user_id,
                    "last_read_msg_id": p.last_read_msg_id,
                    "read_at": format_ts(p.read_at),
                })
            })
            .collect(),
    ))
}
