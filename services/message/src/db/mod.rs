//! SQL, one module per table group. Runtime queries with bound parameters only.

pub mod admin;
pub mod messages;
pub mod pins;
pub mod reactions;
pub mod reads;
pub mod send_tx;
