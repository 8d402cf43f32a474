//! The media service: uploads streamed to S3, presigned download redirects,
//! stickers, the `Files` gRPC service other services resolve attachments and
//! avatars with, and the clean-up of files nobody may see any more.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod grpc;
pub mod http;
pub mod local_s3;
pub mod presign;
pub mod seed;
pub mod sniff;
pub mod state;
pub mod store;

pub use app::{App, Deps};
pub use config::MediaConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    chorus_kit::openapi::empty()
}
