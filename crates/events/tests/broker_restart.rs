//! Issue 17 §6: a broker restart on the consumers' side. Events are published
//! (the relay had the broker's confirms and emptied the outbox: what a 201
//! promises) when the broker is killed -9 and started again: one consumer had
//! them in flight (applied, not acknowledged), the other had not received them
//! yet. Each consumer still applies each event exactly once. The broker is a
//! RabbitMQ node of the test's own (testkit's `PrivateRabbit`), so killing it
//! disturbs no other test.
//!
//! The queues come from the node's previous run, as a deployment's do: RabbitMQ
//! 3.10 does not always recover a quorum queue declared a moment before it is
//! killed (the queue never gets a leader again; consumers and publishers of it
//! hang until the broker's own timeout), so the node is first restarted cleanly.

use chorus_events::{
    AmqpConfig, Consumer, ConsumerSpec, Envelope, EventHandler, HandleError, Relay,
};
use chorus_kit::db::{DbConfig, connect_lazy};
use chorus_testkit::{PrivateRabbit, TestEnv};
use futures_util::future::BoxFuture;
use lapin::{Connection, ConnectionProperties};
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

mod common;
use common::{eventually, inspect};

const SCHEMA: &str = "evt";
const HELD: &str = "thing.held";
const KEPT: &str = "thing.kept";

/// Records every application of an event by one consumer (no uniqueness: a
/// second effect would be a second row). `thing.held` waits for the test's
/// release, so the broker dies while that delivery is in flight.
struct Recorder {
    consumer: &'static str,
    entered: Notify,
    release: watch::Receiver<bool>,
}

impl EventHandler for Recorder {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            sqlx::query("INSERT INTO applied (consumer, event_id) VALUES ($1, $2)")
                .bind(self.consumer)
                .bind(&event.id)
                .execute(&mut *tx)
                .await?;
            if event.r#type == HELD {
                self.entered.notify_one();
                let mut release = self.release.clone();
                let _ = release.wait_for(|released| *released).await;
            }
            Ok(())
        })
    }
}

fn spec(amqp: &AmqpConfig, name: &str) -> ConsumerSpec {
    ConsumerSpec {
        queue: amqp.queue_name(name),
        event_types: vec![HELD.into(), KEPT.into()],
        retired: vec![],
        single_active: false,
    }
}

/// Rows `consumer` applied (`distinct`: different events).
async fn applied(pool: &PgPool, consumer: &str, distinct: bool) -> i64 {
    let sql = if distinct {
        "SELECT count(DISTINCT event_id) FROM applied WHERE consumer = $1"
    } else {
        "SELECT count(*) FROM applied WHERE consumer = $1"
    };
    sqlx::query_scalar(sql)
        .bind(consumer)
        .fetch_one(pool)
        .await
        .unwrap_or(-1)
}

async fn outbox(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(pool)
        .await
        .unwrap_or(-1)
}

/// How many consumers `queue` has; `None` while it does not exist (a passive
/// declare, on a channel of its own: a missing queue closes the channel).
async fn consumers(conn: &Connection, queue: &str) -> Option<u32> {
    let channel = conn.create_channel().await.ok()?;
    let declared = inspect(&channel, queue).await.ok()?;
    let _ = channel.close(200, "checked".into()).await;
    Some(declared.consumer_count())
}

/// The node's directory, removed (after the node, declared later, is killed)
/// however the test ends.
struct RemovedOnDrop(std::path::PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumers_apply_each_event_once_across_a_broker_restart() -> anyhow::Result<()> {
    const N: i64 = 30;
    common::logs();
    let mut env = TestEnv::new().await?;
    let dir = RemovedOnDrop(std::env::temp_dir().join(&env.id));
    let mut rabbit = PrivateRabbit::start(&dir.0.join("rabbit"), &env.id).await?;
    // The test's exchanges live there (and are removed there by the cleanup).
    env.amqp_url = rabbit.url();
    let pool = connect_lazy(
        &DbConfig {
            url: env.database_url.clone().into(),
            ..DbConfig::default()
        },
        SCHEMA,
    )?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA {SCHEMA}; SET search_path = {SCHEMA}; {} \
         CREATE TABLE applied (consumer TEXT NOT NULL, event_id TEXT NOT NULL);",
        chorus_events::TABLES_SQL
    )))
    .execute(&pool)
    .await?;
    let amqp = AmqpConfig {
        url: env.amqp_url.clone(),
        exchange: env.exchange.clone(),
        queue_prefix: format!("{}.", env.id),
        ..AmqpConfig::default()
    };
    let shutdown = CancellationToken::new();
    let (release, held) = watch::channel(false);
    let recorder = |consumer| {
        Arc::new(Recorder {
            consumer,
            entered: Notify::new(),
            release: held.clone(),
        })
    };

    // The relay declares the exchanges when it connects.
    let (_, relay) = Relay::new(pool.clone(), SCHEMA, amqp.clone()).spawn(shutdown.clone());
    eventually("the relay connected", || async { relay.is_connected() }).await?;
    // "late" has its queue, bound, but consumes only after the restart.
    let late = spec(&amqp, "test.late");
    let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
    let channel = conn.create_channel().await?;
    chorus_events::topology::declare(&channel, &amqp, &late).await?;
    channel.close(200, "declared".into()).await?;
    // "live" takes the held event and stays on it; the rest wait in its
    // prefetch or in the queue, unacknowledged.
    let live = spec(&amqp, "test.live");
    let live_queue = live.queue.clone();
    let live_recorder = recorder("live");
    Consumer::new(pool.clone(), amqp.clone(), live, live_recorder.clone()).spawn(shutdown.clone());
    eventually("the live consumer declared its queue", || async {
        consumers(&conn, &live_queue).await == Some(1)
    })
    .await?;
    conn.close(200, "declared".into()).await?;

    // A clean restart: the queues are now the previous run's.
    rabbit.stop().await;
    rabbit.up().await?;
    let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
    eventually("the relay and the live consumer are back", || async {
        relay.is_connected() && consumers(&conn, &live_queue).await == Some(1)
    })
    .await?;
    conn.close(200, "checked".into()).await?;

    common::emit(&pool, HELD, true).await?;
    for _ in 1..N {
        common::emit(&pool, KEPT, true).await?;
    }
    tokio::time::timeout(Duration::from_secs(60), live_recorder.entered.notified()).await?;
    eventually("every event is confirmed by the broker", || async {
        outbox(&pool).await == 0
    })
    .await?;

    rabbit.kill9();
    // The held event's effect commits; its acknowledgement cannot reach the broker.
    release.send_replace(true);
    eventually("the held event is applied", || async {
        applied(&pool, "live", false).await >= 1
    })
    .await?;
    rabbit.up().await?;
    Consumer::new(pool.clone(), amqp.clone(), late, recorder("late")).spawn(shutdown.clone());

    // A marker behind them all: once a consumer applied it, every delivery
    // before it has been handled (one at a time, in queue order).
    common::emit(&pool, KEPT, true).await?;
    for consumer in ["live", "late"] {
        let all_applied = eventually(
            &format!("{consumer}: every event and the marker are applied"),
            || async { applied(&pool, consumer, true).await == N + 1 },
        )
        .await;
        if let Err(err) = all_applied {
            // What the broker and the database hold, for the log of a failed run.
            let conn = Connection::connect(&amqp.url, ConnectionProperties::default()).await?;
            for queue in [amqp.queue_name("test.live"), amqp.queue_name("test.late")] {
                let channel = conn.create_channel().await?;
                match inspect(&channel, &queue).await {
                    Ok(q) => eprintln!(
                        "{queue}: {} ready, {} consumers",
                        q.message_count(),
                        q.consumer_count()
                    ),
                    Err(e) => eprintln!("{queue}: {e}"),
                }
            }
            eprintln!(
                "applied: live {}, late {}; outbox {}",
                applied(&pool, "live", true).await,
                applied(&pool, "late", true).await,
                outbox(&pool).await
            );
            return Err(err);
        }
        assert_eq!(
            applied(&pool, consumer, false).await,
            N + 1,
            "{consumer}: each event applied once"
        );
    }
    let handled = chorus_events::metrics::handled(&live_queue, "ack");
    assert!(
        handled > N as u64 + 1,
        "live: what it had applied was delivered again after the restart ({handled} handled)"
    );

    shutdown.cancel();
    pool.close().await;
    env.cleanup().await
}
