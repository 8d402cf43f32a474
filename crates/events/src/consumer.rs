//! The consumer loop: a durable quorum queue `<service>.<purpose>` bound to the
//! event types it wants, manual acks, bounded prefetch, and a dead-letter queue
//! `<queue>.dlq`. Each delivery is applied in one database transaction together
//! with the record of its event id, so a redelivered event has no second effect.
//! An undecodable message, or one the handler rejects as permanently invalid, is
//! dead-lettered at once and never blocks the messages behind it.

use crate::amqp::{self, AmqpConfig};
use crate::handler::{EventHandler, HandleError, StatelessHandler};
use crate::metrics::PIPELINE;
use crate::settle::{Acks, Interrupted, acks_due, connection_lost};
use chorus_proto::events::v1::Envelope;
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use lapin::message::Delivery;
use lapin::options::{BasicConsumeOptions, BasicQosOptions};
use lapin::types::{FieldTable, ShortString};
use prost::Message;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;

/// How long a stopping consumer waits to hand its last acks to the broker.
const ACK_GRACE: Duration = Duration::from_secs(1);

/// Where an event's effect goes.
enum Sink {
    /// In one transaction with the record of the event id (exactly-once effect).
    Postgres(PgPool, Arc<dyn EventHandler>),
    Stateless(Arc<dyn StatelessHandler>),
}

/// Which queue to consume and which event types (routing keys) it receives;
/// the services' queues are in [`crate::topology`] (`Queue::spec`).
#[derive(Debug, Clone, Default)]
pub struct ConsumerSpec {
    /// `<service>.<purpose>`, e.g. `message.membership`.
    pub queue: String,
    /// The routing keys bound (event types or refinements of them).
    pub event_types: Vec<String>,
    /// Routing keys bound by earlier versions, unbound at declaration.
    pub retired: Vec<String>,
    /// Only one consumer of the queue receives at a time (the others stand by),
    /// so events are handled in the order they were published.
    pub single_active: bool,
}

pub struct Consumer {
    amqp: AmqpConfig,
    spec: ConsumerSpec,
    sink: Sink,
}

pub(crate) enum Outcome {
    Ack,
    DeadLetter,
    Retry,
}

impl Consumer {
    pub fn new(
        pool: PgPool,
        amqp: AmqpConfig,
        spec: ConsumerSpec,
        handler: Arc<dyn EventHandler>,
    ) -> Self {
        Self {
            amqp,
            spec,
            sink: Sink::Postgres(pool, handler),
        }
    }

    /// A consumer without a database: deduplication is the handler's business.
    pub fn stateless(
        amqp: AmqpConfig,
        spec: ConsumerSpec,
        handler: Arc<dyn StatelessHandler>,
    ) -> Self {
        Self {
            amqp,
            spec,
            sink: Sink::Stateless(handler),
        }
    }

    pub fn spawn(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        crate::metrics::touch_queue(&self.spec.queue);
        if let Sink::Postgres(pool, _) = &self.sink {
            tokio::spawn(crate::retention::sweep(
                pool.clone(),
                self.spec.queue.clone(),
                self.amqp.processed_events_retention_hours,
                shutdown.clone(),
            ));
        }
        tokio::spawn(async move { self.run(shutdown).await })
    }

    async fn run(self, shutdown: CancellationToken) {
        let mut delay = Duration::from_millis(100);
        loop {
            let mut consumed = false;
            let outcome = self.consume(&mut consumed, &shutdown).await;
            if shutdown.is_cancelled() {
                return;
            }
            match outcome {
                Ok(()) => {
                    tracing::warn!(queue = %self.spec.queue, "consumer stream ended; reconnecting")
                }
                Err(err) => {
                    tracing::warn!(queue = %self.spec.queue, error = %err, "consumer interrupted; reconnecting")
                }
            }
            // Back off only over failed attempts: after a broker restart a
            // consumer that had been consuming reconnects at once, not after
            // the pause its earlier losses grew to (seconds of delivery delay
            // after a few broker restarts).
            if consumed {
                delay = Duration::from_millis(100);
            }
            let paused = shutdown.run_until_cancelled(tokio::time::sleep(delay));
            if paused.await.is_none() {
                return;
            }
            delay = amqp::next_delay(delay);
        }
    }

    /// Consumes until the connection is lost or `shutdown`; on `shutdown` the
    /// deliveries already applied are acknowledged before it returns.
    async fn consume(
        &self,
        consumed: &mut bool,
        shutdown: &CancellationToken,
    ) -> Result<(), Interrupted> {
        let Some(opened) = shutdown
            .run_until_cancelled(amqp::open(&self.amqp, false))
            .await
        else {
            return Ok(());
        };
        let (conn, channel) = opened?;
        // A broker killed outright does not always end the delivery stream: the
        // connection's error event does.
        let mut connection_events = std::pin::pin!(conn.events_listener());
        let setup = async {
            crate::topology::declare(&channel, &self.amqp, &self.spec).await?;
            channel
                .basic_qos(self.amqp.prefetch, BasicQosOptions::default())
                .await?;
            channel
                .basic_consume(
                    self.spec.queue.as_str().into(),
                    ShortString::from(""),
                    BasicConsumeOptions::default(),
                    FieldTable::default(),
                )
                .await
        };
        let Some(deliveries) = shutdown.run_until_cancelled(setup).await else {
            return Ok(());
        };
        let mut deliveries = deliveries?;
        tracing::info!(queue = %self.spec.queue, "consuming");
        *consumed = true;
        // A database sink applies one event at a time (each in its own
        // transaction). A stateless sink overlaps up to `pipeline` events: they
        // start in delivery order, so their commands reach Redis in that order,
        // and are settled in that order.
        let pipeline = match self.sink {
            Sink::Postgres(..) => 1,
            Sink::Stateless(_) => usize::from(self.amqp.prefetch.max(1)),
        };
        let mut inflight = FuturesOrdered::new();
        // At most half the prefetch waits for its ack, so the broker keeps
        // delivering meanwhile.
        let mut acks = Acks::new(usize::from(self.amqp.prefetch / 2));
        loop {
            tokio::select! {
                delivery = deliveries.next(), if inflight.len() < pipeline => {
                    let Some(delivery) = delivery else { break };
                    let delivery = delivery?;
                    inflight.push_back(async move {
                        let outcome = self.apply(&delivery).await;
                        (delivery, outcome)
                    });
                }
                Some((delivery, outcome)) = inflight.next(), if !inflight.is_empty() => {
                    // An ack issued as the connection dies is never answered:
                    // the connection's error event ends the wait.
                    tokio::select! {
                        settled = acks.settle(delivery, outcome) => settled?,
                        lost = connection_lost(&mut connection_events) => return Err(lost),
                    }
                }
                () = acks_due(acks.due()) => {
                    tokio::select! {
                        sent = acks.flush() => sent?,
                        lost = connection_lost(&mut connection_events) => return Err(lost),
                    }
                }
                lost = connection_lost(&mut connection_events) => return Err(lost),
                () = shutdown.cancelled() => break,
            }
        }
        // What was applied is acknowledged before the connection goes, or the
        // next consumer would get it again; a broker that does not take the
        // acks within the grace gets them back as redeliveries.
        let flushed = tokio::time::timeout(ACK_GRACE, acks.flush()).await;
        drop(conn);
        flushed.unwrap_or(Ok(()))
    }

    /// Applies one delivery and records how it went.
    async fn apply(&self, delivery: &Delivery) -> Outcome {
        let queue = self.spec.queue.as_str();
        let started = std::time::Instant::now();
        if delivery.redelivered {
            PIPELINE
                .consumer_redeliveries
                .with_label_values(&[queue])
                .inc();
        }
        let outcome = self.apply_delivery(delivery).await;
        PIPELINE
            .consumer_processing_seconds
            .with_label_values(&[queue])
            .observe(started.elapsed().as_secs_f64());
        let label = match outcome {
            Outcome::Ack => "ack",
            Outcome::DeadLetter => {
                PIPELINE
                    .consumer_dead_letters
                    .with_label_values(&[queue])
                    .inc();
                "dead_letter"
            }
            Outcome::Retry => "retry",
        };
        PIPELINE
            .consumer_events
            .with_label_values(&[queue, label])
            .inc();
        outcome
    }

    async fn apply_delivery(&self, delivery: &Delivery) -> Outcome {
        let envelope = match Envelope::decode(delivery.data.as_slice()) {
            Ok(env) => env,
            Err(err) => {
                tracing::warn!(queue = %self.spec.queue, error = %err, "undecodable message dead-lettered");
                return Outcome::DeadLetter;
            }
        };
        let Ok(event_id) = Uuid::parse_str(&envelope.id) else {
            tracing::warn!(queue = %self.spec.queue, id = %envelope.id, "event without a valid id dead-lettered");
            return Outcome::DeadLetter;
        };
        if let Some(at) = &envelope.occurred_at {
            let occurred = at.seconds as f64 + f64::from(at.nanos) / 1e9;
            let now = chrono::Utc::now().timestamp_micros() as f64 / 1e6;
            PIPELINE
                .consumer_lag_seconds
                .with_label_values(&[&self.spec.queue])
                .observe((now - occurred).max(0.0));
        }
        let span = tracing::info_span!(
            "event.process",
            otel.name = format!("{} process", self.spec.queue),
            otel.kind = "consumer",
            messaging.system = "rabbitmq",
            messaging.destination.name = %self.spec.queue,
            event_type = %envelope.r#type,
            event_id = %event_id,
            chorus.service = self.service(),
        );
        // The relay's publish span (message headers), else the change itself (envelope).
        match traceparent_header(delivery) {
            Some(traceparent) => chorus_kit::telemetry::set_traceparent(&span, &traceparent),
            None => chorus_kit::telemetry::set_remote_parent(&span, &envelope.trace_context),
        }
        // `instrument`, not `enter`: a guard held across `.await` would leak
        // the span into whatever else runs on this thread meanwhile.
        match self
            .apply_retrying(event_id, &envelope)
            .instrument(span.clone())
            .await
        {
            Ok(()) => Outcome::Ack,
            Err(HandleError::Permanent(err)) => {
                let _enter = span.enter();
                tracing::warn!(error = %err, "event rejected; dead-lettered");
                Outcome::DeadLetter
            }
            Err(HandleError::Transient(err)) => {
                let _enter = span.enter();
                tracing::warn!(error = %err, "event not applied yet; will be redelivered");
                Outcome::Retry
            }
        }
    }

    /// Applies the event, retrying a transient failure in place (backing off
    /// up to `transient_retry_secs`) before the delivery goes back to the
    /// broker: a Redis or peer outage of a few seconds would otherwise spend
    /// the delivery limit in as many seconds and dead-letter the event (a lost
    /// `user.blocked` close, a lost frame). The deliveries behind it wait, as
    /// they would fail the same way, and their order is kept.
    async fn apply_retrying(&self, event_id: Uuid, envelope: &Envelope) -> Result<(), HandleError> {
        let budget = Duration::from_secs(self.amqp.transient_retry_secs);
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(100);
        loop {
            match self.apply_once(event_id, envelope).await {
                Err(HandleError::Transient(err)) if started.elapsed() + pause < budget => {
                    tracing::debug!(error = %err, "event not applied yet; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                outcome => return outcome,
            }
        }
    }

    /// The service owning the queue: `<prefix><service>.<purpose>`.
    fn service(&self) -> &str {
        let queue = self
            .spec
            .queue
            .strip_prefix(self.amqp.queue_prefix.as_str())
            .unwrap_or(&self.spec.queue);
        queue.split('.').next().unwrap_or(queue)
    }

    /// Applies the event: for a database sink, in one transaction together with
    /// the record of its id (a redelivered event has no second effect).
    async fn apply_once(&self, event_id: Uuid, envelope: &Envelope) -> Result<(), HandleError> {
        let (pool, handler) = match &self.sink {
            Sink::Postgres(pool, handler) => (pool, handler),
            Sink::Stateless(handler) => return handler.handle(envelope).await,
        };
        let mut tx = pool.begin().await?;
        let fresh = sqlx::query("INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&self.spec.queue)
            .bind(event_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if fresh {
            handler.handle(&mut tx, envelope).await?;
        } else {
            tracing::debug!("duplicate event skipped");
        }
        tx.commit().await?;
        Ok(())
    }
}

fn traceparent_header(delivery: &Delivery) -> Option<String> {
    let headers = delivery.properties.headers().as_ref()?;
    match headers.inner().get("traceparent")? {
        lapin::types::AMQPValue::LongString(value) => Some(value.to_string()),
        _ => None,
    }
}
