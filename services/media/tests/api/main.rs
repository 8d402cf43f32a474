//! The media service in process against the real PostgreSQL, Redis, RabbitMQ
//! and a real S3 endpoint (the embedded s3s store on a free port), with the
//! fake auth service (testkit's token issuer and key set) and a fake chat
//! membership service.

mod cleanup;
mod grpc;
mod helpers;
mod uploads;
