//! Redis (fred): a client that connects in the background and keeps reconnecting,
//! so a service starts while Redis is down; every command has a short timeout.

use fred::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RedisConfig {
    pub url: String,
    /// Prepended to every key and channel; tests use a unique prefix each.
    pub prefix: String,
    pub command_timeout_ms: u64,
}

impl Default for RedisConfig {
    fn default() -> Self {
        Self {
            url: "redis://127.0.0.1:6379".into(),
            prefix: "chorus:".into(),
            command_timeout_ms: 1000,
        }
    }
}

/// Builds a client and starts connecting without waiting for the first connection.
pub fn connect(cfg: &RedisConfig) -> Result<Client, Error> {
    build(cfg, |_, _| {})
}

/// Readiness probe: `PING` within the command timeout.
pub async fn ping(client: &Client) -> Result<(), Error> {
    client.ping::<()>(None).await
}

/// A client for a node's pub/sub subscriptions: like [`connect`], plus a deep
/// buffer between the connection and the reader so that a burst of published
/// frames is not dropped while the reader catches up.
///
/// It speaks RESP3, where a subscribed connection still answers ordinary
/// commands: a `PING` after `SUBSCRIBE` returns only once Redis has processed
/// the subscription (the client library resolves SUBSCRIBE when it is sent).
pub fn connect_subscriber(cfg: &RedisConfig, buffer: usize) -> Result<Client, Error> {
    build(cfg, |config, perf| {
        config.version = fred::types::RespVersion::RESP3;
        perf.broadcast_channel_capacity = buffer;
    })
}

/// The one place clients are configured: reconnecting in the background (a
/// service starts while Redis is down) with a short timeout on every command.
fn build(
    cfg: &RedisConfig,
    tune: impl FnOnce(&mut Config, &mut PerformanceConfig),
) -> Result<Client, Error> {
    let mut config = Config::from_url(&cfg.url)?;
    config.fail_fast = false;
    let mut perf = PerformanceConfig {
        default_command_timeout: Duration::from_millis(cfg.command_timeout_ms),
        ..Default::default()
    };
    tune(&mut config, &mut perf);
    let client = Builder::from_config(config)
        .set_performance_config(perf)
        .with_connection_config(|conn| {
            conn.connection_timeout = Duration::from_secs(2);
        })
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
        .build()?;
    client.connect();
    crate::pool_metrics::watch_redis(&client);
    Ok(client)
}
