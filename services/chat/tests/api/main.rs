//! The chat service in process with a fake auth service (testkit), against the real
//! PostgreSQL, Redis and RabbitMQ: every route of CONTRACT §7 and §8, the
//! `Membership` gRPC service (and testkit's fake of it, held to the same
//! contract), the demo group, and the events on RabbitMQ.

mod create;
mod detail;
mod fakes;
mod fakes_contract;
mod flags;
mod grpc;
mod helpers;
mod invites;
mod list;
mod members;
mod probe;
