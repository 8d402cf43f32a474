//! Internal gRPC: serving a service's API (binding, or adopting a listener the
//! all-in-one binary bound for it, until shutdown) and channels to its peers.

use crate::Shutdown;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tonic::transport::server::{Router, TcpIncoming};
use tonic::transport::{Channel, Endpoint};

/// A server builder with the deadline every internal call gets.
pub fn server() -> tonic::transport::Server {
    tonic::transport::Server::builder().timeout(Duration::from_secs(10))
}

/// The listener `chorus all` pre-bound for the service, or one on `addr`.
pub async fn listener(prebound: Option<TcpListener>, addr: &str) -> std::io::Result<TcpListener> {
    match prebound {
        Some(listener) => Ok(listener),
        None => TcpListener::bind(addr).await.map_err(|err| {
            std::io::Error::new(
                err.kind(),
                format!("cannot bind the gRPC address {addr}: {err}"),
            )
        }),
    }
}

/// Runs `router` on `listener` until `shutdown`; a failure is logged as `service`'s.
pub fn spawn(
    service: &'static str,
    router: Router,
    listener: TcpListener,
    shutdown: Shutdown,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let served = router
            // No Nagle delay: a reply is written in several small pieces
            // (headers, message, trailers), and with Nagle and the peer's
            // delayed ACK a lone call waited ~40 ms for its trailers.
            .serve_with_incoming_shutdown(
                TcpIncoming::from(listener).with_nodelay(Some(true)),
                shutdown.cancelled_owned(),
            )
            .await;
        if let Err(err) = served {
            tracing::error!(%err, service, "gRPC server failed");
        }
    })
}

/// A channel to a peer service that connects on first use (so a service starts
/// while its peers are down) with the deadline every internal call gets.
pub fn channel(url: &str) -> Result<Channel, tonic::transport::Error> {
    Ok(Endpoint::from_shared(url.to_string())?
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .connect_lazy())
}

/// A request carrying `deadline` to the server (`grpc-timeout`).
pub fn request<T>(message: T, deadline: Duration) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(deadline);
    request
}

/// The call, or `DEADLINE_EXCEEDED` once `deadline` passed on this side too:
/// the header alone does not stop a call stuck connecting.
pub async fn within<T>(
    deadline: Duration,
    call: impl Future<Output = Result<T, tonic::Status>>,
) -> Result<T, tonic::Status> {
    tokio::time::timeout(deadline, call)
        .await
        .map_err(|_| tonic::Status::deadline_exceeded("peer did not answer in time"))?
}
