//! The auth service: accounts and credentials, sessions with rotating refresh
//! tokens, profiles with privacy, settings, the signing keys and their JWKS, and
//! the internal `Keys`, `Users` and `Accounts` gRPC services.

pub mod activity;
pub mod activity_windows;
pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod grpc;
pub mod http;
pub mod keys;
pub mod password;
pub mod revocation_sync;
pub mod seams;
pub mod state;
pub mod throttle;
pub mod tokens;
pub mod wire;

pub use app::{App, Seams};
pub use config::AuthConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::routes().split_for_parts().1
}
