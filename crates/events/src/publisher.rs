//! Publishing without an outbox, for services that own no database (presence):
//! one lazily opened confirm channel, re-opened after an error. An event is
//! published persistent and `mandatory`, and `publish` returns only after the
//! broker confirmed it, so the caller knows whether to retry.

use crate::amqp::{self, AmqpConfig};
use chorus_proto::events::v1::Envelope;
use lapin::options::BasicPublishOptions;
use lapin::{BasicProperties, Channel, Confirmation, Connection};
use prost::Message;
use tokio::sync::Mutex;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("broker: {0}")]
    Broker(#[from] lapin::Error),
    #[error("broker refused the event")]
    Nacked,
}

pub struct Publisher {
    amqp: AmqpConfig,
    producer: String,
    link: Mutex<Option<(Connection, Channel)>>,
}

impl Publisher {
    pub fn new(amqp: AmqpConfig, producer: impl Into<String>) -> Self {
        Self {
            amqp,
            producer: producer.into(),
            link: Mutex::new(None),
        }
    }

    /// [`publish`](Self::publish) for a typed event: its routing key is `E::TYPE`.
    pub async fn publish_event<E: chorus_proto::Event>(
        &self,
        event: &E,
    ) -> Result<Uuid, PublishError> {
        self.publish(E::TYPE, event).await
    }

    /// Publishes one event and waits for the broker's confirm.
    pub async fn publish<M: Message>(
        &self,
        event_type: &str,
        payload: &M,
    ) -> Result<Uuid, PublishError> {
        self.publish_routed(event_type, event_type, payload).await
    }

    /// [`publish`](Self::publish) with a routing key that refines the type
    /// (`chorus_proto::routing`).
    pub async fn publish_routed<M: Message>(
        &self,
        event_type: &str,
        routing_key: &str,
        payload: &M,
    ) -> Result<Uuid, PublishError> {
        let id = Uuid::new_v4();
        let envelope = Envelope {
            id: id.to_string(),
            r#type: event_type.to_string(),
            occurred_at: Some(prost_types::Timestamp::from(std::time::SystemTime::now())),
            producer: self.producer.clone(),
            trace_context: chorus_kit::telemetry::current_context(),
            payload: payload.encode_to_vec(),
        };
        let bytes = envelope.encode_to_vec();
        let mut link = self.link.lock().await;
        if link.is_none() {
            *link = Some(amqp::open(&self.amqp, true).await?);
        }
        let Some((_, channel)) = link.as_ref() else {
            return Err(PublishError::Nacked);
        };
        let result = publish_on(channel, &self.amqp.exchange, routing_key, &bytes).await;
        if result.is_err() {
            // Reconnect on the next call.
            *link = None;
        }
        result.map(|()| id)
    }
}

async fn publish_on(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    bytes: &[u8],
) -> Result<(), PublishError> {
    let props = BasicProperties::default()
        .with_delivery_mode(2)
        .with_content_type("application/x-protobuf".into())
        .with_type(routing_key.into());
    let confirm = channel
        .basic_publish(
            exchange.into(),
            routing_key.into(),
            BasicPublishOptions {
                mandatory: true,
                ..Default::default()
            },
            bytes,
            props,
        )
        .await?
        .await?;
    match confirm {
        Confirmation::Nack(_) => Err(PublishError::Nacked),
        Confirmation::Ack(_) | Confirmation::NotRequested => Ok(()),
    }
}
