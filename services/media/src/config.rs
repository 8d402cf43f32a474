//! The media service's configuration (`CHORUS_MEDIA__…`, shared keys `CHORUS__…`).

use chorus_authn::VerifierConfig;
use chorus_events::AmqpConfig;
use chorus_kit::db::DbConfig;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::redis::RedisConfig;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaConfig {
    /// Public HTTP address when the service runs alone.
    pub http_addr: String,
    /// Internal gRPC address (Files).
    pub grpc_addr: String,
    pub db: DbConfig,
    pub redis: RedisConfig,
    pub amqp: AmqpConfig,
    pub jwt: VerifierConfig,
    /// `max_file_size_mb` is the upload limit (§12.1).
    pub public: PublicHttpConfig,
    pub s3: S3Config,
    /// The auth service (keys).
    pub auth_grpc_url: String,
    /// The chat service (Membership: which chats a downloader is in).
    pub chat_grpc_url: String,
    /// Uploads abandoned this long ago (a crash mid-upload) are removed.
    pub stale_upload_secs: u64,
    /// Memory all uploads in flight may hold together, MiB: each holds one part
    /// while it streams; uploads beyond the budget wait their turn.
    pub upload_buffer_mib: usize,
}

/// The development store's secret (the embedded store of `chorus all`); public,
/// so `chorus media` refuses to run with it.
pub const DEV_SECRET_KEY: &str = "chorus-dev-secret";

/// The S3-compatible object store (CONTRACT §21 `MINIO_*`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct S3Config {
    /// `MINIO_ENDPOINT`: the internal endpoint, `host:port` or `http://host:port`;
    /// also the host presigned URLs are signed for. Empty in `chorus all` ⇒ the
    /// embedded development store.
    pub endpoint: String,
    pub access_key: String,
    #[serde(serialize_with = "expose")]
    pub secret_key: SecretString,
    /// `MINIO_PUBLIC_URL`: replaces `http://<endpoint>` in presigned URLs when set.
    pub public_url: String,
    pub uploads_bucket: String,
    pub stickers_bucket: String,
    /// Created at start but unused by the API (§19.0).
    pub avatars_bucket: String,
    /// `MINIO_PRESIGN_TTL`, seconds.
    pub presign_ttl_secs: u64,
    /// Uploads are sent in parts of this many MiB (at least 5, S3's minimum);
    /// one part per upload in flight is the memory an upload holds.
    pub part_size_mib: usize,
}

/// Figment layers configuration through `Serialize`; the secret must survive it.
fn expose<S: serde::Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    s.serialize_str(secret.expose_secret())
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            access_key: "chorus".into(),
            secret_key: SecretString::from(DEV_SECRET_KEY),
            public_url: String::new(),
            uploads_bucket: "chorus-uploads".into(),
            stickers_bucket: "chorus-stickers".into(),
            avatars_bucket: "chorus-avatars".into(),
            presign_ttl_secs: 900,
            part_size_mib: 8,
        }
    }
}

impl S3Config {
    /// The endpoint as a URL the SDK can call (`http://` added when bare).
    pub fn endpoint_url(&self) -> String {
        if self.endpoint.contains("://") {
            self.endpoint.clone()
        } else {
            format!("http://{}", self.endpoint)
        }
    }

    /// The signed host: the endpoint without its scheme or trailing slash (§13.3).
    pub fn canonical_host(&self) -> &str {
        let host = match self.endpoint.split_once("://") {
            Some((_, rest)) => rest,
            None => &self.endpoint,
        };
        host.trim_end_matches('/')
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            http_addr: "127.0.0.1:8084".into(),
            grpc_addr: "127.0.0.1:50054".into(),
            db: DbConfig::default(),
            redis: RedisConfig::default(),
            amqp: AmqpConfig::default(),
            jwt: VerifierConfig::default(),
            public: PublicHttpConfig::default(),
            s3: S3Config::default(),
            auth_grpc_url: "http://127.0.0.1:50051".into(),
            chat_grpc_url: "http://127.0.0.1:50052".into(),
            stale_upload_secs: 3600,
            upload_buffer_mib: 256,
        }
    }
}
