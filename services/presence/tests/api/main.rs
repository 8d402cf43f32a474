//! The presence service in process against the real Redis and RabbitMQ, with
//! fake auth and chat peers over real gRPC and an observer on the fan-out
//! channels.

mod audience;
mod fakes;
mod helpers;
mod nodes;
mod observer;
mod races;
mod rules;
mod seen;
