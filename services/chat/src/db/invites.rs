//! The `invites` table (§8, §18.8): no expiry, no use limit, valid until revoked.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub token: String,
    pub chat_id: i64,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    tx: &mut PgConnection,
    chat_id: i64,
    token: &str,
    created_by: i64,
) -> sqlx::Result<InviteRow> {
    sqlx::query_as(
        "INSERT INTO invites (chat_id, token, created_by) VALUES ($1, $2, $3) \
         RETURNING token, chat_id, created_by, created_at, revoked_at",
    )
    .bind(chat_id)
    .bind(token)
    .bind(created_by)
    .fetch_one(tx)
    .await
}

/// Active invites of a chat, newest first.
pub async fn active_of(db: impl PgExecutor<'_>, chat_id: i64) -> sqlx::Result<Vec<InviteRow>> {
    sqlx::query_as(
        "SELECT token, chat_id, created_by, created_at, revoked_at FROM invites \
         WHERE chat_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(chat_id)
    .fetch_all(db)
    .await
}

pub async fn by_token(db: impl PgExecutor<'_>, token: &str) -> sqlx::Result<Option<InviteRow>> {
    sqlx::query_as(
        "SELECT token, chat_id, created_by, created_at, revoked_at FROM invites WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(db)
    .await
}

/// Revokes an active invite; false when it was already revoked (or is unknown).
pub async fn revoke(tx: &mut PgConnection, token: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE invites SET revoked_at = now() WHERE token = $1 AND revoked_at IS NULL",
    )
    .bind(token)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
