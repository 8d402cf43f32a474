//! The event probe: a consumer on the test's exchange collecting the chat events.

use crate::helpers::SENTINEL;
use chorus_events::{Envelope, EventHandler, HandleError};
use futures_util::future::BoxFuture;
use sqlx::{PgConnection, PgPool};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) struct Collect(pub(crate) Arc<Mutex<Vec<Envelope>>>);

impl EventHandler for Collect {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        if let Ok(mut seen) = self.0.lock() {
            seen.push(event.clone());
        }
        Box::pin(async { Ok(()) })
    }
}

/// The chat events that reached RabbitMQ.
pub struct Probe {
    pub(crate) seen: Arc<Mutex<Vec<Envelope>>>,
    pub(crate) pool: PgPool,
}

impl Probe {
    /// Waits until everything committed so far has arrived (the relay publishes the
    /// outbox in order, so a sentinel written now arrives after it), then returns
    /// and forgets the chat events received since the last call.
    pub async fn settle(&self) -> anyhow::Result<Vec<Envelope>> {
        let marker = uuid::Uuid::new_v4().to_string();
        let mut waited = 0;
        loop {
            if waited % 20 == 0 {
                let mut tx = self.pool.begin().await?;
                let payload = chorus_proto::chat::v1::MemberLeft {
                    chat_id: 0,
                    user_id: 0,
                };
                chorus_events::enqueue(&mut tx, &marker, SENTINEL, &payload).await?;
                tx.commit().await?;
            }
            let arrived = self
                .seen
                .lock()
                .map(|s| s.iter().any(|e| e.producer == marker))
                .unwrap_or(false);
            if arrived {
                break;
            }
            waited += 1;
            anyhow::ensure!(waited < 300, "the probe sentinel never arrived");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut seen = self.seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        let events = seen.drain(..).filter(|e| e.r#type != SENTINEL).collect();
        Ok(events)
    }
}
