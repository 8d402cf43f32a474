//! The message service in process against the real PostgreSQL, Redis and
//! RabbitMQ, with a fake auth service (testkit's token issuer, key set and
//! user directory) and a fake chat membership service.

mod bodies;
mod changes;
mod helpers;
mod history;
mod lifecycle;
mod messages;
mod reads;
mod social;
