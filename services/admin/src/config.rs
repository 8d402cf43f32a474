//! The admin service's configuration (`CHORUS_ADMIN__…`, shared keys `CHORUS__…`).

use chorus_authn::VerifierConfig;
use chorus_kit::db::DbConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AdminConfig {
    /// Public HTTP address when the service runs alone.
    pub http_addr: String,
    pub db: DbConfig,
    /// For the verifier's revocation flags (a blocked admin is refused at once).
    pub redis: RedisConfig,
    pub jwt: VerifierConfig,
    pub public: PublicHttpConfig,
    /// The auth service (keys, Accounts).
    pub auth_grpc_url: String,
    /// The chat service (ChatAdmin).
    pub chat_grpc_url: String,
    /// The message service (MessageAdmin).
    pub message_grpc_url: String,
    /// Behind the gateway: the audit log records `X-Real-IP` / `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// Longest support message, in characters (§14.6).
    pub max_content_chars: usize,
}

impl Default for AdminConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8087".into(),
            db: DbConfig::default(),
            redis: RedisConfig::default(),
            jwt: VerifierConfig::default(),
            public: PublicHttpConfig::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            chat_grpc_url: "http://127.0.0.1:50052".into(),
            message_grpc_url: "http://127.0.0.1:50053".into(),
            trust_forwarded_for: false,
            max_content_chars: 10_000,
        }
    }
}
