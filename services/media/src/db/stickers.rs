//! `stickers` with their files (§13, §18.11).

use sqlx::PgPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StickerRow {
    pub id: i64,
    pub label: String,
    /// None when the file is not (or no longer) a complete object.
    pub bucket: Option<String>,
    pub object_key: Option<String>,
}

const SELECT: &str = "SELECT s.id, s.label, f.bucket, f.object_key FROM stickers s \
     LEFT JOIN files f ON f.id = s.file_id AND f.state = 'ready' AND f.object_key <> ''";

pub async fn all(db: &PgPool) -> sqlx::Result<Vec<StickerRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY s.id")))
        .fetch_all(db)
        .await
}

pub async fn many(db: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<StickerRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// The object keys of the sticker files, so start-up can write their objects
/// when missing; their bucket follows the configured stickers bucket.
pub async fn keys_in_bucket(db: &PgPool, bucket: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "UPDATE files f SET bucket = $1 FROM stickers s WHERE s.file_id = f.id \
         RETURNING f.object_key",
    )
    .bind(bucket)
    .fetch_all(db)
    .await
}
