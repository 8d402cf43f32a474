//! Keeps the Redis revocation flags (§2.4: blocked and deleted users' tokens
//! stop working everywhere) equal to the database: at start, every 30 s, and
//! whenever the Redis connection is re-established — a restarted Redis has
//! lost every flag, and a blocked user must not get back in through another
//! service or the WebSocket meanwhile. Until the flags are asserted after a
//! (re)connect, auth reports itself not ready (`auth.revocations` in health).

use chorus_authn::Revocations;
use chorus_kit::Shutdown;
use chorus_kit::db::Migrated;
use fred::prelude::*;
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(30);

pub async fn run(
    db: PgPool,
    redis: Client,
    revocations: Revocations,
    migrated: Migrated,
    in_sync: Arc<AtomicBool>,
    shutdown: Shutdown,
) {
    tokio::select! {
        _ = shutdown.cancelled() => return,
        _ = migrated.wait() => {}
    }
    let mut reconnects = redis.reconnect_rx();
    let mut errors = redis.error_rx();
    loop {
        match sync_once(&db, &revocations).await {
            Ok(()) => in_sync.store(true, Ordering::Relaxed),
            Err(err) => tracing::warn!(error = %err, "revocation flags not synchronised"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
            _ = reconnects.recv() => in_sync.store(false, Ordering::Relaxed),
            // The connection broke: the Redis coming back may have lost the flags.
            _ = errors.recv() => in_sync.store(false, Ordering::Relaxed),
        }
    }
}

async fn sync_once(db: &PgPool, revocations: &Revocations) -> anyhow::Result<()> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE is_blocked OR NOT is_active")
            .fetch_all(db)
            .await?;
    let revoked: HashSet<i64> = ids.into_iter().collect();
    revocations.sync(&revoked).await?;
    Ok(())
}
