//! The chat-list query (§7.3): the caller's non-archived chats with their flags,
//! member counts and, for direct chats, the other member, in one statement.

use super::chat_type_at;
use chorus_proto::{ChatId, ChatType, FileId, UserId};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgExecutor, Row};

#[derive(Debug, Clone)]
pub struct ListRow {
    pub id: ChatId,
    pub kind: ChatType,
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub public_name: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub avatar_file_id: Option<FileId>,
    pub is_favorite: bool,
    pub is_muted: bool,
    pub is_pinned: bool,
    pub member_count: i64,
    pub other_user_id: Option<UserId>,
}

// By hand: the `type` column is read into `ChatType` (a foreign type sqlx cannot decode).
impl<'r> FromRow<'r, PgRow> for ListRow {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            kind: chat_type_at(row, "type")?,
            name: row.try_get("name")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            public_name: row.try_get("public_name")?,
            updated_at: row.try_get("updated_at")?,
            avatar_file_id: row.try_get("avatar_file_id")?,
            is_favorite: row.try_get("is_favorite")?,
            is_muted: row.try_get("is_muted")?,
            is_pinned: row.try_get("is_pinned")?,
            member_count: row.try_get("member_count")?,
            other_user_id: row.try_get("other_user_id")?,
        })
    }
}

pub async fn chats_of(db: impl PgExecutor<'_>, user_id: UserId) -> sqlx::Result<Vec<ListRow>> {
    sqlx::query_as(
        "SELECT c.id, c.type, c.name, c.title, c.description, c.public_name::text AS public_name, \
           c.updated_at, c.avatar_file_id, \
           EXISTS (SELECT 1 FROM chat_favorites f WHERE f.user_id = $1 AND f.chat_id = c.id) AS is_favorite, \
           EXISTS (SELECT 1 FROM chat_mutes u WHERE u.user_id = $1 AND u.chat_id = c.id) AS is_muted, \
           EXISTS (SELECT 1 FROM chat_pins p WHERE p.user_id = $1 AND p.chat_id = c.id) AS is_pinned, \
           (SELECT count(*) FROM chat_members x WHERE x.chat_id = c.id) AS member_count, \
           CASE WHEN c.type = 'direct' THEN \
             (SELECT o.user_id FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> $1 \
              ORDER BY o.joined_at, o.user_id LIMIT 1) \
           END AS other_user_id \
         FROM chat_members m JOIN chats c ON c.id = m.chat_id \
         WHERE m.user_id = $1 \
           AND NOT EXISTS (SELECT 1 FROM chat_archives a WHERE a.user_id = $1 AND a.chat_id = c.id)",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}
