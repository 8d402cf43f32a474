//! The service's logic, free of axum and tonic types.

pub mod enrich;
pub mod history;
pub mod manage;
pub mod moderation;
pub mod reactions;
pub mod reads;
pub mod send;
