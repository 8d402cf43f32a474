//! Service bootstrap shared by every Chorus service: configuration, telemetry,
//! Prometheus metrics, health reports, HTTP conventions of the public contract,
//! graceful shutdown and the one error-code table mapped to HTTP and gRPC.

pub mod config;
pub mod db;
pub mod error;
pub mod grpc;
pub mod grpc_observe;
pub mod health;
pub mod http;
pub mod lenient;
pub mod metrics;
pub mod openapi;
pub mod pool_metrics;
pub mod redis;
pub mod shed;
pub mod shutdown;
pub mod telemetry;
pub mod time;
pub mod trace_export;

pub use error::{ApiError, DomainError, ErrorKind};
pub use shutdown::Shutdown;
