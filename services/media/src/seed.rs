//! Start-up: the buckets (§19.0) and the objects of the "Emojis" sticker pack,
//! each written only when missing. The artwork is ours: eight small SVG faces
//! and symbols compiled into the binary.

use crate::config::S3Config;
use crate::db::stickers;
use crate::store::{ObjectMeta, Store};
use bytes::Bytes;
use sqlx::PgPool;

const ART: [(&str, &str); 8] = [
    ("stickers/s01.svg", include_str!("../stickers/s01.svg")),
    ("stickers/s02.svg", include_str!("../stickers/s02.svg")),
    ("stickers/s03.svg", include_str!("../stickers/s03.svg")),
    ("stickers/s04.svg", include_str!("../stickers/s04.svg")),
    ("stickers/s05.svg", include_str!("../stickers/s05.svg")),
    ("stickers/s06.svg", include_str!("../stickers/s06.svg")),
    ("stickers/s07.svg", include_str!("../stickers/s07.svg")),
    ("stickers/s08.svg", include_str!("../stickers/s08.svg")),
];

pub async fn buckets(store: &Store, cfg: &S3Config) -> anyhow::Result<()> {
    for bucket in [
        &cfg.uploads_bucket,
        &cfg.stickers_bucket,
        &cfg.avatars_bucket,
    ] {
        store
            .ensure_bucket(bucket)
            .await
            .map_err(|e| anyhow::anyhow!("bucket {bucket}: {e}"))?;
    }
    Ok(())
}

/// Writes the sticker images that are missing; returns how many were written.
pub async fn stickers(db: &PgPool, store: &Store, cfg: &S3Config) -> anyhow::Result<usize> {
    let bucket = &cfg.stickers_bucket;
    let mut written = 0;
    for key in stickers::keys_in_bucket(db, bucket).await? {
        let Some((_, svg)) = ART.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let exists = store
            .exists(bucket, &key)
            .await
            .map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
        if !exists {
            // Our own artwork, so it may render inline (unlike uploaded SVG).
            let meta = ObjectMeta {
                content_type: "image/svg+xml".into(),
                content_disposition: None,
            };
            store
                .put(bucket, &key, Bytes::from_static(svg.as_bytes()), &meta)
                .await
                .map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
            written += 1;
        }
    }
    Ok(written)
}
