//! The chat service's configuration (`CHORUS__…` shared, `CHORUS_CHAT__…` own).

use chorus_authn::VerifierConfig;
use chorus_events::AmqpConfig;
use chorus_kit::db::DbConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatConfig {
    /// Public HTTP address when the service runs alone.
    pub http_addr: String,
    /// Internal gRPC address (Membership).
    pub grpc_addr: String,
    pub db: DbConfig,
    pub redis: RedisConfig,
    pub amqp: AmqpConfig,
    pub jwt: VerifierConfig,
    pub public: PublicHttpConfig,
    /// The auth service's gRPC endpoint (keys, user profiles).
    pub auth_grpc_url: String,
    /// The message service's gRPC endpoint (unread counts and last messages).
    pub message_grpc_url: String,
    /// The presence service's gRPC endpoint (`other_is_online` in the chat list).
    pub presence_grpc_url: String,
    /// The media service's gRPC endpoint (avatar files and their URLs).
    pub media_grpc_url: String,
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8082".into(),
            grpc_addr: "127.0.0.1:50052".into(),
            db: DbConfig::default(),
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            jwt: VerifierConfig::default(),
            public: PublicHttpConfig::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            message_grpc_url: "http://127.0.0.1:50053".into(),
            presence_grpc_url: "http://127.0.0.1:50055".into(),
            media_grpc_url: "http://127.0.0.1:50054".into(),
        }
    }
}
