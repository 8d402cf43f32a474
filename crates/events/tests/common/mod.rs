//! What the events tests share: waiting for a condition, writing an outbox
//! event, and looking at a queue.
#![allow(dead_code)] // each test file uses a part

use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;
use sqlx::PgPool;

#[allow(unused_imports)] // routing.rs waits for nothing
pub use chorus_testkit::eventually;

/// Writes one `event_type` event to the outbox in a transaction of its own,
/// committed or rolled back.
pub async fn emit(pool: &PgPool, event_type: &str, commit: bool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    chorus_events::enqueue(
        &mut tx,
        "test",
        event_type,
        &prost_types::Timestamp::default(),
    )
    .await?;
    if commit {
        tx.commit().await?
    } else {
        tx.rollback().await?
    }
    Ok(())
}

/// `queue` as the broker sees it (message and consumer counts); an error when
/// it does not exist, which also closes `channel`.
pub async fn inspect(channel: &lapin::Channel, queue: &str) -> anyhow::Result<lapin::Queue> {
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    Ok(channel
        .queue_declare(queue.into(), passive, FieldTable::default())
        .await?)
}

/// The library's logs on the test's output (`RUST_LOG`, else its warnings and
/// the consumers' and relays' state changes), which the test runner shows
/// when the test fails: what a failed run of a fault test was doing.
pub fn logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("chorus_events=info,lapin=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}
