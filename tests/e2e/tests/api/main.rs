//! Black-box tests of the public API: each test starts `chorus all --demo` on a
//! free port against its own database, Redis prefix and exchange (or uses the
//! system at `CHORUS_URL`), and drives it over real HTTP.

mod admin;
mod auth;
mod auth_wire;
mod bad_input;
mod chats;
mod chats_wire;
mod connections;
mod fakes_contract;
mod h2c;
mod harness;
mod invites;
mod media;
mod media_access;
mod media_avatars;
mod media_cleanup;
mod media_limits;
mod media_messages;
mod media_serving;
mod media_uploads;
mod messages;
mod nodes;
mod observability;
mod openapi;
mod platform;
mod reactions_read;
mod tracing_e2e;
mod users;
mod webapp;
mod ws;
mod ws_cluster;
mod ws_events;
mod ws_presence;
mod ws_protocol;
