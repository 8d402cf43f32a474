//! `file_uses`: where files are in use, projected from other services' events
//! (attachments per chat, user and chat avatars).

use chorus_proto::{ChatId, FileId};
use sqlx::{PgConnection, PgPool};

pub const CHAT: &str = "chat";
pub const USER_AVATAR: &str = "user_avatar";
pub const CHAT_AVATAR: &str = "chat_avatar";

/// Records a use of a file that exists (an unknown file id records nothing).
pub async fn add(
    tx: &mut PgConnection,
    file_id: i64,
    kind: &str,
    owner_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO file_uses (file_id, kind, owner_id) \
         SELECT id, $2, $3 FROM files WHERE id = $1 AND state = 'ready' \
         ON CONFLICT DO NOTHING",
    )
    .bind(file_id)
    .bind(kind)
    .bind(owner_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Replaces the avatar of a user or chat (one statement each way, so two
/// changes racing cannot both stay).
pub async fn set_avatar(
    tx: &mut PgConnection,
    kind: &str,
    owner_id: i64,
    file_id: Option<i64>,
) -> sqlx::Result<()> {
    match file_id {
        Some(id) => sqlx::query(
            "INSERT INTO file_uses (file_id, kind, owner_id) \
             SELECT id, $2, $3 FROM files WHERE id = $1 AND state = 'ready' \
             ON CONFLICT (kind, owner_id) WHERE kind <> 'chat' DO UPDATE SET file_id = EXCLUDED.file_id",
        )
        .bind(id)
        .bind(kind)
        .bind(owner_id)
        .execute(&mut *tx)
        .await
        .map(drop),
        None => sqlx::query("DELETE FROM file_uses WHERE kind = $1 AND owner_id = $2")
            .bind(kind)
            .bind(owner_id)
            .execute(&mut *tx)
            .await
            .map(drop),
    }
}

/// Removes every use owned by a chat (its attachments and avatar); returns the files.
pub async fn remove_chat(tx: &mut PgConnection, chat_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "DELETE FROM file_uses WHERE owner_id = $1 AND kind IN ('chat', 'chat_avatar') \
         RETURNING file_id",
    )
    .bind(chat_id)
    .fetch_all(&mut *tx)
    .await
}

/// Of `ids`, the files used nowhere any more (and not stickers).
pub async fn unused(tx: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT f.id FROM files f WHERE f.id = ANY($1) \
         AND NOT EXISTS (SELECT 1 FROM file_uses u WHERE u.file_id = f.id) \
         AND NOT EXISTS (SELECT 1 FROM stickers s WHERE s.file_id = f.id)",
    )
    .bind(ids)
    .fetch_all(&mut *tx)
    .await
}

/// Files a user uploaded that are in use nowhere (not sent, not an avatar).
pub async fn unused_files_of(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT f.id FROM files f WHERE f.uploader_id = $1 AND f.state = 'ready' \
         AND NOT EXISTS (SELECT 1 FROM file_uses u WHERE u.file_id = f.id) \
         AND NOT EXISTS (SELECT 1 FROM stickers s WHERE s.file_id = f.id)",
    )
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await
}

/// How a file is in use, for download authorisation (D12).
#[derive(Debug, Default)]
pub struct Uses {
    /// A user or chat avatar, or a sticker: everyone may see it.
    pub public: bool,
    /// Chats with a message that carries the file.
    pub chats: Vec<ChatId>,
}

pub async fn of(db: &PgPool, file_id: FileId) -> sqlx::Result<Uses> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, owner_id FROM file_uses WHERE file_id = $1 \
         UNION ALL SELECT 'sticker', id FROM stickers WHERE file_id = $1",
    )
    .bind(file_id)
    .fetch_all(db)
    .await?;
    let mut uses = Uses::default();
    for (kind, owner) in rows {
        if kind == CHAT {
            uses.chats.push(ChatId(owner));
        } else {
            uses.public = true;
        }
    }
    Ok(uses)
}
