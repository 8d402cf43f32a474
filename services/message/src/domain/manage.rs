//! Changing messages: edit (§9.6), delete (§9.7) and pins (§9.9).

use crate::db;
use crate::domain::enrich::{Context, Needs};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::ApiError;
use chorus_kit::time::format_ts;
use serde_json::{Value, json};

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, message_id = ?message_id, user_id))]
pub async fn edit(
    state: &AppState,
    chat_id: Option<i64>,
    message_id: Option<i64>,
    user_id: i64,
    content: &str,
) -> Result<Value> {
    state.membership.require(chat_id, user_id).await?;
    let not_editable = || Error::from(ApiError::forbidden("Message not found or not editable"));
    let (chat_id, id) = (
        chat_id.unwrap_or_default(),
        message_id.ok_or_else(not_editable)?,
    );
    let mut tx = state.db.begin().await?;
    let updated_at = db::messages::edit(&mut tx, chat_id, id, user_id, content)
        .await?
        .ok_or_else(not_editable)?;
    events::message_updated(&mut tx, chat_id, id, content, updated_at).await?;
    tx.commit().await?;
    Ok(json!({
        "id": id,
        "content": content,
        "is_edited": true,
        "updated_at": format_ts(updated_at),
    }))
}

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, message_id = ?message_id, user_id))]
pub async fn delete(
    state: &AppState,
    chat_id: Option<i64>,
    message_id: Option<i64>,
    user_id: i64,
    for_everyone: bool,
) -> Result<()> {
    let role = state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let not_found = || Error::from(ApiError::not_found("Message not found"));
    let id = message_id.ok_or_else(not_found)?;
    let msg = db::messages::in_chat(&state.db, chat_id, id)
        .await?
        .filter(|m| !m.is_deleted)
        .ok_or_else(not_found)?;
    if !for_everyone {
        db::messages::delete_for_me(&state.db, user_id, chat_id, id).await?;
        return Ok(());
    }
    if msg.sender_id != user_id && !role.is_admin() {
        return Err(ApiError::forbidden("Only sender or admin can delete for everyone").into());
    }
    if chrono::Utc::now() - msg.created_at >= chrono::Duration::hours(48) {
        return Err(ApiError::forbidden("Cannot delete for everyone after 48 hours").into());
    }
    let mut tx = state.db.begin().await?;
    if !db::messages::delete_for_everyone(&mut tx, chat_id, id).await? {
        return Err(not_found());
    }
    events::message_deleted(&mut tx, chat_id, id, user_id).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, message_id = ?message_id, user_id))]
pub async fn pin(
    state: &AppState,
    chat_id: Option<i64>,
    message_id: Option<i64>,
    user_id: i64,
) -> Result<Value> {
    let role = state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    if !role.may_post() {
        return Err(ApiError::forbidden("Only admins can pin in channels").into());
    }
    let not_found = || Error::from(ApiError::not_found("Message not found"));
    let id = message_id.ok_or_else(not_found)?;
    let msg = db::messages::in_chat(&state.db, chat_id, id)
        .await?
        .filter(|m| !m.is_deleted)
        .ok_or_else(not_found)?;
    let ctx = Context::load(state, Needs::of(std::slice::from_ref(&msg))).await?;
    let message = ctx.render(&msg);
    // Two concurrent pins race on the one-active-pin index; the loser retries
    // and replaces the winner, as if it had come second.
    let mut attempts = 0;
    let pin = loop {
        let mut tx = state.db.begin().await?;
        match db::pins::pin(&mut tx, chat_id, id, user_id).await {
            Ok(pin) => {
                events::message_pinned(&mut tx, &pin, chat_id, message.to_string()).await?;
                tx.commit().await?;
                break pin;
            }
            Err(err)
                if attempts < 3
                    && chorus_kit::db::is_unique_violation(&err, db::pins::ACTIVE_KEY) =>
            {
                attempts += 1;
            }
            Err(err) => return Err(err.into()),
        }
    };
    Ok(json!({
        "pinned_message_id": pin.message_id,
        "message": message,
        "pinned_at": format_ts(pin.pinned_at),
        "pinned_by": pin.pinned_by,
    }))
}

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, message_id = ?message_id, user_id))]
pub async fn unpin(
    state: &AppState,
    chat_id: Option<i64>,
    message_id: Option<i64>,
    user_id: i64,
) -> Result<()> {
    let role = state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    if !role.may_post() {
        return Err(ApiError::forbidden("Only admins can unpin in channels").into());
    }
    let none = || Error::from(ApiError::not_found("No pinned message found"));
    let id = message_id.ok_or_else(none)?;
    let mut tx = state.db.begin().await?;
    if !db::pins::unpin(&mut tx, chat_id, id).await? {
        return Err(none());
    }
    events::message_unpinned(&mut tx, chat_id, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The active pin (`null` when none), its message even if deleted for everyone.
pub async fn pinned(state: &AppState, chat_id: Option<i64>, user_id: i64) -> Result<Value> {
    state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.unwrap_or_default();
    let Some(pin) = db::pins::active(&state.db, chat_id).await? else {
        return Ok(Value::Null);
    };
    let msg = db::messages::in_chat(&state.db, chat_id, pin.message_id).await?;
    let rows: Vec<_> = msg.into_iter().collect();
    let ctx = Context::load(state, Needs::of(&rows)).await?;
    Ok(json!({
        "message": rows.first().map(|m| ctx.render(m)),
        "pinned_at": format_ts(pin.pinned_at),
        "pinned_by": pin.pinned_by,
    }))
}
