//! The WebSocket frames of §16 as types, documented as the `Ws*` schemas of the
//! OpenAPI document (a WebSocket has no operation bodies to hang them on).

pub mod client;
pub mod server;

pub use client::*;
pub use server::*;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod bench;
