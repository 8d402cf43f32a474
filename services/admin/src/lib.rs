//! The admin service (CONTRACT §14): dashboard stats, user moderation, message
//! moderation, support messaging and an audit log of every admin action. It owns
//! only the audit log; everything else comes from its owners over gRPC.

pub mod app;
pub mod audit;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod peers;
pub mod state;
pub mod wire;

pub use app::App;
pub use config::AdminConfig;

/// This service's part of the OpenAPI document, served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::routes().split_for_parts().1
}
