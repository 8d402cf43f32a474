//! The outbox relay: claims outbox rows with `FOR UPDATE SKIP LOCKED` (several
//! relays may run), publishes them persistent and `mandatory` with publisher
//! confirms, and deletes them only after the broker confirmed. A relay that dies
//! mid-batch leaves its rows in place, so they are published again: delivery is
//! at-least-once and consumers deduplicate by event id. It is woken by NOTIFY at
//! commit, or in-process by its producer after a commit without one
//! ([`RelayWaker`]), so it adds no polling delay; a slow poll covers missed
//! notifications and rows other replicas wrote without one.

use crate::amqp::{self, AmqpConfig};
use crate::claim::{Claimed, Finish, claim};
use crate::metrics::PIPELINE;
use crate::outbox::channel_name;
use futures_util::future::join_all;
use lapin::Confirmation;
use lapin::options::BasicPublishOptions;
use lapin::{BasicProperties, Channel};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const SAFETY_POLL: Duration = Duration::from_secs(1);
/// How often the outbox's backlog and oldest row are sampled for the metrics.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// Wakes a relay of this process after its producer committed outbox rows
/// without a NOTIFY (`outbox::OutboxRow::stage`).
#[derive(Debug, Clone, Default)]
pub struct RelayWaker(Arc<tokio::sync::Notify>);

impl RelayWaker {
    pub fn wake(&self) {
        // A wake-up while the relay is busy is kept for its next wait.
        self.0.notify_one();
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[derive(Clone)]
pub struct Relay {
    pool: PgPool,
    schema: String,
    amqp: AmqpConfig,
    batch_size: i64,
    /// Publishing starts once these migrations are applied (before, the outbox
    /// table may not exist yet).
    after: Option<chorus_kit::db::Migrated>,
    /// Where LISTEN connects: a real session, not a transaction-mode pooler.
    listen_pool: PgPool,
    waker: RelayWaker,
    /// Set when the schema's outbox has an `assigned` column.
    finish: Option<Finish>,
}

/// Whether the relay currently holds a broker connection (for readiness).
#[derive(Debug, Clone, Default)]
pub struct RelayStatus(Arc<AtomicBool>);

impl RelayStatus {
    pub fn is_connected(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("broker: {0}")]
    Broker(#[from] lapin::Error),
    #[error("broker refused event {0}")]
    Nacked(i64),
    #[error("broker did not confirm a batch within {0:?}")]
    Unconfirmed(Duration),
}

impl Relay {
    pub fn new(pool: PgPool, schema: impl Into<String>, amqp: AmqpConfig) -> Self {
        Self {
            listen_pool: pool.clone(),
            pool,
            schema: schema.into(),
            amqp,
            batch_size: 256,
            after: None,
            waker: RelayWaker::default(),
            finish: None,
        }
    }

    /// Wakes this relay from the same process (after a commit without NOTIFY).
    pub fn waker(&self) -> RelayWaker {
        self.waker.clone()
    }

    /// LISTENs through this pool (`chorus_kit::db::connect_direct`) instead.
    pub fn listen_through(mut self, pool: PgPool) -> Self {
        self.listen_pool = pool;
        self
    }

    /// Finishes the envelopes of rows that carry `assigned` values (the outbox
    /// of this schema has that column) before publishing them.
    pub fn finish_with(mut self, finish: Finish) -> Self {
        self.finish = Some(finish);
        self
    }

    /// Waits for the service's migrations before the first outbox read.
    pub fn after_migrations(mut self, migrated: chorus_kit::db::Migrated) -> Self {
        self.after = Some(migrated);
        self
    }

    /// Runs until `shutdown`; returns the task and a status handle.
    pub fn spawn(self, shutdown: CancellationToken) -> (tokio::task::JoinHandle<()>, RelayStatus) {
        let status = RelayStatus::default();
        let flag = status.0.clone();
        crate::metrics::touch(&self.schema);
        tokio::spawn(self.clone().sample_outbox(shutdown.clone()));
        let task = tokio::spawn(async move {
            // Supervised: a panic in one run must not stop event delivery for good.
            loop {
                let run = tokio::spawn(self.clone().run(flag.clone()));
                // Stopping (or aborting) the supervisor stops the run with it.
                let _stop_with_me = AbortOnDrop(run.abort_handle());
                let outcome = tokio::select! {
                    _ = shutdown.cancelled() => break,
                    outcome = run => outcome,
                };
                flag.store(false, Ordering::Release);
                match outcome {
                    Err(err) if err.is_panic() => {
                        tracing::error!(schema = %self.schema, "outbox relay panicked; restarting");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    _ => break,
                }
            }
            flag.store(false, Ordering::Release);
        });
        (task, status)
    }

    /// Keeps `messenger_outbox_backlog` and `_oldest_age_seconds` current, also
    /// while the broker is unreachable (when they matter most).
    async fn sample_outbox(self, shutdown: CancellationToken) {
        if let Some(migrated) = &self.after {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = migrated.wait() => {}
            }
        }
        loop {
            // Counted up to a bound: the sample must stay cheap when the backlog is huge.
            let sampled: Result<(i64, f64), sqlx::Error> = sqlx::query_as(
                "SELECT (SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT 100000) AS b), \
                        COALESCE(EXTRACT(EPOCH FROM now() - (SELECT created_at FROM outbox ORDER BY id LIMIT 1)), 0)::float8",
            )
            .fetch_one(&self.pool)
            .await;
            if let Ok((backlog, age)) = sampled {
                PIPELINE
                    .outbox_backlog
                    .with_label_values(&[&self.schema])
                    .set(backlog);
                PIPELINE
                    .outbox_oldest_age
                    .with_label_values(&[&self.schema])
                    .set(age as i64);
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(SAMPLE_EVERY) => {}
            }
        }
    }

    async fn run(self, connected: Arc<AtomicBool>) {
        if let Some(migrated) = &self.after {
            migrated.wait().await;
        }
        let mut delay = Duration::from_millis(100);
        loop {
            match amqp::open(&self.amqp, true).await {
                Ok((conn, channel)) => {
                    // Every consumer queue exists before the first publish.
                    let declared = if self.amqp.declare_topology {
                        crate::topology::declare_all(&channel, &self.amqp).await
                    } else {
                        Ok(())
                    };
                    if let Err(err) = declared {
                        tracing::warn!(schema = %self.schema, error = %err, "outbox relay cannot declare the consumer queues");
                        let _ = conn.close(0, "relay restarting".into()).await;
                        tokio::time::sleep(delay).await;
                        delay = amqp::next_delay(delay);
                        continue;
                    }
                    connected.store(true, Ordering::Release);
                    delay = Duration::from_millis(100);
                    let err = self.drain_forever(&channel).await;
                    connected.store(false, Ordering::Release);
                    tracing::warn!(schema = %self.schema, error = %err, "outbox relay interrupted; reconnecting");
                    // A close waits for the broker's answer, which may never come.
                    let _ = tokio::time::timeout(
                        Duration::from_secs(5),
                        conn.close(0, "relay restarting".into()),
                    )
                    .await;
                }
                Err(err) => {
                    tracing::warn!(schema = %self.schema, error = %err, "outbox relay cannot reach the broker");
                }
            }
            tokio::time::sleep(delay).await;
            delay = amqp::next_delay(delay);
        }
    }

    /// Publishes batches until an error; waits for NOTIFY (or the safety poll) when empty.
    async fn drain_forever(&self, channel: &Channel) -> RelayError {
        let mut listener: Option<PgListener> = None;
        loop {
            if listener.is_none() {
                listener = self.listen().await.ok();
            }
            match self.publish_batch(channel).await {
                Ok(n) if n as i64 == self.batch_size => continue,
                Ok(_) => {}
                Err(RelayError::Db(err)) => {
                    tracing::warn!(schema = %self.schema, error = %err, "outbox relay cannot read the outbox");
                    listener = None;
                    tokio::time::sleep(SAFETY_POLL).await;
                    continue;
                }
                Err(err) => return err,
            }
            let woken = self.waker.0.notified();
            match listener.as_mut() {
                Some(l) => tokio::select! {
                    received = l.recv() => if received.is_err() { listener = None },
                    _ = woken => {}
                    _ = tokio::time::sleep(SAFETY_POLL) => {}
                },
                None => tokio::select! {
                    _ = woken => {}
                    _ = tokio::time::sleep(SAFETY_POLL) => {}
                },
            }
        }
    }

    async fn listen(&self) -> Result<PgListener, sqlx::Error> {
        let mut listener = PgListener::connect_with(&self.listen_pool).await?;
        listener.listen(&channel_name(&self.schema)).await?;
        Ok(listener)
    }

    fn publish_span(&self, routing_key: &str, envelope: &[u8]) -> tracing::Span {
        let span = tracing::info_span!(
            "relay.publish",
            otel.name = format!("{} publish", self.amqp.exchange),
            otel.kind = "producer",
            messaging.system = "rabbitmq",
            messaging.destination.name = %self.amqp.exchange,
            messaging.rabbitmq.destination.routing_key = %routing_key,
            chorus.service = %self.schema,
        );
        if let Ok(envelope) =
            <chorus_proto::events::v1::Envelope as prost::Message>::decode(envelope)
        {
            chorus_kit::telemetry::set_remote_parent(&span, &envelope.trace_context);
        }
        span
    }

    /// Claims, publishes and deletes one batch in one transaction.
    async fn publish_batch(&self, channel: &Channel) -> Result<usize, RelayError> {
        let mut tx = self.pool.begin().await?;
        let rows = claim(&mut tx, self.batch_size, self.finish.as_ref()).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let started = std::time::Instant::now();
        let mut confirms = Vec::with_capacity(rows.len());
        for Claimed {
            id,
            event_type: routing_key,
            envelope,
            ..
        } in &rows
        {
            let mut props = BasicProperties::default()
                .with_delivery_mode(2)
                .with_content_type("application/x-protobuf".into())
                .with_type(routing_key.as_str().into());
            // Traced: a PRODUCER span per event under the change that caused it,
            // whose context travels in the message headers to the consumers.
            let _span = chorus_kit::telemetry::exporting().then(|| {
                let span = self.publish_span(routing_key, envelope);
                if let Some(traceparent) = chorus_kit::telemetry::traceparent(&span) {
                    let mut headers = lapin::types::FieldTable::default();
                    headers.insert(
                        "traceparent".into(),
                        lapin::types::AMQPValue::LongString(traceparent.into()),
                    );
                    props = props.clone().with_headers(headers);
                }
                span
            });
            let confirm = channel
                .basic_publish(
                    self.amqp.exchange.as_str().into(),
                    routing_key.as_str().into(),
                    BasicPublishOptions {
                        mandatory: true,
                        ..Default::default()
                    },
                    envelope,
                    props,
                )
                .await?;
            confirms.push((*id, routing_key, confirm));
        }
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        // A broker that stops answering (frozen, or a link that holds the
        // connection open but passes nothing) would hold this batch — and
        // every event behind it — for as long as the connection lives.
        let waiting = Duration::from_secs(self.amqp.confirm_timeout_secs);
        let outcomes = tokio::time::timeout(
            waiting,
            join_all(
                confirms
                    .into_iter()
                    .map(|(id, ty, c)| async move { (id, ty, c.await) }),
            ),
        )
        .await
        .map_err(|_| RelayError::Unconfirmed(waiting))?;
        PIPELINE
            .relay_publish_seconds
            .with_label_values(&[&self.schema])
            .observe(started.elapsed().as_secs_f64());
        for (id, routing_key, outcome) in outcomes {
            match outcome? {
                Confirmation::Ack(Some(_returned)) => {
                    PIPELINE
                        .relay_returned
                        .with_label_values(&[&self.schema])
                        .inc();
                    // Mandatory and unroutable: no consumer binds this type
                    // (every consumer queue was declared before publishing).
                    tracing::debug!(routing_key = %routing_key, outbox_id = id, "event returned: no queue binds its routing key");
                }
                Confirmation::Ack(None) | Confirmation::NotRequested => {}
                Confirmation::Nack(_) => return Err(RelayError::Nacked(id)),
            }
        }
        // The deletion commits without waiting for its WAL flush: lost in a
        // crash, it only republishes events the broker already has, which
        // consumers deduplicate — and the relay's cycle no longer waits for
        // an fsync per batch. Set in this statement to save a round trip.
        sqlx::query(
            "WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) \
             DELETE FROM outbox WHERE id = ANY($1) AND EXISTS (SELECT 1 FROM async)",
        )
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        PIPELINE
            .relay_published
            .with_label_values(&[&self.schema])
            .inc_by(ids.len() as u64);
        tracing::debug!(schema = %self.schema, count = ids.len(), "outbox batch published");
        Ok(ids.len())
    }
}
