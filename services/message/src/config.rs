//! The message service's configuration (`CHORUS_MESSAGE__…`, shared keys `CHORUS__…`).

use chorus_authn::VerifierConfig;
use chorus_events::AmqpConfig;
use chorus_kit::db::DbConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageConfig {
    /// Public HTTP address when the service runs alone.
    pub http_addr: String,
    /// Internal gRPC address (History, Unread).
    pub grpc_addr: String,
    pub db: DbConfig,
    pub redis: RedisConfig,
    pub amqp: AmqpConfig,
    pub jwt: VerifierConfig,
    pub public: PublicHttpConfig,
    /// The auth service (keys, Users.GetMany).
    pub auth_grpc_url: String,
    /// The chat service (Membership).
    pub chat_grpc_url: String,
    /// The media service (attachments, stickers, avatar URLs).
    pub media_grpc_url: String,
    /// How long a positive membership answer is reused; 0 disables the cache.
    pub membership_cache_ttl_ms: u64,
    /// How long a sender's name and avatar are reused by sends and pages; 0 disables the cache.
    pub users_cache_ttl_ms: u64,
    /// Longest accepted message content, in characters (§9.3).
    pub max_content_chars: usize,
}

impl Default for MessageConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8083".into(),
            grpc_addr: "127.0.0.1:50053".into(),
            db: DbConfig::default(),
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            jwt: VerifierConfig::default(),
            public: PublicHttpConfig::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            chat_grpc_url: "http://127.0.0.1:50052".into(),
            media_grpc_url: "http://127.0.0.1:50054".into(),
            membership_cache_ttl_ms: 2000,
            users_cache_ttl_ms: 2000,
            max_content_chars: 10_000,
        }
    }
}
