//! The media service in process against the real PostgreSQL, Redis, RabbitMQ
//! and a real S3 endpoint (the embedded s3s store on a free port), with the
//! real auth service and a fake chat membership service.

mod cleanup;
mod grpc;
mod helpers;
mod uploads;
