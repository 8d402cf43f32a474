//! The `refresh_tokens` table: one family per login session (§2.3, §18.9).

use chorus_proto::UserId;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

pub async fn insert(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    family_id: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(family_id)
        .bind(token_hash)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct StoredToken {
    pub id: i64,
    pub user_id: UserId,
    pub family_id: String,
    pub expires_at: DateTime<Utc>,
    pub rotated: bool,
    pub revoked: bool,
    pub user_usable: bool,
    pub is_admin: bool,
}

/// Locks the token row so that two concurrent refreshes cannot both rotate it.
pub async fn lock_by_hash(
    tx: &mut PgConnection,
    token_hash: &str,
) -> Result<Option<StoredToken>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.user_id, t.family_id, t.expires_at, t.rotated_at IS NOT NULL AS rotated, t.revoked, \
         (u.is_active AND NOT u.is_blocked) AS user_usable, u.is_admin \
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 FOR UPDATE OF t",
    )
    .bind(token_hash)
    .fetch_optional(tx)
    .await
}

pub async fn mark_rotated(tx: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn revoke_family(db: impl PgExecutor<'_>, family_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE refresh_tokens SET revoked = TRUE WHERE family_id = $1 AND NOT revoked")
        .bind(family_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn revoke_user(db: impl PgExecutor<'_>, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = $1 AND NOT revoked")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}
