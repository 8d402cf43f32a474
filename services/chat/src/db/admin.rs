//! The admin service's reads of chats (§14.1, §14.3, §14.6): the per-type
//! counters, a user's memberships and chats by id, each with its member count.

use chorus_proto::{ChatId, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Chats per type (only types with at least one chat), from `chat_type_counts`.
pub async fn counts_by_type(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT type, count FROM chat_type_counts WHERE count > 0 ORDER BY type")
        .fetch_all(db)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Brief {
    pub id: ChatId,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub member_count: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Membership {
    #[sqlx(flatten)]
    pub chat: Brief,
    pub role: String,
    pub joined_at: DateTime<Utc>,
}

/// Every membership of the user, `joined_at` descending.
pub async fn memberships(
    db: impl PgExecutor<'_>,
    user_id: UserId,
) -> sqlx::Result<Vec<Membership>> {
    sqlx::query_as(
        "SELECT c.id, c.type, c.name, c.title, c.updated_at, m.role, m.joined_at, \
                (SELECT count(*) FROM chat_members n WHERE n.chat_id = c.id) AS member_count \
         FROM chat_members m JOIN chats c ON c.id = m.chat_id \
         WHERE m.user_id = $1 ORDER BY m.joined_at DESC, c.id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The chats that exist among `ids`.
pub async fn many(db: impl PgExecutor<'_>, ids: &[i64]) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as(
        "SELECT c.id, c.type, c.name, c.title, c.updated_at, \
                (SELECT count(*) FROM chat_members n WHERE n.chat_id = c.id) AS member_count \
         FROM chats c WHERE c.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}
