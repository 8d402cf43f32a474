//! `presence.seen` reaches RabbitMQ for connects, activity pings and offline
//! broadcasts, without `Apply` waiting for it.

use crate::helpers::*;
use chorus_events::Envelope;
use chorus_proto::presence::v1::UserSeen;
use lapin::options::{
    BasicGetOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{ConnectionProperties, ExchangeKind};
use prost::Message as _;
use std::time::{Duration, Instant};

/// A queue bound to `presence.seen` on the test's exchange.
async fn seen_queue(h: &Harness) -> anyhow::Result<(lapin::Connection, lapin::Channel, String)> {
    let conn = lapin::Connection::connect(&h.env.amqp_url, ConnectionProperties::default()).await?;
    let channel = conn.create_channel().await?;
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..Default::default()
    };
    channel
        .exchange_declare(
            h.env.exchange.as_str().into(),
            ExchangeKind::Topic,
            durable,
            FieldTable::default(),
        )
        .await?;
    let queue = h.env.queue("seen");
    channel
        .queue_declare(
            queue.as_str().into(),
            QueueDeclareOptions::default(),
            FieldTable::default(),
        )
        .await?;
    channel
        .queue_bind(
            queue.as_str().into(),
            h.env.exchange.as_str().into(),
            "presence.seen".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok((conn, channel, queue))
}

/// The next `UserSeen` on the queue; fails after [`PATIENCE`].
async fn next_seen(channel: &lapin::Channel, queue: &str) -> anyhow::Result<UserSeen> {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        let got = channel
            .basic_get(queue.into(), BasicGetOptions { no_ack: true })
            .await?;
        if let Some(message) = got {
            let envelope = Envelope::decode(message.delivery.data.as_slice())?;
            anyhow::ensure!(envelope.r#type == "presence.seen");
            anyhow::ensure!(envelope.producer == "presence");
            return Ok(UserSeen::decode(envelope.payload.as_slice())?);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("no presence.seen within {PATIENCE:?}")
}

fn micros_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connects_activity_pings_and_offline_broadcasts_publish_presence_seen() -> anyhow::Result<()>
{
    let h = Harness::start().await?;
    let (conn, channel, queue) = seen_queue(&h).await?;

    let before = micros_now();
    h.apply("n1", vec![opened("n1:1", 1, false)]).await?;
    let seen = next_seen(&channel, &queue).await?;
    assert_eq!(seen.user_id, 1);
    assert!(seen.at_micros >= before);

    h.apply("n1", vec![activity("n1:1", 1)]).await?;
    let ping = next_seen(&channel, &queue).await?;
    assert_eq!(ping.user_id, 1);
    assert!(ping.at_micros >= seen.at_micros);

    // A re-sent OPENED (resync) is no activity.
    h.apply("n1", vec![opened("n1:1", 1, false), set_active("n1:1", 1)])
        .await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![closed("n1:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "offline"));
    let offline = next_seen(&channel, &queue).await?;
    assert_eq!(offline.user_id, 1);
    assert!(offline.at_micros > ping.at_micros);
    tokio::time::sleep(h.settle()).await;
    let extra = channel
        .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: true })
        .await?;
    assert!(extra.is_none(), "one event per connect, ping and offline");

    conn.close(0, "done".into()).await?;
    h.stop().await
}
