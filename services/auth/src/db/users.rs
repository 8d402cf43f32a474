//! The `users` table.

use chorus_proto::{FileId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub avatar_file_id: Option<FileId>,
    pub is_active: bool,
    pub is_admin: bool,
    pub is_blocked: bool,
    pub created_at: DateTime<Utc>,
    pub last_activity: Option<DateTime<Utc>>,
}

/// A user row plus their privacy settings (absent row ⇒ defaults).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserWithPrivacy {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub last_seen_visibility: String,
    pub read_receipts_enabled: bool,
}

const COLUMNS: &str = "u.id, u.username::text AS username, u.email::text AS email, u.display_name, u.bio, \
    u.avatar_file_id, u.is_active, u.is_admin, u.is_blocked, u.created_at, u.last_activity";

const PRIVACY: &str = "COALESCE(s.last_seen_visibility, 'everyone') AS last_seen_visibility, \
    COALESCE(s.read_receipts_enabled, TRUE) AS read_receipts_enabled";

pub async fn insert(
    tx: &mut PgConnection,
    username: &str,
    email: &str,
    password_hash: &str,
    display_name: &str,
) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(username)
    .bind(email)
    .bind(password_hash)
    .bind(display_name)
    .fetch_one(tx)
    .await
}

pub async fn by_id(db: impl PgExecutor<'_>, id: UserId) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users u WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Active users with their privacy settings, for profile lookups.
pub async fn active_with_privacy_by_id(
    db: impl PgExecutor<'_>,
    id: UserId,
) -> Result<Option<UserWithPrivacy>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {PRIVACY} FROM users u LEFT JOIN user_settings s ON s.user_id = u.id \
         WHERE u.id = $1 AND u.is_active"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn active_with_privacy_by_username(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<UserWithPrivacy>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {PRIVACY} FROM users u LEFT JOIN user_settings s ON s.user_id = u.id \
         WHERE u.username = $1::citext AND u.is_active"
    )))
    .bind(username)
    .fetch_optional(db)
    .await
}

/// Any users by id (active or not), for internal batched lookups.
pub async fn many_with_privacy(
    db: impl PgExecutor<'_>,
    ids: &[i64],
) -> Result<Vec<UserWithPrivacy>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {PRIVACY} FROM users u LEFT JOIN user_settings s ON s.user_id = u.id \
         WHERE u.id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// `ILIKE '%q%'` on username or display name; `%` and `_` in `q` stay wildcards (§5.5).
pub async fn search(db: impl PgExecutor<'_>, q: &str) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users u WHERE u.is_active \
         AND (u.username::text ILIKE '%' || $1 || '%' OR u.display_name ILIKE '%' || $1 || '%') \
         ORDER BY u.username LIMIT 50"
    )))
    .bind(q)
    .fetch_all(db)
    .await
}

/// What login needs: the hash and the flags, for an active account.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    pub is_admin: bool,
    pub is_blocked: bool,
}

pub async fn credentials(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash, is_admin, is_blocked FROM users WHERE username = $1::citext AND is_active",
    )
    .bind(username)
    .fetch_optional(db)
    .await
}

pub async fn set_password_hash(
    db: impl PgExecutor<'_>,
    id: UserId,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn touch_activity(db: impl PgExecutor<'_>, id: UserId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET last_activity = now() WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Updates the public profile; `None` for `username` keeps it.
pub async fn update_profile(
    tx: &mut PgConnection,
    id: UserId,
    display_name: &str,
    bio: &str,
    username: Option<&str>,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users u SET display_name = $2, bio = $3, username = COALESCE($4::citext, u.username) \
         WHERE u.id = $1 RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(display_name)
    .bind(bio)
    .bind(username)
    .fetch_optional(tx)
    .await
}

pub async fn set_avatar(
    tx: &mut PgConnection,
    id: UserId,
    file_id: FileId,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users u SET avatar_file_id = $2 WHERE u.id = $1 RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(file_id)
    .fetch_optional(tx)
    .await
}

/// Sets a moderation flag; returns the updated row when the user exists.
pub async fn set_flags(
    tx: &mut PgConnection,
    id: UserId,
    blocked: Option<bool>,
    active: Option<bool>,
    toggle_admin: bool,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users u SET is_blocked = COALESCE($2, u.is_blocked), is_active = COALESCE($3, u.is_active), \
         is_admin = CASE WHEN $4 THEN NOT u.is_admin ELSE u.is_admin END WHERE u.id = $1 RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(blocked)
    .bind(active)
    .bind(toggle_admin)
    .fetch_optional(tx)
    .await
}

/// The support account's address follows the configured primary domain (§19.0).
pub async fn set_support_email(db: impl PgExecutor<'_>, domain: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = 'support@' || $1 WHERE username = 'chorus_support' AND email <> 'support@' || $1")
        .bind(domain)
        .execute(db)
        .await?;
    Ok(())
}
