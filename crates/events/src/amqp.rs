//! RabbitMQ connection settings and topology shared by the relay and consumers.

use lapin::options::{ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{Channel, Connection, ConnectionProperties, ExchangeKind};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AmqpConfig {
    pub url: String,
    /// The durable topic exchange every event is published to (routing key = type).
    pub exchange: String,
    /// Unacknowledged deliveries a consumer holds at once.
    pub prefetch: u16,
    /// Deliveries of one message before it is dead-lettered (poison protection).
    pub delivery_limit: u32,
    /// Prepended to every consumer queue name, so several deployments (or test
    /// runs) can share one broker without competing for each other's events.
    pub queue_prefix: String,
    /// Relays declare every consumer queue of the topology before publishing.
    /// Only a test of one service alone, whose events nobody consumes, turns it
    /// off (quorum queues are not cheap to create by the hundred).
    pub declare_topology: bool,
    /// How long a consumer remembers an applied event id (`processed_events`).
    pub processed_events_retention_hours: u32,
    /// How long a consumer retries a transiently failing event in place before
    /// it hands the delivery back to the broker (which counts it against
    /// `delivery_limit`): together they are the outage an event outlasts.
    pub transient_retry_secs: u64,
    /// How long a relay waits for the broker to confirm a batch before it gives
    /// the connection up and publishes the batch again on a new one (the rows
    /// stay in the outbox meanwhile; consumers deduplicate the second copy).
    pub confirm_timeout_secs: u64,
}

impl Default for AmqpConfig {
    fn default() -> Self {
        Self {
            url: "amqp://guest:guest@127.0.0.1:5672/%2f".into(),
            exchange: "chorus.events".into(),
            prefetch: 64,
            delivery_limit: 5,
            queue_prefix: String::new(),
            declare_topology: true,
            processed_events_retention_hours: 168,
            transient_retry_secs: 20,
            confirm_timeout_secs: 30,
        }
    }
}

impl AmqpConfig {
    /// The full name of the consumer queue `<service>.<purpose>` (DESIGN §2).
    pub fn queue_name(&self, service_and_purpose: &str) -> String {
        format!("{}{service_and_purpose}", self.queue_prefix)
    }

    /// The exchange dead letters go to; each consumer's `.dlq` queue is bound to it.
    pub fn dead_letter_exchange(&self) -> String {
        format!("{}.dlx", self.exchange)
    }
}

/// Connects, opens a channel with publisher confirms and declares the exchanges.
pub(crate) async fn open(
    cfg: &AmqpConfig,
    confirms: bool,
) -> Result<(Connection, Channel), lapin::Error> {
    // A handshake that outlives the timeout still completes in lapin's own
    // task: close that connection when it does. Dropping the future instead left
    // it open for good — under load every retry leaked one, until the broker ran
    // out of file descriptors and no one could connect at all.
    let url = cfg.url.clone();
    let mut connecting =
        tokio::spawn(
            async move { Connection::connect(&url, ConnectionProperties::default()).await },
        );
    let conn = match tokio::time::timeout(Duration::from_secs(5), &mut connecting).await {
        Ok(Ok(connected)) => connected?,
        Ok(Err(join)) => return Err(std::io::Error::other(join.to_string()).into()),
        Err(_) => {
            tokio::spawn(async move {
                if let Ok(Ok(late)) = connecting.await {
                    let _ = late.close(0, "connect timed out".into()).await;
                }
            });
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "AMQP connect timed out",
            )
            .into());
        }
    };
    match declare_exchanges(&conn, cfg, confirms).await {
        Ok(channel) => Ok((conn, channel)),
        Err(err) => {
            let _ = conn.close(0, "set-up failed".into()).await;
            Err(err)
        }
    }
}

/// A channel (with publisher confirms if asked) and the two exchanges.
async fn declare_exchanges(
    conn: &Connection,
    cfg: &AmqpConfig,
    confirms: bool,
) -> Result<Channel, lapin::Error> {
    let channel = conn.create_channel().await?;
    if confirms {
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
    }
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..Default::default()
    };
    channel
        .exchange_declare(
            cfg.exchange.as_str().into(),
            ExchangeKind::Topic,
            durable,
            FieldTable::default(),
        )
        .await?;
    channel
        .exchange_declare(
            cfg.dead_letter_exchange().as_str().into(),
            ExchangeKind::Direct,
            durable,
            FieldTable::default(),
        )
        .await?;
    Ok(channel)
}

/// Exponential backoff between reconnect attempts, capped at five seconds.
pub(crate) fn next_delay(delay: Duration) -> Duration {
    (delay * 2).min(Duration::from_secs(5))
}
