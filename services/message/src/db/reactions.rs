//! `message_reactions`.

use chorus_proto::{ChatId, MessageId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

/// Adds the reaction, or removes it when the user already has it. True = added.
///
/// Insert first: a concurrent toggle of the same key waits on the unique index
/// until the first commits and then finds the row and removes it, so two
/// toggles always end as "added" then "removed", never "added" twice.
pub async fn toggle(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
    emoji: &str,
) -> sqlx::Result<bool> {
    let added = sqlx::query(
        "INSERT INTO message_reactions (message_id, user_id, emoji, chat_id) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(message_id)
    .bind(user_id)
    .bind(emoji)
    .bind(chat_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if added {
        return Ok(true);
    }
    sqlx::query(
        "DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3",
    )
    .bind(message_id)
    .bind(user_id)
    .bind(emoji)
    .execute(&mut *tx)
    .await?;
    Ok(false)
}

#[derive(Debug, Clone, FromRow)]
pub struct Group {
    pub message_id: MessageId,
    pub emoji: String,
    pub count: i64,
    pub me: bool,
    pub first_at: DateTime<Utc>,
}

/// Emoji groups of the chat's messages among `ids`, by message then first reaction time.
pub async fn groups(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    ids: &[MessageId],
    user_id: UserId,
) -> sqlx::Result<Vec<Group>> {
    sqlx::query_as(
        "SELECT message_id, emoji, count(*) AS count, bool_or(user_id = $3) AS me, \
                min(created_at) AS first_at \
         FROM message_reactions WHERE chat_id = $1 AND message_id = ANY($2) \
         GROUP BY message_id, emoji ORDER BY message_id, first_at, emoji",
    )
    .bind(chat_id)
    .bind(ids)
    .bind(user_id)
    .fetch_all(db)
    .await
}
