//! Internal gRPC: serving a service's API (binding, or adopting a listener the
//! all-in-one binary bound for it, until shutdown) and channels to its peers.

use crate::Shutdown;
use crate::grpc_observe::{Observed, ServerLayer};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tonic::transport::Endpoint;
use tonic::transport::server::TcpIncoming;
use tower::layer::util::{Identity, Stack};

/// The server every service runs: traced and measured as `service`.
pub type Server = tonic::transport::Server<Stack<ServerLayer, Identity>>;
pub type Router = tonic::transport::server::Router<Stack<ServerLayer, Identity>>;
/// A channel to a peer: traced and measured (see [`crate::grpc_observe`]).
pub type Channel = Observed<tonic::transport::Channel>;

/// A server builder for `service` with the deadline every internal call gets.
pub fn server(service: &'static str) -> Server {
    tonic::transport::Server::builder()
        .timeout(Duration::from_secs(10))
        .layer(ServerLayer { service })
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
/// The standard health service (`grpc.health.v1`) answers SERVING for the empty
/// name and `chorus.<service>` while it runs, NOT_SERVING once shutdown begins,
/// so Consul's gRPC checks take the instance out before it stops.
pub fn spawn(
    service: &'static str,
    router: Router,
    listener: TcpListener,
    shutdown: Shutdown,
) -> JoinHandle<()> {
    let (reporter, health) = tonic_health::server::health_reporter();
    let router = router.add_service(health);
    tokio::spawn(async move {
        let name = format!("chorus.{service}");
        reporter
            .set_service_status(&name, tonic_health::ServingStatus::Serving)
            .await;
        let stopping = shutdown.clone();
        let reporter_on_stop = reporter.clone();
        tokio::spawn(async move {
            stopping.cancelled().await;
            reporter_on_stop
                .set_service_status("", tonic_health::ServingStatus::NotServing)
                .await;
            reporter_on_stop
                .set_service_status(&name, tonic_health::ServingStatus::NotServing)
                .await;
        });
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
    Ok(crate::grpc_observe::client(
        Endpoint::from_shared(url.to_string())?
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .connect_lazy(),
    ))
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
