//! Which queue receives which `message.created`: the routing key refines the
//! event type, so media's queue gets only messages with a file, the edge's gets
//! all of them, and a queue declared by an earlier version loses its old binding.

use chorus_events::{AmqpConfig, Publisher, topology};
use chorus_proto::message::v1 as pb;
use chorus_testkit::TestEnv;
use lapin::{Connection, ConnectionProperties};
use std::time::Duration;

mod common;

fn message(file_id: Option<i64>) -> pb::MessageCreated {
    pb::MessageCreated {
        message: Some(pb::Message {
            chat_id: 1,
            file_id,
            ..Default::default()
        }),
        enriched_json: "{}".into(),
    }
}

async fn ready_messages(channel: &lapin::Channel, queue: &str) -> anyhow::Result<u32> {
    Ok(common::inspect(channel, queue).await?.message_count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_gets_only_messages_with_a_file_and_loses_the_binding_of_earlier_versions()
-> anyhow::Result<()> {
    let env = TestEnv::new().await?;
    for purpose in topology::purposes() {
        env.queue(purpose);
    }
    let amqp = AmqpConfig {
        url: env.amqp_url.clone(),
        exchange: env.exchange.clone(),
        queue_prefix: format!("{}.", env.id),
        ..AmqpConfig::default()
    };
    let publisher = Publisher::new(amqp.clone(), "test");
    // The first publish declares the exchanges; nothing is bound yet.
    let text = message(None);
    publisher
        .publish_routed("message.created", text.routing_key(), &text)
        .await?;

    let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
    let channel = conn.create_channel().await?;
    // media.usage as the version before declared it: bound to every message.created.
    let mut earlier = topology::MEDIA_USAGE.spec(&amqp);
    earlier.event_types.push("message.created".into());
    earlier.retired.clear();
    topology::declare(&channel, &amqp, &earlier).await?;
    // This version's declaration (what every relay does before publishing).
    topology::declare_all(&channel, &amqp).await?;

    let with_file = message(Some(7));
    for ev in [&text, &with_file, &text] {
        publisher
            .publish_routed("message.created", ev.routing_key(), ev)
            .await?;
    }
    let media = amqp.queue_name(topology::MEDIA_USAGE.purpose);
    let edge = amqp.queue_name(topology::EDGE_FANOUT.purpose);
    // Publishes are confirmed, so the queues hold them already; allow a beat.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        ready_messages(&channel, &media).await?,
        1,
        "media.usage: only the message with a file"
    );
    assert_eq!(
        ready_messages(&channel, &edge).await?,
        3,
        "edge.fanout: every message"
    );
    conn.close(0, "done".into()).await?;
    env.cleanup().await
}
