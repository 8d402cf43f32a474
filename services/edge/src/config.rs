//! The edge's configuration (`CHORUS__…` shared, `CHORUS_EDGE__…` own).

use chorus_authn::VerifierConfig;
use chorus_events::AmqpConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct EdgeConfig {
    /// Public address of `/ws` (plus `/health`, `/metrics`) when the edge runs alone.
    pub http_addr: String,
    /// This node's name in presence state; empty ⇒ generated (unique per start).
    pub node_id: String,
    /// Browser origins allowed to open `/ws`; empty allows every origin. A
    /// request without `Origin` (a native client) is always allowed.
    pub allowed_origins: Vec<String>,
    /// Largest accepted inbound frame/message; larger closes with 1009.
    pub max_frame_bytes: usize,
    /// Initial read buffer per connection; it grows only for larger frames.
    pub read_buffer_bytes: usize,
    /// Concurrent connections on this node, and from one client address (§20.3).
    pub max_connections: usize,
    pub max_connections_per_ip: u32,
    /// Take the client address from `X-Real-IP` / `X-Forwarded-For` (behind the gateway).
    pub trust_forwarded_for: bool,
    /// Frames queued for one connection before it counts as too slow and is
    /// closed (1013); it catches up by `seq` when it reconnects.
    pub send_queue_frames: usize,
    /// Inbound frames per second per connection (sustained) and burst (§20.1).
    pub rate_per_sec: u32,
    pub rate_burst: u32,
    /// `subscribe` frames per second and burst, counted apart: a user in many
    /// chats subscribes to all of them right after `auth`.
    pub subscribe_per_sec: u32,
    pub subscribe_burst: u32,
    /// Refused frames in a row after which a flooding connection is closed (1008).
    pub flood_close_after: u32,
    /// A connection silent for longer is closed (§16.4, §20.3).
    pub idle_timeout_secs: u64,
    /// How long a positive "is a member" answer is reused; membership changes
    /// invalidate it on every node at once, so this only bounds a lost invalidation.
    pub membership_cache_ttl_ms: u64,
    /// Presence heartbeat period (the presence service's node TTL is a few beats).
    pub heartbeat_ms: u64,
    /// On shutdown: how long open connections get to receive their close frame.
    pub drain_timeout_secs: u64,
    /// Messages replayed at most for one `subscribe` with `after_seq`.
    pub catch_up_max: usize,
    pub redis: RedisConfig,
    pub amqp: AmqpConfig,
    pub jwt: VerifierConfig,
    pub public: PublicHttpConfig,
    pub auth_grpc_url: String,
    pub chat_grpc_url: String,
    pub message_grpc_url: String,
    pub presence_grpc_url: String,
}

impl Default for EdgeConfig {
    fn default() -> Self {
        Self {
            http_addr: "0.0.0.0:8086".into(),
            node_id: String::new(),
            allowed_origins: Vec::new(),
            max_frame_bytes: 64 * 1024,
            read_buffer_bytes: 1024,
            max_connections: 100_000,
            max_connections_per_ip: 1_000,
            trust_forwarded_for: false,
            send_queue_frames: 256,
            rate_per_sec: 20,
            rate_burst: 50,
            subscribe_per_sec: 100,
            subscribe_burst: 5_000,
            flood_close_after: 100,
            idle_timeout_secs: 60,
            membership_cache_ttl_ms: 30_000,
            heartbeat_ms: 3_000,
            drain_timeout_secs: 5,
            catch_up_max: 5_000,
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            jwt: VerifierConfig::default(),
            public: PublicHttpConfig::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            chat_grpc_url: "http://127.0.0.1:50052".into(),
            message_grpc_url: "http://127.0.0.1:50053".into(),
            presence_grpc_url: "http://127.0.0.1:50055".into(),
        }
    }
}
