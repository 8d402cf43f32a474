//! How a consumer settles a delivery with the broker, and how it notices that
//! its connection is gone: lapin reports neither reliably by itself (an ack on
//! a dead channel is `Ok(false)`, and an ack issued as the connection dies is
//! never answered), and a consumer that missed it would wait for good.

use crate::consumer::Outcome;
use futures_util::StreamExt;
use lapin::message::Delivery;
use lapin::options::{BasicAckOptions, BasicNackOptions};
use std::time::Duration;
use tokio::time::Instant;

/// How long a successful delivery may wait for its ack to be sent with later
/// ones. A delivery is applied before it waits, so this delays only the
/// broker's bookkeeping, never an event.
const ACK_DELAY: Duration = Duration::from_millis(10);

/// Why a consumer's connection is given up and opened again.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Interrupted {
    #[error(transparent)]
    Amqp(#[from] lapin::Error),
    /// lapin answers an ack on a dead channel with `Ok(false)`, not an error; a
    /// loop that went on would wait for deliveries that never come.
    #[error("the channel is gone: a {0} was not sent")]
    Unsent(&'static str),
    #[error("the connection closed")]
    Closed,
}

/// Waits for the connection's first error (or its end).
pub(crate) async fn connection_lost(
    events: &mut (impl futures_util::Stream<Item = lapin::Event> + Unpin),
) -> Interrupted {
    loop {
        match events.next().await {
            Some(lapin::Event::Error(err)) => return err.into(),
            Some(_) => {}
            None => return Interrupted::Closed,
        }
    }
}

/// The successful deliveries a consumer has not acknowledged yet. They go as
/// one `multiple` ack of the newest: a quorum queue turns every ack frame into
/// a command of its log, and per-delivery acks were a large part of the
/// broker's CPU per message. Deliveries are settled in delivery order, so
/// every delivery before the newest is settled or waiting here, and one ack
/// covers exactly these. They are sent when `limit` wait (the broker stops
/// delivering when the prefetch is used up), [`ACK_DELAY`] after the first,
/// and before any delivery is handed back.
pub(crate) struct Acks {
    waiting: Option<Waiting>,
    limit: usize,
}

/// A run of applied deliveries whose ack has not been sent.
struct Waiting {
    newest: Delivery,
    count: usize,
    due: Instant,
}

impl Acks {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            waiting: None,
            limit: limit.max(1),
        }
    }

    /// Records the outcome of the oldest unsettled delivery.
    pub(crate) async fn settle(
        &mut self,
        delivery: Delivery,
        outcome: Outcome,
    ) -> Result<(), Interrupted> {
        if !matches!(outcome, Outcome::Ack) {
            self.flush().await?;
            return settle(&delivery, outcome).await;
        }
        let count = match &mut self.waiting {
            Some(waiting) => {
                waiting.newest = delivery;
                waiting.count += 1;
                waiting.count
            }
            None => {
                self.waiting = Some(Waiting {
                    newest: delivery,
                    count: 1,
                    due: Instant::now() + ACK_DELAY,
                });
                1
            }
        };
        if count >= self.limit {
            self.flush().await?;
        }
        Ok(())
    }

    /// When the waiting acks are due; `None` when none wait.
    pub(crate) fn due(&self) -> Option<Instant> {
        self.waiting.as_ref().map(|w| w.due)
    }

    /// Sends the waiting acks now.
    pub(crate) async fn flush(&mut self) -> Result<(), Interrupted> {
        let Some(waiting) = self.waiting.take() else {
            return Ok(());
        };
        let multiple = waiting.count > 1;
        match waiting.newest.ack(BasicAckOptions { multiple }).await? {
            true => Ok(()),
            false => Err(Interrupted::Unsent("ack")),
        }
    }
}

/// Sleeps until the waiting acks are due ([`Acks::due`]); never ends when
/// none wait.
pub(crate) async fn acks_due(due: Option<Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// Acknowledges, dead-letters or (after a pause) requeues one delivery.
pub(crate) async fn settle(delivery: &Delivery, outcome: Outcome) -> Result<(), Interrupted> {
    let requeue = match outcome {
        Outcome::Ack => {
            return match delivery.ack(BasicAckOptions::default()).await? {
                true => Ok(()),
                false => Err(Interrupted::Unsent("ack")),
            };
        }
        Outcome::DeadLetter => false,
        Outcome::Retry => {
            tokio::time::sleep(Duration::from_millis(500)).await;
            true
        }
    };
    let sent = delivery
        .nack(BasicNackOptions {
            requeue,
            ..Default::default()
        })
        .await?;
    match sent {
        true => Ok(()),
        false => Err(Interrupted::Unsent("nack")),
    }
}
