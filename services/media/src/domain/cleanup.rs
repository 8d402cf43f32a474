//! Removing objects. Rows are hidden first (`deleting`) in the transaction that
//! decides the removal; the janitor then deletes each object and only after it
//! its row, so a crash at any point leaves a row that is retried, never an
//! object without a row. The janitor also settles uploads a crash interrupted.

use crate::db::files;
use crate::store::Store;
use chorus_kit::Shutdown;
use sqlx::PgConnection;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::time::Duration;

const BATCH: i64 = 100;

#[derive(Clone)]
pub struct Janitor {
    db: PgPool,
    store: Store,
    stale_upload_secs: i64,
}

/// The channel a committed deletion wakes the janitor on.
const CHANNEL: &str = "media_janitor";

impl Janitor {
    pub fn new(db: PgPool, store: Store, stale_upload_secs: u64) -> Self {
        Self {
            db,
            store,
            stale_upload_secs: i64::try_from(stale_upload_secs).unwrap_or(i64::MAX),
        }
    }

    /// Wakes the janitor when `tx` commits (files were marked for deletion in it).
    pub async fn notify_in(tx: &mut PgConnection) -> sqlx::Result<()> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(CHANNEL)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Passes every minute and whenever a deletion commits, until `shutdown`.
    /// A failed pass is retried after a pause that doubles up to a minute: with
    /// the database down the listener fails at once too, and the janitor would
    /// otherwise spin, logging thousands of warnings a second.
    pub async fn run(self, shutdown: Shutdown) {
        let mut listener = None;
        let mut pause = Duration::from_secs(1);
        loop {
            if listener.is_none() {
                listener = self.listen().await;
            }
            let mut failed = false;
            loop {
                match self.pass().await {
                    Ok(n) if n as i64 == BATCH => continue,
                    Ok(_) => break,
                    Err(err) => {
                        tracing::warn!(error = %err, retry_in = ?pause, "janitor pass failed");
                        failed = true;
                        break;
                    }
                }
            }
            if failed {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(pause) => {}
                }
                pause = (pause * 2).min(Duration::from_secs(60));
                continue;
            }
            pause = Duration::from_secs(1);
            let woken = async {
                match listener.as_mut() {
                    // Reconnects by itself; an error just means "pass now".
                    Some(l) => drop(l.recv().await),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = woken => {}
                _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            }
        }
    }

    async fn listen(&self) -> Option<PgListener> {
        let listened = async {
            let mut l = PgListener::connect_with(&self.db).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match listened.await {
            Ok(l) => Some(l),
            Err(err) => {
                tracing::warn!(error = %err, "janitor cannot listen yet; passing every minute");
                None
            }
        }
    }

    /// One batch: removes the objects of unsettled rows, then the rows; returns
    /// how many were removed.
    /// No transaction spans the store calls: two janitors may both delete an
    /// object, which is harmless, and a row goes only in the state it was read in.
    pub async fn pass(&self) -> anyhow::Result<usize> {
        let rows = files::unsettled(&self.db, self.stale_upload_secs, BATCH).await?;
        let mut removed = 0;
        for row in &rows {
            if row.state == "uploading" {
                self.store
                    .abort_stale_multiparts(&row.bucket, &row.object_key)
                    .await;
            }
            match self.store.delete(&row.bucket, &row.object_key).await {
                Ok(()) => {
                    files::delete_settled(&self.db, row.id, &row.state).await?;
                    removed += 1;
                }
                Err(err) => {
                    tracing::warn!(key = %row.object_key, error = %err, "object not removed; retrying later")
                }
            }
        }
        if removed > 0 {
            tracing::info!(removed, "files removed");
        }
        Ok(removed)
    }
}
