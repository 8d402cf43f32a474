//! The presence service's configuration (`CHORUS__…` shared, `CHORUS_PRESENCE__…` own).

use chorus_events::AmqpConfig;
use chorus_kit::redis::RedisConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PresenceConfig {
    /// HTTP address when the service runs alone: only `/health` and `/metrics`.
    pub http_addr: String,
    /// Internal gRPC address (Presence: Apply, Heartbeat, OnlineMany).
    pub grpc_addr: String,
    /// The state lives here; `redis.prefix` prefixes every key and fan-out channel.
    pub redis: RedisConfig,
    /// Where `presence.seen` is published.
    pub amqp: AmqpConfig,
    /// auth's `Users` (username and `last_seen_visibility` at broadcast time).
    pub auth_grpc_url: String,
    /// chat's `Membership` (the audience of a broadcast).
    pub chat_grpc_url: String,
    /// How long a user stays "online" for observers after their last active
    /// connection stopped being active (CONTRACT §17.3: 5 s).
    pub offline_debounce_ms: u64,
    /// An edge node silent for this long is declared dead and its connections closed.
    pub node_ttl_ms: u64,
    /// Poll period of the offline timers, the dead-node reaper and the
    /// broadcasts attempted again.
    pub tick_ms: u64,
    /// A transition whose broadcast has not succeeded this long after it was
    /// decided (a lookup failed, the instance died) is broadcast again, by
    /// whichever instance gets to it; longer than a broadcast normally takes.
    pub broadcast_retry_ms: u64,
    /// Attempts stop this long after the transition was decided: by then the
    /// state it announced is stale, and clients read the current one.
    pub broadcast_give_up_ms: u64,
}

impl Default for PresenceConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8085".into(),
            grpc_addr: "127.0.0.1:50055".into(),
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            chat_grpc_url: "http://127.0.0.1:50052".into(),
            offline_debounce_ms: 5000,
            node_ttl_ms: 10_000,
            tick_ms: 200,
            broadcast_retry_ms: 5000,
            broadcast_give_up_ms: 600_000,
        }
    }
}

impl PresenceConfig {
    /// Rejects values that would make the loops spin or never fire.
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(self.tick_ms > 0, "presence.tick_ms must be positive");
        anyhow::ensure!(
            self.node_ttl_ms > 0,
            "presence.node_ttl_ms must be positive"
        );
        anyhow::ensure!(
            self.broadcast_retry_ms > 0,
            "presence.broadcast_retry_ms must be positive"
        );
        Ok(())
    }
}
