//! The send: the message and its `message.created` event in one statement
//! ([`messages::SEND`]), so a send waits for one round trip and runs no
//! explicit transaction (BEGIN, the insert, the outbox row and COMMIT took
//! four round trips unpipelined, two pipelined). It runs on tokio-postgres
//! through a pool of its own, so that sends never queue behind the relay and
//! the readers for a connection.

use super::messages::{self, MessageRow, NewMessage, Stored};
use crate::error::Result;
use chorus_events::OutboxRow;
use chorus_proto::{ChatId, FileId, MessageId, UserId};
use deadpool_postgres::Pool;
use tokio_postgres::types::ToSql;

/// Stores the message and, when it is new, `event` (rendered before the
/// message had an id, seq and `created_at`; the relay finishes it). A retry
/// of a stored message (same `client_msg_id`) writes nothing and returns the
/// original. The sender has read their own message: their read position
/// moves to it.
pub async fn insert_with_event(pool: &Pool, m: &NewMessage, event: &OutboxRow) -> Result<Stored> {
    let conn = pool.get().await?;
    let send = conn.prepare_cached(messages::SEND).await?;
    let advance_sender = true;
    let params: [&(dyn ToSql + Sync); 17] = [
        &m.chat_id.0,
        &m.sender_id.0,
        &m.content,
        &m.message_type,
        &m.file_id.map(|f| f.0),
        &m.sticker_id,
        &m.duration_seconds,
        &m.reply_to_message_id.map(|r| r.0),
        &m.forwarded_from_chat_id.map(|c| c.0),
        &m.forwarded_from_message_id.map(|f| f.0),
        &m.forwarded_from_user_id.map(|u| u.0),
        &m.forwarded_from_display_name,
        &m.client_msg_id,
        &advance_sender,
        &event.event_id,
        &event.routing_key,
        &event.envelope,
    ];
    let stored = conn.query_one(&send, &params).await?;
    let row = from_pg(&stored)?;
    Ok(if stored.try_get::<_, bool>("created")? {
        Stored::New(row)
    } else {
        Stored::Existing(row)
    })
}

/// A row of [`messages::SEND`] (its `cols!` columns by name).
fn from_pg(r: &tokio_postgres::Row) -> std::result::Result<MessageRow, tokio_postgres::Error> {
    Ok(MessageRow {
        id: MessageId(r.try_get("id")?),
        chat_id: ChatId(r.try_get("chat_id")?),
        seq: r.try_get("seq")?,
        sender_id: UserId(r.try_get("sender_id")?),
        content: r.try_get("content")?,
        message_type: r.try_get("message_type")?,
        file_id: r.try_get::<_, Option<i64>>("file_id")?.map(FileId),
        sticker_id: r.try_get("sticker_id")?,
        duration_seconds: r.try_get("duration_seconds")?,
        reply_to_message_id: r
            .try_get::<_, Option<i64>>("reply_to_message_id")?
            .map(MessageId),
        forwarded_from_chat_id: r
            .try_get::<_, Option<i64>>("forwarded_from_chat_id")?
            .map(ChatId),
        forwarded_from_message_id: r
            .try_get::<_, Option<i64>>("forwarded_from_message_id")?
            .map(MessageId),
        forwarded_from_user_id: r
            .try_get::<_, Option<i64>>("forwarded_from_user_id")?
            .map(UserId),
        forwarded_from_display_name: r.try_get("forwarded_from_display_name")?,
        is_deleted: r.try_get("is_deleted")?,
        is_edited: r.try_get("is_edited")?,
        updated_at: r.try_get("updated_at")?,
        created_at: r.try_get("created_at")?,
        client_msg_id: r.try_get("client_msg_id")?,
    })
}
