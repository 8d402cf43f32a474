//! The `chat_members` table: who belongs to which chat, with which role.

use super::{chat_type_at, role_at};
use chorus_proto::{ChatId, ChatType, Role, UserId};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, PgExecutor, Row};

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub user_id: UserId,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

impl<'r> FromRow<'r, PgRow> for MemberRow {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            user_id: row.try_get("user_id")?,
            role: role_at(row, "role")?,
            joined_at: row.try_get("joined_at")?,
        })
    }
}

/// A caller's standing in a chat: the chat's type and their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub kind: ChatType,
    pub role: Role,
}

impl<'r> FromRow<'r, PgRow> for Standing {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            kind: chat_type_at(row, "type")?,
            role: role_at(row, "role")?,
        })
    }
}

/// The caller's standing, or `None` when the chat is missing or they are not a member.
pub async fn standing(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
) -> sqlx::Result<Option<Standing>> {
    sqlx::query_as(
        "SELECT c.type, m.role FROM chat_members m JOIN chats c ON c.id = m.chat_id \
         WHERE m.chat_id = $1 AND m.user_id = $2",
    )
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Like [`standing`], locking the membership row until the transaction ends.
pub async fn standing_for_update(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
) -> sqlx::Result<Option<Standing>> {
    sqlx::query_as(
        "SELECT c.type, m.role FROM chat_members m JOIN chats c ON c.id = m.chat_id \
         WHERE m.chat_id = $1 AND m.user_id = $2 FOR UPDATE OF m",
    )
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(tx)
    .await
}

pub async fn is_member(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM chat_members WHERE chat_id = $1 AND user_id = $2)",
    )
    .bind(chat_id)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Adds one member; false when they already were one.
pub async fn add(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
    role: Role,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO chat_members (chat_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (chat_id, user_id) DO NOTHING",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(role.as_str())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds many members with one role in one statement (duplicates ignored).
pub async fn add_many(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_ids: &[UserId],
    role: Role,
) -> sqlx::Result<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO chat_members (chat_id, user_id, role) \
         SELECT $1, u, $3 FROM UNNEST($2::bigint[]) AS u \
         ON CONFLICT (chat_id, user_id) DO NOTHING",
    )
    .bind(chat_id)
    .bind(user_ids)
    .bind(role.as_str())
    .execute(tx)
    .await?;
    Ok(())
}

/// Current members, `joined_at` ascending.
pub async fn list(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(
        "SELECT user_id, role, joined_at FROM chat_members WHERE chat_id = $1 \
         ORDER BY joined_at, user_id",
    )
    .bind(chat_id)
    .fetch_all(db)
    .await
}

pub async fn count(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM chat_members WHERE chat_id = $1")
        .bind(chat_id)
        .fetch_one(db)
        .await
}

pub async fn remove(tx: &mut PgConnection, chat_id: ChatId, user_id: UserId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2")
        .bind(chat_id)
        .bind(user_id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Changes a member's role from `from` to `to`; false when their role was not `from`.
pub async fn change_role(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
    from: Role,
    to: Role,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE chat_members SET role = $4 WHERE chat_id = $1 AND user_id = $2 AND role = $3",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every chat the user is a member of.
pub async fn chats_of(db: impl PgExecutor<'_>, user_id: UserId) -> sqlx::Result<Vec<ChatId>> {
    sqlx::query_scalar("SELECT chat_id FROM chat_members WHERE user_id = $1 ORDER BY chat_id")
        .bind(user_id)
        .fetch_all(db)
        .await
}

/// Distinct users sharing at least one chat with the user (the user excluded).
pub async fn contacts(db: impl PgExecutor<'_>, user_id: UserId) -> sqlx::Result<Vec<UserId>> {
    sqlx::query_scalar(
        "SELECT DISTINCT o.user_id FROM chat_members m \
         JOIN chat_members o ON o.chat_id = m.chat_id AND o.user_id <> m.user_id \
         WHERE m.user_id = $1 ORDER BY o.user_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// A chat's type and the user's role in it (`None` role: not a member);
/// `None` when the chat does not exist.
pub async fn role_in(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
) -> sqlx::Result<Option<(String, Option<String>)>> {
    sqlx::query_as(
        "SELECT c.type, m.role FROM chats c \
         LEFT JOIN chat_members m ON m.chat_id = c.id AND m.user_id = $2 WHERE c.id = $1",
    )
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

pub async fn chat_exists(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM chats WHERE id = $1)")
        .bind(chat_id)
        .fetch_one(db)
        .await
}
