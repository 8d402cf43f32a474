//! The outbox → relay → RabbitMQ → consumer path against the real PostgreSQL and
//! RabbitMQ, including the faults the design promises to survive.

use chorus_events::{
    AmqpConfig, Consumer, ConsumerSpec, Envelope, EventHandler, HandleError, Relay,
};
use chorus_kit::db::{DbConfig, connect_lazy};
use chorus_testkit::{TcpGate, TestEnv};
use futures_util::future::BoxFuture;
use lapin::options::{BasicPublishOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ConnectionProperties};
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

mod common;
use common::{eventually, inspect};

const SCHEMA: &str = "evt";

/// Records every applied event; not idempotent by itself, so a duplicate
/// application would show up as a second row.
struct RecordSeen;

impl EventHandler for RecordSeen {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            sqlx::query("INSERT INTO seen (event_type, producer) VALUES ($1, $2)")
                .bind(&event.r#type)
                .bind(&event.producer)
                .execute(&mut *tx)
                .await?;
            Ok(())
        })
    }
}

struct Fixture {
    env: TestEnv,
    pool: PgPool,
    amqp: AmqpConfig,
    shutdown: CancellationToken,
}

impl Fixture {
    async fn new() -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let db = DbConfig {
            url: env.database_url.clone().into(),
            ..DbConfig::default()
        };
        let pool = connect_lazy(&db, SCHEMA)?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA {SCHEMA}; SET search_path = {SCHEMA}; {} \
             CREATE TABLE seen (id BIGSERIAL PRIMARY KEY, event_type TEXT NOT NULL, producer TEXT NOT NULL);",
            chorus_events::TABLES_SQL
        )))
        .execute(&pool)
        .await?;
        // Relays declare every consumer queue of the system: under this test's
        // prefix, and removed with it.
        for purpose in chorus_events::topology::purposes() {
            env.queue(purpose);
        }
        let amqp = AmqpConfig {
            url: env.amqp_url.clone(),
            exchange: env.exchange.clone(),
            queue_prefix: format!("{}.", env.id),
            ..AmqpConfig::default()
        };
        Ok(Self {
            env,
            pool,
            amqp,
            shutdown: CancellationToken::new(),
        })
    }

    fn start_consumer(&self, queue: &str, types: &[&str]) -> String {
        let queue = self.env.queue(queue);
        let spec = ConsumerSpec {
            queue: queue.clone(),
            event_types: types.iter().map(|t| t.to_string()).collect(),
            single_active: false,
            ..Default::default()
        };
        Consumer::new(
            self.pool.clone(),
            self.amqp.clone(),
            spec,
            Arc::new(RecordSeen),
        )
        .spawn(self.shutdown.clone());
        queue
    }

    async fn emit(&self, event_type: &str, commit: bool) -> anyhow::Result<()> {
        common::emit(&self.pool, event_type, commit).await
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.pool)
            .await
            .unwrap_or(-1)
    }

    async fn seen(&self, event_type: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM seen WHERE event_type = $1")
            .bind(event_type)
            .fetch_one(&self.pool)
            .await
            .unwrap_or(-1)
    }

    /// Declares `queue` (with `args`) on `ch` and binds it to the exchange for `event_type`.
    async fn bound_queue(
        &self,
        ch: &lapin::Channel,
        queue: &str,
        event_type: &str,
        args: FieldTable,
    ) -> anyhow::Result<()> {
        ch.queue_declare(queue.into(), QueueDeclareOptions::default(), args)
            .await?;
        ch.queue_bind(
            queue.into(),
            self.amqp.exchange.as_str().into(),
            event_type.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
        Ok(())
    }

    async fn finish(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.pool.close().await;
        self.env.cleanup().await
    }
}

/// Waits until the consumer's queue exists so published events are routed to it.
async fn queue_ready(amqp: &AmqpConfig, queue: &str) -> anyhow::Result<()> {
    let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
    // A channel per look: a missing queue closes the channel it was asked on.
    eventually(&format!("queue {queue} exists"), || async {
        match conn.create_channel().await {
            Ok(channel) => inspect(&channel, queue).await.is_ok(),
            Err(_) => false,
        }
    })
    .await
}

async fn message_count(amqp: &AmqpConfig, queue: &str) -> anyhow::Result<u32> {
    let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
    let channel = conn.create_channel().await?;
    Ok(inspect(&channel, queue).await?.message_count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_with_its_row_reaches_a_consumer() -> anyhow::Result<()> {
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("committed", &["thing.happened"]);
    queue_ready(&fx.amqp, &queue).await?;
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());

    fx.emit("thing.happened", true).await?;

    eventually("the event is applied", || async {
        fx.seen("thing.happened").await == 1
    })
    .await?;
    assert_eq!(
        fx.count("SELECT count(*) FROM seen WHERE producer = 'test'")
            .await,
        1
    );
    eventually("the outbox is drained", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0
    })
    .await?;
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_whose_transaction_rolls_back_is_never_published() -> anyhow::Result<()> {
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("rollback", &["thing.rolled_back", "thing.marker"]);
    queue_ready(&fx.amqp, &queue).await?;
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());

    fx.emit("thing.rolled_back", false).await?;
    fx.emit("thing.marker", true).await?;

    // The marker was written after the rolled-back event: once it arrived,
    // the other would have too.
    eventually("the marker is applied", || async {
        fx.seen("thing.marker").await == 1
    })
    .await?;
    assert_eq!(fx.seen("thing.rolled_back").await, 0);
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_batch_republishes_without_duplicate_effects() -> anyhow::Result<()> {
    const N: i64 = 50;
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("killed", &["thing.batched"]);
    queue_ready(&fx.amqp, &queue).await?;
    // A plain queue that counts raw deliveries, duplicates included.
    let raw = fx.env.queue("raw");
    let conn = Connection::connect(&fx.amqp.url, ConnectionProperties::default()).await?;
    let ch = conn.create_channel().await?;
    fx.bound_queue(&ch, &raw, "thing.batched", FieldTable::default())
        .await?;

    for _ in 0..N {
        fx.emit("thing.batched", true).await?;
    }
    // Let the relay claim and publish the batch but block its DELETE, then kill it.
    let mut blocker = fx.pool.begin().await?;
    sqlx::query("LOCK TABLE outbox IN SHARE MODE")
        .execute(&mut *blocker)
        .await?;
    let relay_stop = CancellationToken::new();
    let (task, _) = Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(relay_stop.clone());
    eventually("the first relay published the batch", || async {
        fx.seen("thing.batched").await == N
    })
    .await?;
    task.abort();
    let _ = task.await;
    blocker.rollback().await?;
    assert_eq!(
        fx.count("SELECT count(*) FROM outbox").await,
        N,
        "the killed relay deleted nothing"
    );

    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());
    eventually("the restarted relay drained the outbox", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0
    })
    .await?;
    eventually("every event was delivered twice", || async {
        message_count(&fx.amqp, &raw).await.unwrap_or(0) == 2 * N as u32
    })
    .await?;
    // A marker published after the republished batch: the consumer applies one
    // delivery at a time in queue order, so once the marker is applied every
    // redelivery before it has been handled.
    fx.emit("thing.batched", true).await?;
    eventually("the consumer applied the marker", || async {
        fx.seen("thing.batched").await == N + 1
    })
    .await?;
    assert_eq!(
        chorus_events::metrics::handled(&queue, "ack"),
        2 * N as u64 + 1,
        "every copy was handled (the duplicates acknowledged without effect)"
    );
    assert_eq!(fx.seen("thing.batched").await, N + 1, "nothing doubled");
    conn.close(0, "done".into()).await?;
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_written_while_the_broker_is_down_are_delivered_when_it_returns()
-> anyhow::Result<()> {
    const N: i64 = 20;
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("outage", &["thing.during_outage"]);
    queue_ready(&fx.amqp, &queue).await?;
    let broker: std::net::SocketAddr = "127.0.0.1:5672".parse()?;
    let gate = TcpGate::start(broker).await?;
    let mut via_gate = fx.amqp.clone();
    via_gate.url = fx
        .amqp
        .url
        .replace("127.0.0.1:5672", &gate.addr.to_string());
    let (_, status) = Relay::new(fx.pool.clone(), SCHEMA, via_gate).spawn(fx.shutdown.clone());
    eventually("the relay connected", || async { status.is_connected() }).await?;

    gate.close();
    for _ in 0..N {
        fx.emit("thing.during_outage", true).await?;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        fx.count("SELECT count(*) FROM outbox").await,
        N,
        "nothing left the outbox during the outage"
    );
    assert_eq!(fx.seen("thing.during_outage").await, 0);

    gate.open();
    eventually("every event is applied", || async {
        fx.seen("thing.during_outage").await == N
    })
    .await?;
    eventually("the outbox is drained", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0
    })
    .await?;
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_whose_broker_stops_answering_gives_the_connection_up_and_keeps_its_rows()
-> anyhow::Result<()> {
    const N: i64 = 10;
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("stalled", &["thing.stalled"]);
    queue_ready(&fx.amqp, &queue).await?;
    let gate = TcpGate::start("127.0.0.1:5672".parse()?).await?;
    let mut via_gate = fx.amqp.clone();
    via_gate.url = fx
        .amqp
        .url
        .replace("127.0.0.1:5672", &gate.addr.to_string());
    via_gate.confirm_timeout_secs = 1;
    let (_, status) = Relay::new(fx.pool.clone(), SCHEMA, via_gate).spawn(fx.shutdown.clone());
    eventually("the relay connected", || async { status.is_connected() }).await?;

    // The link stays open and passes nothing: the publishes wait in the gate
    // and no confirm comes back.
    gate.stall();
    for _ in 0..N {
        fx.emit("thing.stalled", true).await?;
    }
    eventually("the relay gave the silent connection up", || async {
        !status.is_connected()
    })
    .await?;
    assert_eq!(
        fx.count("SELECT count(*) FROM outbox").await,
        N,
        "an unconfirmed batch stays in the outbox"
    );

    // The held publishes reach the broker too: each event arrives twice and
    // is applied once.
    gate.open();
    eventually("every event is applied", || async {
        fx.seen("thing.stalled").await == N
    })
    .await?;
    eventually("the outbox is drained", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fx.seen("thing.stalled").await, N, "no event applied twice");
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undecodable_message_is_dead_lettered_without_blocking_the_next() -> anyhow::Result<()> {
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("poison", &["thing.poisoned", "thing.fine"]);
    queue_ready(&fx.amqp, &queue).await?;
    let conn = Connection::connect(&fx.amqp.url, ConnectionProperties::default()).await?;
    let ch = conn.create_channel().await?;
    ch.basic_publish(
        fx.amqp.exchange.as_str().into(),
        "thing.poisoned".into(),
        BasicPublishOptions::default(),
        b"\xff\xfenot a protobuf envelope",
        BasicProperties::default(),
    )
    .await?
    .await?;
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());
    fx.emit("thing.fine", true).await?;

    eventually("the message behind the poison is applied", || async {
        fx.seen("thing.fine").await == 1
    })
    .await?;
    let dlq = format!("{queue}.dlq");
    eventually("the poison is in the dead-letter queue", || async {
        message_count(&fx.amqp, &dlq).await.unwrap_or(0) == 1
    })
    .await?;
    // At once: never retried up to the delivery limit first.
    assert_eq!(chorus_events::metrics::handled(&queue, "dead_letter"), 1);
    assert_eq!(chorus_events::metrics::handled(&queue, "retry"), 0);
    conn.close(0, "done".into()).await?;
    fx.finish().await
}

/// Applied deliveries are acknowledged together, one `multiple` ack per run of
/// them: a poison in the middle of a run is still dead-lettered alone, no
/// applied event is dead-lettered or redelivered with it, and a consumer that
/// stops leaves nothing it applied to be delivered again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_of_acks_around_a_poison_settles_each_delivery_once() -> anyhow::Result<()> {
    use prost::Message as _;
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("runs", &["thing.run"]);
    queue_ready(&fx.amqp, &queue).await?;
    let conn = Connection::connect(&fx.amqp.url, ConnectionProperties::default()).await?;
    let ch = conn.create_channel().await?;
    for i in 0..41 {
        let body = match i {
            20 => b"\xff\xfenot a protobuf envelope".to_vec(),
            _ => Envelope {
                id: uuid::Uuid::new_v4().to_string(),
                r#type: "thing.run".into(),
                producer: "test".into(),
                ..Envelope::default()
            }
            .encode_to_vec(),
        };
        ch.basic_publish(
            fx.amqp.exchange.as_str().into(),
            "thing.run".into(),
            BasicPublishOptions::default(),
            &body,
            BasicProperties::default().with_delivery_mode(2),
        )
        .await?;
    }
    eventually("the 40 events are applied", || async {
        fx.seen("thing.run").await == 40
    })
    .await?;
    let dlq = format!("{queue}.dlq");
    eventually("the poison is in the dead-letter queue", || async {
        message_count(&fx.amqp, &dlq).await.unwrap_or(0) == 1
    })
    .await?;
    fx.shutdown.cancel();
    eventually("the consumer has stopped", || async {
        match conn.create_channel().await {
            Ok(channel) => inspect(&channel, &queue)
                .await
                .is_ok_and(|q| q.consumer_count() == 0),
            Err(_) => false,
        }
    })
    .await?;
    assert_eq!(
        message_count(&fx.amqp, &queue).await?,
        0,
        "an applied event went back to the queue"
    );
    assert_eq!(message_count(&fx.amqp, &dlq).await?, 1);
    assert_eq!(chorus_events::metrics::handled(&queue, "ack"), 40);
    assert_eq!(chorus_events::metrics::handled(&queue, "dead_letter"), 1);
    conn.close(0, "done".into()).await?;
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_fresh_broker_an_event_published_before_its_consumer_started_is_not_lost()
-> anyhow::Result<()> {
    use chorus_events::topology;
    let fx = Fixture::new().await?;
    // Nothing consumes yet: the relay alone starts and publishes an event that
    // the media service's queue binds.
    let event_type = topology::MEDIA_USAGE.event_types[0];
    let queue = fx.amqp.queue_name(topology::MEDIA_USAGE.purpose);
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());
    fx.emit(event_type, true).await?;
    eventually("the outbox is drained", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0
    })
    .await?;
    eventually("the event waits in the consumer's queue", || async {
        message_count(&fx.amqp, &queue).await.ok() == Some(1)
    })
    .await?;

    // The consumer comes up later, declaring the same queue the same way.
    Consumer::new(
        fx.pool.clone(),
        fx.amqp.clone(),
        topology::MEDIA_USAGE.spec(&fx.amqp),
        Arc::new(RecordSeen),
    )
    .spawn(fx.shutdown.clone());
    eventually("the early event is applied once", || async {
        fx.seen(event_type).await == 1
    })
    .await?;
    fx.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_sweeps_its_processed_events_past_retention() -> anyhow::Result<()> {
    let fx = Fixture::new().await?;
    let queue = fx.env.queue("swept");
    for (consumer, age_hours) in [
        (&queue, 24 * 8),
        (&queue, 1),
        (&"other".to_string(), 24 * 8),
    ] {
        sqlx::query(
            "INSERT INTO processed_events (consumer, event_id, processed_at) \
             VALUES ($1, gen_random_uuid(), now() - make_interval(hours => $2))",
        )
        .bind(consumer)
        .bind(age_hours)
        .execute(&fx.pool)
        .await?;
    }
    fx.start_consumer("swept", &["thing.swept"]);
    eventually("the week-old row of this consumer is swept", || async {
        fx.count(&format!(
            "SELECT count(*) FROM processed_events WHERE consumer = '{queue}'"
        ))
        .await
            == 1
    })
    .await?;
    assert_eq!(
        fx.count("SELECT count(*) FROM processed_events WHERE consumer = 'other'")
            .await,
        1,
        "another consumer's rows are its own business"
    );
    fx.finish().await
}

/// A broker that refuses the publish (Nack): the relay deletes nothing, keeps
/// retrying, and delivers every row once the broker accepts again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nacked_publish_keeps_every_outbox_row_until_the_broker_accepts() -> anyhow::Result<()> {
    const N: i64 = 20;
    let fx = Fixture::new().await?;
    let queue = fx.start_consumer("nacked", &["thing.refused"]);
    queue_ready(&fx.amqp, &queue).await?;
    // A full queue that rejects new publishes makes the broker Nack each one routed to it.
    let full = fx.env.queue("full");
    let conn = Connection::connect(&fx.amqp.url, ConnectionProperties::default()).await?;
    let ch = conn.create_channel().await?;
    let mut args = FieldTable::default();
    args.insert("x-max-length".into(), lapin::types::AMQPValue::LongInt(0));
    args.insert(
        "x-overflow".into(),
        lapin::types::AMQPValue::LongString("reject-publish".into()),
    );
    fx.bound_queue(&ch, &full, "thing.refused", args).await?;
    for _ in 0..N {
        fx.emit("thing.refused", true).await?;
    }
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());
    // Long enough for several publish attempts, each refused.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        fx.count("SELECT count(*) FROM outbox").await,
        N,
        "a refused batch keeps its rows"
    );

    ch.queue_delete(full.as_str().into(), Default::default())
        .await?;
    eventually("every row is delivered once the broker accepts", || async {
        fx.count("SELECT count(*) FROM outbox").await == 0 && fx.seen("thing.refused").await == N
    })
    .await?;
    conn.close(0, "done".into()).await?;
    fx.finish().await
}

/// Fails every attempt (transiently) until `until`, then records the event.
struct DownUntil(std::time::Instant);

impl EventHandler for DownUntil {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            if std::time::Instant::now() < self.0 {
                return Err(HandleError::Transient("peer down".into()));
            }
            RecordSeen.handle(tx, event).await
        })
    }
}

/// An outage longer than the broker's delivery limit would take (5 deliveries)
/// is outlasted: the event is retried in place and applied once it ends,
/// never handed back, never dead-lettered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_outage_of_a_consumers_peer_is_outlasted_not_dead_lettered() -> anyhow::Result<()> {
    let fx = Fixture::new().await?;
    let queue = fx.env.queue("outage");
    Consumer::new(
        fx.pool.clone(),
        fx.amqp.clone(),
        ConsumerSpec {
            queue: queue.clone(),
            event_types: vec!["thing.delayed".into()],
            single_active: false,
            ..Default::default()
        },
        Arc::new(DownUntil(
            std::time::Instant::now() + Duration::from_secs(6),
        )),
    )
    .spawn(fx.shutdown.clone());
    queue_ready(&fx.amqp, &queue).await?;
    Relay::new(fx.pool.clone(), SCHEMA, fx.amqp.clone()).spawn(fx.shutdown.clone());
    fx.emit("thing.delayed", true).await?;

    eventually("the event is applied after the outage", || async {
        fx.seen("thing.delayed").await == 1
    })
    .await?;
    assert_eq!(
        chorus_events::metrics::handled(&queue, "retry"),
        0,
        "never handed back"
    );
    assert_eq!(chorus_events::metrics::handled(&queue, "dead_letter"), 0);
    assert_eq!(message_count(&fx.amqp, &format!("{queue}.dlq")).await?, 0);
    fx.finish().await
}
