//! The chat service: chats, members and roles, invites, per-user chat flags
//! (favorite, mute, pin, archive), the demo "Dev Team" group, and the internal
//! `Membership` gRPC service the message service and the edge ask.

pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod grpc;
pub mod grpc_admin;
pub mod http;
pub mod peers;
pub mod seams;
pub mod state;
pub mod wire;

pub use app::{App, Deps};
pub use config::ChatConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::routes().split_for_parts().1
}
