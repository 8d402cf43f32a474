//! The message service in process against the real PostgreSQL, Redis and
//! RabbitMQ, with a fake auth service (testkit's token issuer, key set and
//! user directory) and a fake chat membership service (testkit's); and
//! testkit's fake of this service's `Unread`, held to the same contract.

mod bodies;
mod changes;
mod fakes_contract;
mod helpers;
mod history;
mod lifecycle;
mod messages;
mod reads;
mod social;
