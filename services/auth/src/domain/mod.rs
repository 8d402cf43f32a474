//! The auth service's behaviour, free of HTTP and gRPC types.

pub mod accounts;
pub mod moderation;
pub mod profiles;
pub mod sessions;
pub mod settings;
