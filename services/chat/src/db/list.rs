//! The chat-list query (§7.3): the caller's non-archived chats with their flags,
//! member counts and, for direct chats, the other member, in one statement.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub public_name: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub avatar_file_id: Option<i64>,
    pub is_favorite: bool,
    pub is_muted: bool,
    pub is_pinned: bool,
    pub member_count: i64,
    pub other_user_id: Option<i64>,
}

pub async fn chats_of(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<ListRow>> {
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
