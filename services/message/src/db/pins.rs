//! `pinned_messages`: pin history, at most one active pin per chat.

use chorus_proto::{ChatId, MessageId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct Pin {
    pub message_id: MessageId,
    pub pinned_by: UserId,
    pub pinned_at: DateTime<Utc>,
}

/// The partial unique index that keeps one active pin per chat.
pub const ACTIVE_KEY: &str = "pinned_messages_active_key";

/// Ends the chat's active pin (if any) and makes `message_id` the active one.
pub async fn pin(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
    pinned_by: UserId,
) -> sqlx::Result<Pin> {
    sqlx::query(
        "UPDATE pinned_messages SET unpinned_at = clock_timestamp() \
         WHERE chat_id = $1 AND unpinned_at IS NULL",
    )
    .bind(chat_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query_as(
        "INSERT INTO pinned_messages (chat_id, message_id, pinned_by) VALUES ($1, $2, $3) \
         RETURNING message_id, pinned_by, pinned_at",
    )
    .bind(chat_id)
    .bind(message_id)
    .bind(pinned_by)
    .fetch_one(&mut *tx)
    .await
}

/// Ends the active pin if it is `message_id`; false when it is not.
pub async fn unpin(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE pinned_messages SET unpinned_at = clock_timestamp() \
         WHERE chat_id = $1 AND message_id = $2 AND unpinned_at IS NULL",
    )
    .bind(chat_id)
    .bind(message_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn active(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<Option<Pin>> {
    sqlx::query_as(
        "SELECT message_id, pinned_by, pinned_at FROM pinned_messages \
         WHERE chat_id = $1 AND unpinned_at IS NULL",
    )
    .bind(chat_id)
    .fetch_optional(db)
    .await
}
