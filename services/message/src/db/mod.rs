//! SQL, one module per table group. Runtime queries with bound parameters only.

pub mod admin;
#[macro_use]
pub mod messages;
pub mod pins;
pub mod reactions;
pub mod reads;
pub mod store;
