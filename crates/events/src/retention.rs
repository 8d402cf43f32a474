//! The retention sweep of `processed_events`: a consumer remembers the ids it
//! applied so that a redelivery has no second effect, but only for as long as a
//! redelivery can happen. The broker redelivers unacknowledged deliveries within
//! seconds and a relay republishes a batch at most once per restart, so a week
//! is far beyond both; without the sweep the table only grew.

use crate::metrics::PIPELINE;
use sqlx::PgPool;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const EVERY: Duration = Duration::from_secs(3600);
/// Rows per DELETE: short transactions, no long lock on a large table.
const BATCH: i64 = 10_000;

/// Sweeps `queue`'s rows older than `retention_hours` now, then every hour.
pub(crate) async fn sweep(
    pool: PgPool,
    queue: String,
    retention_hours: u32,
    shutdown: CancellationToken,
) {
    loop {
        match sweep_once(&pool, &queue, retention_hours).await {
            Ok(0) => {}
            Ok(swept) => tracing::info!(%queue, swept, "processed_events swept"),
            // The table may not exist yet (migrations running): next round.
            Err(err) => tracing::debug!(%queue, error = %err, "processed_events sweep skipped"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
}

/// Deletes the rows past retention in batches; returns how many.
pub async fn sweep_once(
    pool: &PgPool,
    queue: &str,
    retention_hours: u32,
) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let deleted = sqlx::query(
            "DELETE FROM processed_events WHERE ctid = ANY(ARRAY( \
                SELECT ctid FROM processed_events \
                WHERE consumer = $1 AND processed_at < now() - make_interval(hours => $2) \
                LIMIT $3))",
        )
        .bind(queue)
        .bind(retention_hours as i32)
        .bind(BATCH)
        .execute(pool)
        .await?
        .rows_affected();
        total += deleted;
        PIPELINE
            .processed_events_swept
            .with_label_values(&[queue])
            .inc_by(deleted);
        if deleted < BATCH as u64 {
            return Ok(total);
        }
    }
}
