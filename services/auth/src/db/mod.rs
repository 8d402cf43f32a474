//! SQL of the auth schema: small functions taking an executor.

pub mod accounts;
pub mod sessions;
pub mod settings;
pub mod users;
