//! The `chats` table.

use super::chat_type_at;
use chorus_proto::{ChatId, ChatType, FileId, UserId};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, PgExecutor, Row};

#[derive(Debug, Clone)]
pub struct ChatRow {
    pub id: ChatId,
    pub kind: ChatType,
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub public_name: Option<String>,
    pub owner_id: UserId,
    pub avatar_file_id: Option<FileId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// By hand: the `type` column is read into `ChatType` (a foreign type sqlx cannot decode).
impl<'r> FromRow<'r, PgRow> for ChatRow {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            kind: chat_type_at(row, "type")?,
            name: row.try_get("name")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            public_name: row.try_get("public_name")?,
            owner_id: row.try_get("owner_id")?,
            avatar_file_id: row.try_get("avatar_file_id")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// The `ChatRow` columns, as a literal so queries stay `&'static str` (no dynamic SQL).
macro_rules! chat_columns {
    () => {
        "id, type, name, title, description, public_name::text AS public_name, \
         owner_id, avatar_file_id, created_at, updated_at"
    };
}

/// The unique constraint behind `409 public_name already taken`.
pub const PUBLIC_NAME_KEY: &str = "chats_public_name_key";

pub struct NewChat<'a> {
    pub kind: ChatType,
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub public_name: Option<&'a str>,
    pub owner_id: UserId,
    pub is_self: bool,
}

pub async fn insert(tx: &mut PgConnection, c: &NewChat<'_>) -> sqlx::Result<ChatRow> {
    sqlx::query_as(concat!(
        "INSERT INTO chats (type, name, title, description, public_name, owner_id, is_self) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING ",
        chat_columns!()
    ))
    .bind(c.kind.as_str())
    .bind(c.name)
    .bind(c.title)
    .bind(c.description)
    .bind(c.public_name)
    .bind(c.owner_id)
    .bind(c.is_self)
    .fetch_one(tx)
    .await
}

/// Inserts the demo group (§19.1): `name` only, title and description NULL.
pub async fn insert_named_group(
    tx: &mut PgConnection,
    name: &str,
    owner_id: UserId,
) -> sqlx::Result<ChatRow> {
    sqlx::query_as(concat!(
        "INSERT INTO chats (type, name, owner_id) VALUES ('group', $1, $2) \
         RETURNING ",
        chat_columns!()
    ))
    .bind(name)
    .bind(owner_id)
    .fetch_one(tx)
    .await
}

/// A direct chat with no name, title or description (the support DM of §14.6).
pub async fn insert_bare_direct(tx: &mut PgConnection, owner_id: UserId) -> sqlx::Result<ChatRow> {
    sqlx::query_as(concat!(
        "INSERT INTO chats (type, owner_id) VALUES ('direct', $1) RETURNING ",
        chat_columns!()
    ))
    .bind(owner_id)
    .fetch_one(tx)
    .await
}

/// `updated_at = now()`; false when the chat does not exist.
pub async fn touch(tx: &mut PgConnection, id: ChatId) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE chats SET updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(db: impl PgExecutor<'_>, id: ChatId) -> sqlx::Result<Option<ChatRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        chat_columns!(),
        " FROM chats WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A chat by `public_name` (case-insensitive) with its member count.
pub async fn by_public_name(
    db: impl PgExecutor<'_>,
    public_name: &str,
) -> sqlx::Result<Option<(ChatRow, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        chat: ChatRow,
        member_count: i64,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        chat_columns!(),
        ", (SELECT count(*) FROM chat_members m WHERE m.chat_id = chats.id) AS member_count \
         FROM chats WHERE public_name = $1::citext"
    ))
    .bind(public_name)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.chat, r.member_count)))
}

/// A PATCH: `None` keeps a column; `Some(None)` stores NULL.
#[derive(Debug, Default)]
pub struct ChatPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub public_name: Option<Option<String>>,
}

/// None when the chat is gone (deleted since the role check).
pub async fn update(
    tx: &mut PgConnection,
    id: ChatId,
    p: &ChatPatch,
) -> sqlx::Result<Option<ChatRow>> {
    sqlx::query_as(concat!(
        "UPDATE chats SET \
           title = CASE WHEN $2 THEN $3 ELSE title END, \
           description = CASE WHEN $4 THEN $5 ELSE description END, \
           public_name = CASE WHEN $6 THEN $7::citext ELSE public_name END, \
           updated_at = now() \
         WHERE id = $1 \
         RETURNING ",
        chat_columns!()
    ))
    .bind(id)
    .bind(p.title.is_some())
    .bind(p.title.as_deref())
    .bind(p.description.is_some())
    .bind(p.description.as_deref())
    .bind(p.public_name.is_some())
    .bind(p.public_name.clone().flatten())
    .fetch_optional(tx)
    .await
}

/// None when the chat is gone (deleted since the role check).
pub async fn set_avatar(
    tx: &mut PgConnection,
    id: ChatId,
    file_id: FileId,
) -> sqlx::Result<Option<ChatRow>> {
    sqlx::query_as(concat!(
        "UPDATE chats SET avatar_file_id = $2, updated_at = now() WHERE id = $1 \
         RETURNING ",
        chat_columns!()
    ))
    .bind(id)
    .bind(file_id)
    .fetch_optional(tx)
    .await
}

/// Deletes the chat; memberships, invites and per-user flags go with it (cascade).
pub async fn delete(tx: &mut PgConnection, id: ChatId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM chats WHERE id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Serialises direct get-or-create for one pair of users (or one user's self-chat)
/// until the transaction ends, so concurrent requests find the same chat.
pub async fn lock_direct_pair(tx: &mut PgConnection, a: UserId, b: UserId) -> sqlx::Result<()> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('chat.direct:' || $1::text || ':' || $2::text, 0))")
        .bind(lo)
        .bind(hi)
        .execute(tx)
        .await?;
    Ok(())
}

/// A direct chat in which both users are members (§7.2).
pub async fn find_direct(
    tx: &mut PgConnection,
    a: UserId,
    b: UserId,
) -> sqlx::Result<Option<ChatId>> {
    sqlx::query_scalar(
        "SELECT c.id FROM chats c \
         JOIN chat_members ma ON ma.chat_id = c.id AND ma.user_id = $1 \
         JOIN chat_members mb ON mb.chat_id = c.id AND mb.user_id = $2 \
         WHERE c.type = 'direct' ORDER BY c.id LIMIT 1",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(tx)
    .await
}

/// A direct chat whose only member is the user, preferring real self-chats over
/// DMs the other participant left (§23 D17).
pub async fn find_self(tx: &mut PgConnection, user_id: UserId) -> sqlx::Result<Option<ChatId>> {
    sqlx::query_scalar(
        "SELECT c.id FROM chats c \
         JOIN chat_members m ON m.chat_id = c.id AND m.user_id = $1 \
         WHERE c.type = 'direct' \
           AND NOT EXISTS (SELECT 1 FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> $1) \
         ORDER BY c.is_self DESC, c.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(tx)
    .await
}

/// Marks a one-off data load as applied; false when it already was.
pub async fn claim_seed(tx: &mut PgConnection, name: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("INSERT INTO seeds (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the chat row until the transaction ends: FOR UPDATE by deleting and
/// leaving (which count members), FOR SHARE by joining (which adds one).
pub async fn lock(tx: &mut PgConnection, id: ChatId, shared: bool) -> sqlx::Result<()> {
    let sql = if shared {
        "SELECT 1 FROM chats WHERE id = $1 FOR SHARE"
    } else {
        "SELECT 1 FROM chats WHERE id = $1 FOR UPDATE"
    };
    sqlx::query(sql).bind(id).execute(tx).await?;
    Ok(())
}
