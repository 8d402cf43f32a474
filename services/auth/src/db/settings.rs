//! The `user_settings` table (§6, §18.10); values are text, the domain's
//! vocabularies convert at this boundary.

use crate::domain::settings::{SettingsPatch, Vocab};
use chorus_proto::UserId;
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SettingsRow {
    pub theme: String,
    pub notifications_enabled: bool,
    pub language: String,
    pub last_seen_visibility: String,
    pub read_receipts_enabled: bool,
}

pub async fn create_default(db: impl PgExecutor<'_>, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO user_settings (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Creates the default row if missing and returns the settings.
pub async fn get_or_create(
    db: impl PgExecutor<'_>,
    user_id: UserId,
) -> Result<SettingsRow, sqlx::Error> {
    sqlx::query_as(
        "WITH ins AS (INSERT INTO user_settings (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING \
           RETURNING theme, notifications_enabled, language, last_seen_visibility, read_receipts_enabled) \
         SELECT * FROM ins UNION ALL \
         SELECT theme, notifications_enabled, language, last_seen_visibility, read_receipts_enabled \
           FROM user_settings WHERE user_id = $1 LIMIT 1",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}

pub async fn upsert(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    p: &SettingsPatch,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_settings AS s (user_id, theme, notifications_enabled, language, last_seen_visibility, \
           read_receipts_enabled) \
         VALUES ($1, COALESCE($2, 'light'), COALESCE($3, TRUE), COALESCE($4, 'en'), COALESCE($5, 'everyone'), \
           COALESCE($6, TRUE)) \
         ON CONFLICT (user_id) DO UPDATE SET theme = COALESCE($2, s.theme), \
           notifications_enabled = COALESCE($3, s.notifications_enabled), language = COALESCE($4, s.language), \
           last_seen_visibility = COALESCE($5, s.last_seen_visibility), \
           read_receipts_enabled = COALESCE($6, s.read_receipts_enabled)",
    )
    .bind(user_id)
    .bind(p.theme.map(Vocab::as_str))
    .bind(p.notifications_enabled)
    .bind(p.language.map(Vocab::as_str))
    .bind(p.last_seen_visibility.map(Vocab::as_str))
    .bind(p.read_receipts_enabled)
    .execute(db)
    .await?;
    Ok(())
}
