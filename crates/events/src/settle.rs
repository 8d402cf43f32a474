//! How a consumer settles a delivery with the broker, and how it notices that
//! its connection is gone: lapin reports neither reliably by itself (an ack on
//! a dead channel is `Ok(false)`, and an ack issued as the connection dies is
//! never answered), and a consumer that missed it would wait for good.

use crate::consumer::Outcome;
use futures_util::StreamExt;
use lapin::message::Delivery;
use lapin::options::{BasicAckOptions, BasicNackOptions};
use std::time::Duration;

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
