//! `files`: one row per object, visible only once the object is complete.

use chorus_proto::{FileId, UserId};
use sqlx::{PgConnection, PgPool};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: FileId,
    pub uploader_id: UserId,
    pub bucket: String,
    pub object_key: String,
    pub filename: String,
    pub mime_type: Option<String>,
}

const COLUMNS: &str = "id, uploader_id, bucket, object_key, filename, mime_type";

/// Reserves the row of an object about to be written (state `uploading`).
pub async fn reserve(
    db: &PgPool,
    uploader_id: UserId,
    bucket: &str,
    object_key: &str,
    filename: &str,
    mime_type: &str,
) -> sqlx::Result<FileId> {
    sqlx::query_scalar(
        "INSERT INTO files (uploader_id, bucket, object_key, filename, mime_type, state) \
         VALUES ($1, $2, $3, $4, $5, 'uploading') RETURNING id",
    )
    .bind(uploader_id)
    .bind(bucket)
    .bind(object_key)
    .bind(filename)
    .bind(mime_type)
    .fetch_one(db)
    .await
}

/// The object is complete: the file becomes visible.
pub async fn mark_ready(db: &PgPool, id: FileId, size_bytes: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE files SET state = 'ready', size_bytes = $2 WHERE id = $1 AND state = 'uploading'",
    )
    .bind(id)
    .bind(size_bytes)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(db: &PgPool, id: FileId) -> sqlx::Result<Option<FileRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM files WHERE id = $1 AND state = 'ready'"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn many(db: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM files WHERE id = ANY($1) AND state = 'ready'"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Hides files before their objects are removed; returns what to remove.
pub async fn mark_deleting(tx: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE files SET state = 'deleting' WHERE id = ANY($1) AND state = 'ready' \
         RETURNING {COLUMNS}"
    )))
    .bind(ids)
    .fetch_all(&mut *tx)
    .await
}

/// A row the janitor settles.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Unsettled {
    pub id: FileId,
    pub bucket: String,
    pub object_key: String,
    pub state: String,
}

/// Rows a crash or a cancelled request left behind: uploads older than
/// `stale_secs`, and every deletion not finished.
pub async fn unsettled(db: &PgPool, stale_secs: i64, limit: i64) -> sqlx::Result<Vec<Unsettled>> {
    sqlx::query_as(
        "SELECT id, bucket, object_key, state FROM files \
         WHERE (state = 'uploading' AND created_at < now() - make_interval(secs => $1)) \
            OR state = 'deleting' \
         ORDER BY created_at LIMIT $2",
    )
    .bind(stale_secs as f64)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Forgets a row whose object is gone, unless it changed state meanwhile.
pub async fn delete_settled(db: &PgPool, id: FileId, state: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM files WHERE id = $1 AND state = $2")
        .bind(id)
        .bind(state)
        .execute(db)
        .await?;
    Ok(())
}
