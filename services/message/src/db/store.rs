//! Storing messages: a send stores its message and its event in one
//! statement ([`SEND`], one round trip, no explicit transaction); a forward
//! stores its copies in the caller's transaction ([`insert_copy`]).

use super::messages::MessageRow;
use crate::error::Result;
use chorus_events::OutboxRow;
use chorus_proto::{ChatId, FileId, MessageId, UserId};
use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use sqlx::{FromRow, PgConnection};
use tokio_postgres::types::ToSql;

/// A message to insert (send or forwarded copy).
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub chat_id: ChatId,
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
    pub client_msg_id: Option<String>,
}

impl NewMessage {
    /// The row this message will be once stored, but for what the database
    /// assigns: id and seq are 0 and `created_at` is `now`.
    pub fn unstored_row(&self, now: DateTime<Utc>) -> MessageRow {
        MessageRow {
            id: MessageId(0),
            chat_id: self.chat_id,
            seq: 0,
            sender_id: self.sender_id,
            content: self.content.clone(),
            message_type: self.message_type.clone(),
            file_id: self.file_id,
            sticker_id: self.sticker_id,
            duration_seconds: self.duration_seconds,
            reply_to_message_id: self.reply_to_message_id,
            forwarded_from_chat_id: self.forwarded_from_chat_id,
            forwarded_from_message_id: self.forwarded_from_message_id,
            forwarded_from_user_id: self.forwarded_from_user_id,
            forwarded_from_display_name: self.forwarded_from_display_name.clone(),
            is_deleted: false,
            is_edited: false,
            updated_at: None,
            created_at: now,
            client_msg_id: self.client_msg_id.clone(),
        }
    }
}

/// What an insert did ([`insert_copy`], [`send`]): stored a new
/// message, or found the one an earlier request with the same
/// `client_msg_id` stored (and wrote nothing).
#[derive(Debug)]
pub enum Stored {
    New(MessageRow),
    Existing(MessageRow),
}

#[derive(FromRow)]
struct StoredRow {
    #[sqlx(flatten)]
    row: MessageRow,
    created: bool,
}

/// The CTEs that store a message: `prior` (the message an earlier request
/// with the same `client_msg_id` stored), `s` (the next seq) and `m` (the new
/// row). The seq row stays locked until the statement's transaction ends, so
/// senders of one chat are serialised: ids, seqs and `created_at` (taken
/// after the lock: the insert reads the seq first) all grow together.
macro_rules! insert_ctes {
    () => {
        concat!(
            "WITH prior AS (SELECT ",
            cols!(),
            " FROM messages m WHERE $13::text IS NOT NULL AND m.chat_id = $1 AND m.sender_id = $2 \
                   AND m.client_msg_id = $13), \
                 s AS (INSERT INTO chat_seq (chat_id, last_seq) SELECT $1, 1 \
                   WHERE NOT EXISTS (SELECT 1 FROM prior) \
                   ON CONFLICT (chat_id) DO UPDATE SET last_seq = chat_seq.last_seq + 1 \
                   RETURNING last_seq), \
                 m AS (INSERT INTO messages AS m (chat_id, seq, sender_id, content, message_type, file_id, \
                   sticker_id, duration_seconds, reply_to_message_id, forwarded_from_chat_id, \
                   forwarded_from_message_id, forwarded_from_user_id, forwarded_from_display_name, \
                   client_msg_id, created_at) \
                   SELECT $1, s.last_seq, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, clock_timestamp() \
                   FROM s RETURNING ",
            cols!(),
            ")"
        )
    };
}

/// What [`insert_ctes`] stored: the new row (`created`) or the retry's original.
macro_rules! stored_rows {
    () => {
        concat!(
            " SELECT ",
            cols!(),
            ", TRUE AS created FROM m UNION ALL SELECT ",
            cols!(),
            ", FALSE FROM prior m"
        )
    };
}

/// Stores a message ([`insert_ctes`]); run by forwards ([`insert_copy`]).
const INSERT: &str = concat!(insert_ctes!(), stored_rows!());

/// Stores a sent message and, when it is new, moves the sender's read
/// position to it (they have read their own message) and writes its
/// `message.created` outbox row ($14 event id, $15 routing key, $16
/// envelope), in one statement: one round trip and no explicit transaction, so the chat's seq row is locked
/// only while the statement runs and commits. The event was rendered before
/// the message had an id, seq and `created_at`; the statement records them
/// in `outbox.assigned` (`[id, seq, created_at µs]`) and the relay finishes
/// the envelope with them (`crate::events::finish_created`). Run by [`send`].
pub(crate) const SEND: &str = concat!(
    insert_ctes!(),
    ", r AS (INSERT INTO chat_last_read (user_id, chat_id, last_read_msg_id, last_read_seq, read_at) \
       SELECT m.sender_id, m.chat_id, m.id, m.seq, now() FROM m \
       ON CONFLICT (user_id, chat_id) DO UPDATE \
       SET last_read_msg_id = GREATEST(chat_last_read.last_read_msg_id, EXCLUDED.last_read_msg_id), \
           last_read_seq = GREATEST(chat_last_read.last_read_seq, EXCLUDED.last_read_seq), \
           read_at = now()), \
     o AS (INSERT INTO outbox (event_id, event_type, envelope, assigned) \
       SELECT $14, $15, $16, \
         ARRAY[m.id, m.seq, (EXTRACT(EPOCH FROM m.created_at) * 1000000)::bigint] FROM m)",
    stored_rows!()
);

/// Allocates the next seq and inserts a forwarded copy in the caller's
/// transaction; unlike a send ([`SEND`]), it leaves the forwarder's read
/// position alone (§9.8).
pub async fn insert_copy(tx: &mut PgConnection, m: &NewMessage) -> sqlx::Result<Stored> {
    let stored: StoredRow = sqlx::query_as(INSERT)
        .bind(m.chat_id)
        .bind(m.sender_id)
        .bind(&m.content)
        .bind(&m.message_type)
        .bind(m.file_id)
        .bind(m.sticker_id)
        .bind(m.duration_seconds)
        .bind(m.reply_to_message_id)
        .bind(m.forwarded_from_chat_id)
        .bind(m.forwarded_from_message_id)
        .bind(m.forwarded_from_user_id)
        .bind(&m.forwarded_from_display_name)
        .bind(&m.client_msg_id)
        .fetch_one(&mut *tx)
        .await?;
    Ok(if stored.created {
        Stored::New(stored.row)
    } else {
        Stored::Existing(stored.row)
    })
}

/// Stores the message and, when it is new, `event` (rendered before the
/// message had an id, seq and `created_at`; the relay finishes it). A retry
/// of a stored message (same `client_msg_id`) writes nothing and returns the
/// original. It runs on tokio-postgres, through a pool for sends alone
/// (`AppState::send_db`): sqlx's per-statement overhead cost 0.06–0.1 ms of
/// CPU per send more, and sends never queue behind the relay and the readers.
pub async fn send(pool: &Pool, m: &NewMessage, event: &OutboxRow) -> Result<Stored> {
    let conn = pool.get().await?;
    let send = conn.prepare_cached(SEND).await?;
    let params: [&(dyn ToSql + Sync); 16] = [
        &m.chat_id.0,
        &m.sender_id.0,
        &m.content,
        &m.message_type,
        &m.file_id.map(|f| f.0),
        &m.sticker_id,
        &m.duration_seconds,
        &m.reply_to_message_id.map(|r| r.0),
        &m.forwarded_from_chat_id.map(|c| c.0),
        &m.forwarded_from_message_id.map(|f| f.0),
        &m.forwarded_from_user_id.map(|u| u.0),
        &m.forwarded_from_display_name,
        &m.client_msg_id,
        &event.event_id,
        &event.routing_key,
        &event.envelope,
    ];
    let stored = conn.query_one(&send, &params).await?;
    let row = from_pg(&stored)?;
    Ok(if stored.try_get::<_, bool>("created")? {
        Stored::New(row)
    } else {
        Stored::Existing(row)
    })
}

/// A row of [`SEND`] (its `cols!` columns by name).
fn from_pg(r: &tokio_postgres::Row) -> std::result::Result<MessageRow, tokio_postgres::Error> {
    Ok(MessageRow {
        id: MessageId(r.try_get("id")?),
        chat_id: ChatId(r.try_get("chat_id")?),
        seq: r.try_get("seq")?,
        sender_id: UserId(r.try_get("sender_id")?),
        content: r.try_get("content")?,
        message_type: r.try_get("message_type")?,
        file_id: r.try_get::<_, Option<i64>>("file_id")?.map(FileId),
        sticker_id: r.try_get("sticker_id")?,
        duration_seconds: r.try_get("duration_seconds")?,
        reply_to_message_id: r
            .try_get::<_, Option<i64>>("reply_to_message_id")?
            .map(MessageId),
        forwarded_from_chat_id: r
            .try_get::<_, Option<i64>>("forwarded_from_chat_id")?
            .map(ChatId),
        forwarded_from_message_id: r
            .try_get::<_, Option<i64>>("forwarded_from_message_id")?
            .map(MessageId),
        forwarded_from_user_id: r
            .try_get::<_, Option<i64>>("forwarded_from_user_id")?
            .map(UserId),
        forwarded_from_display_name: r.try_get("forwarded_from_display_name")?,
        is_deleted: r.try_get("is_deleted")?,
        is_edited: r.try_get("is_edited")?,
        updated_at: r.try_get("updated_at")?,
        created_at: r.try_get("created_at")?,
        client_msg_id: r.try_get("client_msg_id")?,
    })
}
