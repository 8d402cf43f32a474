//! The `invites` table (§8, §18.8): no expiry, no use limit, valid until revoked.

use chorus_proto::{ChatId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub token: String,
    pub chat_id: ChatId,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    tx: &mut PgConnection,
    chat_id: ChatId,
    token: &str,
    created_by: UserId,
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
pub async fn active_of(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<Vec<InviteRow>> {
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

/// Locks an active invite until the transaction ends (a revoke racing a join
/// wins or loses whole); false when it is revoked by now.
pub async fn lock_active(tx: &mut PgConnection, token: &str) -> sqlx::Result<bool> {
    let found: Option<ChatId> = sqlx::query_scalar(
        "SELECT chat_id FROM invites WHERE token = $1 AND revoked_at IS NULL FOR SHARE",
    )
    .bind(token)
    .fetch_optional(tx)
    .await?;
    Ok(found.is_some())
}
