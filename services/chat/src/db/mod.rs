//! SQL, one module per table (or per query family); bound parameters only.

pub mod chats;
pub mod flags;
pub mod invites;
pub mod list;
pub mod members;
