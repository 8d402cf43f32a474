//! `presence.seen` (a user was active at a moment; auth keeps it as
//! `users.last_activity`), published from a background task so that `Apply`
//! never waits for RabbitMQ. Events of one user that pile up while the
//! publisher is busy collapse into the latest; when even the queue in front of
//! it is full, events are dropped with a warning: last activity is a hint,
//! and the next connect or activity ping carries a newer one.

use crate::metrics::PresenceMetrics;
use chorus_events::Publisher;
use chorus_kit::Shutdown;
use chorus_proto::presence::v1::UserSeen;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const QUEUE: usize = 10_000;

#[derive(Clone)]
pub struct Seen {
    tx: mpsc::Sender<(i64, i64)>,
    metrics: PresenceMetrics,
    /// False after a failed publish, true again after a successful one.
    up: Arc<AtomicBool>,
}

impl Seen {
    pub fn spawn(
        publisher: Publisher,
        metrics: PresenceMetrics,
        shutdown: Shutdown,
    ) -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let up = Arc::new(AtomicBool::new(true));
        let worker = Worker {
            publisher,
            metrics: metrics.clone(),
            up: up.clone(),
        };
        let task = tokio::spawn(worker.run(rx, shutdown));
        (Self { tx, metrics, up }, task)
    }

    /// Queues "`user_id` was active at `at_micros`" without waiting.
    pub fn record(&self, user_id: i64, at_micros: i64) {
        if let Err(err) = self.tx.try_send((user_id, at_micros)) {
            self.metrics.seen_dropped.inc();
            tracing::warn!(user_id, error = %err, "presence.seen dropped");
        }
    }

    /// Whether the last publish attempt succeeded (or none failed yet).
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }
}

struct Worker {
    publisher: Publisher,
    metrics: PresenceMetrics,
    up: Arc<AtomicBool>,
}

fn coalesce(pending: &mut HashMap<i64, i64>, (user_id, at): (i64, i64)) {
    let latest = pending.entry(user_id).or_insert(at);
    *latest = (*latest).max(at);
}

impl Worker {
    async fn run(self, mut rx: mpsc::Receiver<(i64, i64)>, shutdown: Shutdown) {
        let mut pending: HashMap<i64, i64> = HashMap::new();
        let mut delay = Duration::from_millis(100);
        loop {
            if pending.is_empty() {
                let next = tokio::select! {
                    _ = shutdown.cancelled() => return,
                    next = rx.recv() => next,
                };
                let Some(item) = next else { return };
                coalesce(&mut pending, item);
            }
            while let Ok(item) = rx.try_recv() {
                coalesce(&mut pending, item);
            }
            if self.publish_all(&mut pending).await {
                delay = Duration::from_millis(100);
                continue;
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(delay) => {}
            }
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    /// Publishes every pending event; on the first failure keeps the rest
    /// (and the failed one) for the next attempt and says false.
    async fn publish_all(&self, pending: &mut HashMap<i64, i64>) -> bool {
        let batch: Vec<(i64, i64)> = pending.drain().collect();
        let mut failed = false;
        for (user_id, at_micros) in batch {
            if failed {
                coalesce(pending, (user_id, at_micros));
                continue;
            }
            let event = UserSeen { user_id, at_micros };
            match self.publisher.publish_event(&event).await {
                Ok(_) => self.up.store(true, Ordering::Relaxed),
                Err(err) => {
                    failed = true;
                    self.up.store(false, Ordering::Relaxed);
                    self.metrics.failed("seen");
                    tracing::warn!(error = %err, "presence.seen not published; will retry");
                    coalesce(pending, (user_id, at_micros));
                }
            }
        }
        !failed
    }
}
