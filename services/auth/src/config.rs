//! The auth service's configuration (`CHORUS_AUTH__…`, see the README).

use chorus_authn::VerifierConfig;
use chorus_events::AmqpConfig;
use chorus_kit::db::DbConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// Public HTTP address when the service runs alone.
    pub http_addr: String,
    /// Internal gRPC address (Keys, Users, Accounts).
    pub grpc_addr: String,
    pub db: DbConfig,
    pub redis: RedisConfig,
    pub amqp: AmqpConfig,
    pub jwt: JwtConfig,
    pub password: PasswordConfig,
    pub login_limits: LoginLimits,
    pub public: PublicHttpConfig,
    /// Take the client IP from `X-Real-IP` / `X-Forwarded-For` (behind the gateway only).
    pub trust_forwarded_for: bool,
    /// The presence service's gRPC endpoint (`is_online` on profiles).
    pub presence_grpc_url: String,
    /// The media service's gRPC endpoint (avatar files and their URLs).
    pub media_grpc_url: String,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8081".into(),
            grpc_addr: "127.0.0.1:50051".into(),
            db: DbConfig::default(),
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            jwt: JwtConfig::default(),
            password: PasswordConfig::default(),
            login_limits: LoginLimits::default(),
            public: PublicHttpConfig::default(),
            trust_forwarded_for: false,
            presence_grpc_url: "http://127.0.0.1:50055".into(),
            media_grpc_url: "http://127.0.0.1:50054".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct JwtConfig {
    #[serde(flatten)]
    pub verify: VerifierConfig,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// PKCS#8 PEM of the Ed25519 signing key. Required outside development mode.
    #[serde(serialize_with = "ser_secret_opt")]
    pub signing_key: Option<SecretString>,
    /// `kid` of the signing key; derived from the public key when absent.
    pub key_id: Option<String>,
    /// Keys of earlier signing keys whose tokens are still accepted (rotation).
    pub previous_public_keys: Vec<PreviousKey>,
    /// Development mode only: where a generated key is kept when none is configured.
    pub dev_key_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviousKey {
    pub kid: String,
    /// base64url Ed25519 public key.
    pub x: String,
}

fn ser_secret_opt<S: serde::Serializer>(v: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match v {
        Some(secret) => s.serialize_some(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            verify: VerifierConfig::default(),
            access_ttl_secs: 3600,
            refresh_ttl_secs: 604_800,
            signing_key: None,
            key_id: None,
            previous_public_keys: Vec::new(),
            dev_key_dir: None,
        }
    }
}

/// argon2id parameters; at least OWASP's m = 19 MiB, t = 2, p = 1 (§2.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordConfig {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Hashes computed at once; each holds `m_cost_kib` of memory.
    pub max_concurrent: usize,
    /// Memory for password hashing; bounds `max_concurrent` (at least one hash).
    pub memory_budget_mib: u32,
}

impl Default for PasswordConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            m_cost_kib: 19 * 1024,
            t_cost: 2,
            p_cost: 1,
            // Hashing is CPU-bound: more at once than cores only holds memory.
            max_concurrent: cores,
            memory_budget_mib: 128,
        }
    }
}

/// Failed-login limits (§20.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginLimits {
    pub per_account_per_minute: u32,
    pub per_account_per_hour: u32,
    pub per_ip_per_hour: u32,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account_per_minute: 10,
            per_account_per_hour: 100,
            per_ip_per_hour: 100,
        }
    }
}
