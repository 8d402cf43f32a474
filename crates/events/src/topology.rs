//! Every consumer queue of the system and the event types it binds, in one
//! place. Consumers declare their own queue before consuming; every relay
//! declares all of them before it publishes anything, so an event a consumer
//! needs always finds its queue — even on a fresh broker where the producer
//! starts first (a mandatory publish with no bound queue is returned and gone).
//! A queue's declaration must be identical wherever it is made (RabbitMQ refuses
//! a re-declaration with other arguments), hence one table and one `declare`.

use crate::amqp::AmqpConfig;
use crate::consumer::ConsumerSpec;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::message::v1 as msg_pb;
use chorus_proto::presence::v1 as presence_pb;
use chorus_proto::{Event, routing};
use lapin::Channel;
use lapin::options::{QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable, LongString};

/// One durable consumer queue `<service>.<purpose>`.
#[derive(Debug)]
pub struct Queue {
    pub purpose: &'static str,
    /// The routing keys it binds: event types, or refinements of them
    /// (`chorus_proto::routing`).
    pub event_types: &'static [&'static str],
    /// Bindings of earlier versions, removed when the queue is declared (a
    /// durable queue keeps its bindings across restarts and upgrades).
    pub retired: &'static [&'static str],
    /// One consumer receives at a time (the others stand by): events are handled
    /// in publish order across replicas.
    pub single_active: bool,
}

impl Queue {
    /// The consumer's view of this queue under `amqp`'s prefix.
    pub fn spec(&'static self, amqp: &AmqpConfig) -> ConsumerSpec {
        ConsumerSpec {
            queue: amqp.queue_name(self.purpose),
            event_types: self.event_types.iter().map(|t| t.to_string()).collect(),
            retired: self.retired.iter().map(|t| t.to_string()).collect(),
            single_active: self.single_active,
        }
    }
}

/// auth: `last_activity` from presence.
pub const AUTH_ACTIVITY: Queue = Queue {
    purpose: "auth.activity",
    event_types: &[presence_pb::UserSeen::TYPE],
    retired: &[],
    single_active: false,
};

/// message: membership changes that end access to a chat's messages, and
/// profile changes (its cache of senders' names).
pub const MESSAGE_MEMBERSHIP: Queue = Queue {
    purpose: "message.membership",
    event_types: &[
        chat_pb::MemberLeft::TYPE,
        chat_pb::MemberRoleChanged::TYPE,
        chat_pb::ChatDeleted::TYPE,
        auth_pb::UserUpdated::TYPE,
    ],
    retired: &[],
    single_active: false,
};

/// media: which files are in use (attachments, avatars) and what goes away.
pub const MEDIA_USAGE: Queue = Queue {
    purpose: "media.usage",
    event_types: &[
        // Only messages with a file: most carry none, and each one routed here
        // cost a quorum-queue write and a consumer transaction for nothing.
        routing::MESSAGE_CREATED_WITH_FILE,
        auth_pb::UserUpdated::TYPE,
        auth_pb::UserDeleted::TYPE,
        chat_pb::ChatUpdated::TYPE,
        chat_pb::ChatDeleted::TYPE,
    ],
    retired: &[msg_pb::MessageCreated::TYPE],
    // An avatar change or a chat deletion must not overtake the event before it.
    single_active: true,
};

/// edge: everything clients hear about (§16.3), fanned out through Redis.
pub const EDGE_FANOUT: Queue = Queue {
    purpose: "edge.fanout",
    event_types: &[
        routing::MESSAGE_CREATED_ANY,
        msg_pb::MessageUpdated::TYPE,
        msg_pb::MessageDeleted::TYPE,
        msg_pb::MessagePinned::TYPE,
        msg_pb::MessageUnpinned::TYPE,
        msg_pb::ReactionChanged::TYPE,
        msg_pb::ReceiptRead::TYPE,
        chat_pb::ChatCreated::TYPE,
        chat_pb::ChatUpdated::TYPE,
        chat_pb::ChatDeleted::TYPE,
        chat_pb::MemberJoined::TYPE,
        chat_pb::MemberLeft::TYPE,
        auth_pb::UserUpdated::TYPE,
        auth_pb::UserBlocked::TYPE,
        auth_pb::UserDeleted::TYPE,
    ],
    retired: &[msg_pb::MessageCreated::TYPE],
    // Events of a chat reach Redis in the order they happened (a message before
    // its edit or deletion); any node takes over when the active one goes.
    single_active: true,
};

/// Every consumer queue of the system.
pub const QUEUES: &[&Queue] = &[
    &AUTH_ACTIVITY,
    &MESSAGE_MEMBERSHIP,
    &MEDIA_USAGE,
    &EDGE_FANOUT,
];

/// The `<service>.<purpose>` names of every queue (before a prefix).
pub fn purposes() -> impl Iterator<Item = &'static str> {
    QUEUES.iter().map(|q| q.purpose)
}

/// Declares every queue of [`QUEUES`] (idempotent; before a relay publishes).
pub async fn declare_all(channel: &Channel, amqp: &AmqpConfig) -> Result<(), lapin::Error> {
    for queue in QUEUES {
        declare(channel, amqp, &queue.spec(amqp)).await?;
    }
    Ok(())
}

/// Declares the quorum queue, its dead-letter queue and the bindings.
pub async fn declare(
    channel: &Channel,
    amqp: &AmqpConfig,
    spec: &ConsumerSpec,
) -> Result<(), lapin::Error> {
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    let dlq = format!("{}.dlq", spec.queue);
    let dlx = amqp.dead_letter_exchange();
    let mut quorum = FieldTable::default();
    quorum.insert(
        "x-queue-type".into(),
        AMQPValue::LongString(LongString::from("quorum")),
    );
    channel
        .queue_declare(dlq.as_str().into(), durable, quorum.clone())
        .await?;
    channel
        .queue_bind(
            dlq.as_str().into(),
            dlx.as_str().into(),
            spec.queue.as_str().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let mut args = quorum;
    args.insert(
        "x-dead-letter-exchange".into(),
        AMQPValue::LongString(LongString::from(dlx.as_str())),
    );
    args.insert(
        "x-dead-letter-routing-key".into(),
        AMQPValue::LongString(LongString::from(spec.queue.as_str())),
    );
    args.insert(
        "x-delivery-limit".into(),
        AMQPValue::LongUInt(amqp.delivery_limit),
    );
    if spec.single_active {
        args.insert("x-single-active-consumer".into(), AMQPValue::Boolean(true));
    }
    channel
        .queue_declare(spec.queue.as_str().into(), durable, args)
        .await?;
    for event_type in &spec.event_types {
        channel
            .queue_bind(
                spec.queue.as_str().into(),
                amqp.exchange.as_str().into(),
                event_type.as_str().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
    }
    // Unbinding what is not bound is a no-op for the broker.
    for key in &spec.retired {
        channel
            .queue_unbind(
                spec.queue.as_str().into(),
                amqp.exchange.as_str().into(),
                key.as_str().into(),
                FieldTable::default(),
            )
            .await?;
    }
    Ok(())
}
