//! SQL of the auth schema: small functions taking an executor.

pub mod sessions;
pub mod settings;
pub mod users;
