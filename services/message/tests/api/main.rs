//! The message service in process against the real PostgreSQL, Redis and
//! RabbitMQ, with the real auth service and a fake chat membership service.

mod bodies;
mod changes;
mod helpers;
mod history;
mod lifecycle;
mod messages;
mod reads;
mod social;
