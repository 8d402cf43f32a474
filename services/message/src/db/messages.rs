//! `messages`, `chat_seq` and the delete-for-me marks.

use chorus_proto::{ChatId, FileId, MessageId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

/// The columns of a full message row, for `concat!` into static SQL.
macro_rules! cols {
    () => {
        "m.id, m.chat_id, m.seq, m.sender_id, m.content, m.message_type, m.file_id, \
         m.sticker_id, m.duration_seconds, m.reply_to_message_id, m.forwarded_from_chat_id, \
         m.forwarded_from_message_id, m.forwarded_from_user_id, m.forwarded_from_display_name, \
         m.is_deleted, m.is_edited, m.updated_at, m.created_at, m.client_msg_id"
    };
}

/// Visible to the caller: not deleted for everyone, not deleted for them ($2).
macro_rules! visible {
    () => {
        " AND NOT m.is_deleted AND NOT EXISTS (SELECT 1 FROM deleted_messages d \
          WHERE d.user_id = $2 AND d.message_id = m.id) "
    };
}

#[derive(Debug, Clone, FromRow)]
pub struct MessageRow {
    pub id: MessageId,
    pub chat_id: ChatId,
    pub seq: i64,
    pub sender_id: UserId,
    pub content: String,
    pub message_type: String,
    pub file_id: Option<FileId>,
    pub sticker_id: Option<i64>,
    pub duration_seconds: Option<i32>,
    pub reply_to_message_id: Option<MessageId>,
    pub forwarded_from_chat_id: Option<ChatId>,
    pub forwarded_from_message_id: Option<MessageId>,
    pub forwarded_from_user_id: Option<UserId>,
    pub forwarded_from_display_name: Option<String>,
    pub is_deleted: bool,
    pub is_edited: bool,
    pub updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub client_msg_id: Option<String>,
}

/// The unique constraint behind `client_msg_id` retries.
pub const CLIENT_MSG_ID_KEY: &str = "messages_client_msg_id_key";

pub async fn by_client_msg_id(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    sender_id: UserId,
    client_msg_id: &str,
) -> sqlx::Result<Option<MessageRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1 AND m.sender_id = $2 AND m.client_msg_id = $3"
    ))
    .bind(chat_id)
    .bind(sender_id)
    .bind(client_msg_id)
    .fetch_optional(db)
    .await
}

/// A message of the chat, deleted or not.
pub async fn in_chat(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    id: MessageId,
) -> sqlx::Result<Option<MessageRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.id = $1 AND m.chat_id = $2"
    ))
    .bind(id)
    .bind(chat_id)
    .fetch_optional(db)
    .await
}

/// Messages by id, any chat, deleted or not (reply targets).
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[MessageId]) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.id = ANY($1)"
    ))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Non-deleted messages of the chat among `ids`, ascending id (forward sources).
pub async fn live_in_chat(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    ids: &[MessageId],
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1 AND m.id = ANY($2) AND NOT m.is_deleted \
          ORDER BY m.id"
    ))
    .bind(chat_id)
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Which page of a chat's history to read (§9.4 plus `after_seq`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Page {
    Newest,
    BeforeId(MessageId),
    BeforeTime(DateTime<Utc>),
    AfterId(MessageId),
    AfterSeq(i64),
}

/// One page of the messages visible to `user_id`, always oldest → newest.
///
/// The id cursors order by id alone: within a chat, ids, seqs and `created_at`
/// grow together (see `db::store`), so this is the contract's `created_at, id`
/// order, and it lets `id < $4` be an index range on `(chat_id, id)` instead of
/// a filter over every newer row (a page from the middle of a 1M-message chat:
/// 44 ms → sub-millisecond).
pub async fn page(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
    page: Page,
    limit: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    const NEWEST: &str = concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1",
        visible!(),
        "ORDER BY m.created_at DESC, m.id DESC LIMIT $3"
    );
    const BEFORE_ID: &str = concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1",
        visible!(),
        "AND m.id < $4 ORDER BY m.id DESC LIMIT $3"
    );
    const BEFORE_TIME: &str = concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1",
        visible!(),
        "AND m.created_at < $4 ORDER BY m.created_at DESC, m.id DESC LIMIT $3"
    );
    const AFTER_ID: &str = concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1",
        visible!(),
        "AND m.id > $4 ORDER BY m.id LIMIT $3"
    );
    const AFTER_SEQ: &str = concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1",
        visible!(),
        "AND m.seq > $4 ORDER BY m.seq LIMIT $3"
    );
    let q = |sql: &'static str| {
        sqlx::query_as::<_, MessageRow>(sql)
            .bind(chat_id)
            .bind(user_id)
            .bind(limit)
    };
    let (query, newest_first) = match page {
        Page::Newest => (q(NEWEST), true),
        Page::BeforeId(id) => (q(BEFORE_ID).bind(id), true),
        Page::BeforeTime(ts) => (q(BEFORE_TIME).bind(ts), true),
        Page::AfterId(id) => (q(AFTER_ID).bind(id), false),
        Page::AfterSeq(seq) => (q(AFTER_SEQ).bind(seq), false),
    };
    let mut rows = query.fetch_all(db).await?;
    if newest_first {
        rows.reverse();
    }
    Ok(rows)
}

/// The search statement: $1 chat, $2 user, $3 ILIKE pattern, $4 limit, $5
/// before id (public so a test can EXPLAIN the statement that really runs).
pub const SEARCH_SQL: &str = concat!(
    "SELECT ",
    cols!(),
    " FROM messages m WHERE m.chat_id = $1",
    visible!(),
    "AND m.message_type = 'text' AND m.content ILIKE $3 AND m.id < $5 \
     ORDER BY m.id DESC LIMIT $4"
);

/// Text messages visible to `user_id` whose content matches the ILIKE `pattern`,
/// newest first (§9.5). The `message_type = 'text'` literal lets the planner use
/// the partial trigram index; id order is `created_at` order within a chat (see
/// [`page`]) and keeps deep `before_id` pages an index range.
pub async fn search(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
    pattern: &str,
    before_id: Option<MessageId>,
    limit: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(SEARCH_SQL)
        .bind(chat_id)
        .bind(user_id)
        .bind(pattern)
        .bind(limit)
        .bind(before_id.map_or(i64::MAX, |id| id.0))
        .fetch_all(db)
        .await
}

/// Catch-up by seq for the edge: includes messages deleted for everyone, skips
/// the user's delete-for-me marks.
pub async fn after_seq_all(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
    after_seq: i64,
    limit: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(concat!(
        "SELECT ",
        cols!(),
        " FROM messages m WHERE m.chat_id = $1 AND m.seq > $3 AND NOT EXISTS \
          (SELECT 1 FROM deleted_messages d WHERE d.user_id = $2 AND d.message_id = m.id) \
          ORDER BY m.seq LIMIT $4"
    ))
    .bind(chat_id)
    .bind(user_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn edit(
    tx: &mut PgConnection,
    chat_id: ChatId,
    id: MessageId,
    sender_id: UserId,
    content: &str,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "UPDATE messages SET content = $4, is_edited = TRUE, updated_at = now() \
         WHERE id = $1 AND chat_id = $2 AND sender_id = $3 AND message_type = 'text' \
         AND NOT is_deleted RETURNING updated_at",
    )
    .bind(id)
    .bind(chat_id)
    .bind(sender_id)
    .bind(content)
    .fetch_optional(&mut *tx)
    .await
}

/// Marks the message deleted for everyone; false if it already was.
pub async fn delete_for_everyone(
    tx: &mut PgConnection,
    chat_id: ChatId,
    id: MessageId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE messages SET is_deleted = TRUE WHERE id = $1 AND chat_id = $2 AND NOT is_deleted",
    )
    .bind(id)
    .bind(chat_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides the message for the user (idempotent).
pub async fn delete_for_me(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    chat_id: ChatId,
    id: MessageId,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO deleted_messages (user_id, message_id, chat_id) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(id)
    .bind(chat_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The highest message id of the chat, 0 when empty.
pub async fn last_id(db: impl PgExecutor<'_>, chat_id: ChatId) -> sqlx::Result<MessageId> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM messages WHERE chat_id = $1")
        .bind(chat_id)
        .fetch_one(db)
        .await
}

/// Everything the service holds about a chat, when the chat is deleted.
pub async fn purge_chat(tx: &mut PgConnection, chat_id: ChatId) -> sqlx::Result<()> {
    for sql in [
        "DELETE FROM message_reactions WHERE chat_id = $1",
        "DELETE FROM deleted_messages WHERE chat_id = $1",
        "DELETE FROM pinned_messages WHERE chat_id = $1",
        "DELETE FROM chat_last_read WHERE chat_id = $1",
        "DELETE FROM messages WHERE chat_id = $1",
        "DELETE FROM chat_seq WHERE chat_id = $1",
    ] {
        sqlx::query(sql).bind(chat_id).execute(&mut *tx).await?;
    }
    Ok(())
}
