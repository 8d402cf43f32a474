//! What the admin service does with messages (§14.5, §14.6 and the moderation
//! delete): support posts and deletes for everyone, with the same events as
//! the sender's own send and delete, so every open app updates live.

use crate::db;
use crate::db::messages::MessageRow;
use crate::db::store::{NewMessage, Stored};
use crate::domain::enrich::{Context, Needs};
use crate::domain::send::insert_one;
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_proto::{ChatId, MessageId, UserId};

/// Posts a text message as `sender` without a membership check (the admin
/// service has already made the sender a member).
pub async fn post_as(
    state: &AppState,
    chat_id: ChatId,
    sender: UserId,
    content: String,
) -> Result<MessageRow> {
    if content.is_empty() {
        return Err(Error::ContentRequired);
    }
    if content.chars().count() > state.cfg.max_content_chars {
        return Err(Error::TooLong);
    }
    if content.contains('\0') {
        return Err(Error::InvalidText("content"));
    }
    let ctx = Context::load(
        state,
        Needs {
            users: vec![sender],
            ..Default::default()
        },
    )
    .await?;
    let new = NewMessage {
        chat_id,
        sender_id: sender,
        content,
        message_type: "text".into(),
        ..Default::default()
    };
    // Without a client_msg_id the message is always new.
    let (Stored::New(row) | Stored::Existing(row)) = insert_one(state, &ctx, &new).await?;
    Ok(row)
}

/// Deletes any message for everyone; `MessageNotFound` when unknown or already
/// deleted. The frame goes out as for a delete by its sender.
pub async fn delete(state: &AppState, message_id: MessageId) -> Result<ChatId> {
    let msg = db::messages::by_ids(&state.db, &[message_id])
        .await?
        .into_iter()
        .find(|m| !m.is_deleted)
        .ok_or(Error::MessageNotFound)?;
    let mut tx = state.db.begin().await?;
    if !db::messages::delete_for_everyone(&mut tx, msg.chat_id, message_id).await? {
        return Err(Error::MessageNotFound);
    }
    events::message_deleted(&mut tx, msg.chat_id, message_id, msg.sender_id).await?;
    tx.commit().await?;
    Ok(msg.chat_id)
}
