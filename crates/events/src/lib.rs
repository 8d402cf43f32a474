//! Domain events between services (DESIGN §2): the protobuf [`Envelope`], the
//! transactional outbox a producer writes in the same transaction as its change,
//! the relay that publishes outbox rows to RabbitMQ with publisher confirms, and
//! the consumer loop (durable quorum queue, manual acks, bounded prefetch,
//! dead-letter queue, idempotent by event id).

pub mod amqp;
mod claim;
pub mod consumer;
pub mod fanout;
pub mod handler;
pub mod metrics;
pub mod outbox;
pub mod publisher;
pub mod relay;
pub mod retention;
mod settle;
pub mod topology;

pub use amqp::AmqpConfig;
pub use chorus_proto::Event;
pub use chorus_proto::events::v1::Envelope;
pub use claim::Finish;
pub use consumer::{Consumer, ConsumerSpec};
pub use handler::{EventHandler, HandleError, StatelessHandler};
pub use outbox::{OutboxRow, enqueue, enqueue_event, enqueue_routed};
pub use publisher::{PublishError, Publisher};
pub use relay::{Relay, RelayStatus, RelayWaker};

/// SQL creating the outbox and processed-events tables; every producing or
/// consuming service includes it in its own schema's first migration.
pub const TABLES_SQL: &str = include_str!("tables.sql");
