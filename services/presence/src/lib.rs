//! The presence service (CONTRACT §17): the active/away state of every
//! WebSocket connection, kept in Redis by Lua scripts so several presence
//! instances and edge nodes agree; the online/offline transitions with their
//! debounce; their broadcast to the right audience (§17.4) over the edge
//! fan-out channels; `presence.seen` for auth's `last_activity`; and the
//! `Presence` gRPC service (`Apply`, `Heartbeat`, `OnlineMany`).

pub mod app;
pub mod broadcast;
pub mod config;
pub mod grpc;
pub mod metrics;
pub mod peers;
pub mod scripts;
pub mod seen;
pub mod store;
pub mod tracker;

pub use app::{App, Deps};
pub use config::PresenceConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    chorus_kit::openapi::empty()
}
