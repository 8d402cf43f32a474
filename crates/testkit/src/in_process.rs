//! What every fake gRPC server of ours needs: state shared between the test's
//! handle and the server's handlers, and a tonic router served on a loopback
//! port for as long as the handle lives.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// State behind a lock that a panicking handler does not poison for the rest
/// of the test (the next call sees the state as it was left).
pub(crate) struct Locked<T>(Arc<Mutex<T>>);

impl<T> Locked<T> {
    pub(crate) fn new(state: T) -> Self {
        Self(Arc::new(Mutex::new(state)))
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        match self.0.lock() {
            Ok(mut state) => f(&mut state),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

impl<T> Clone for Locked<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: Default> Default for Locked<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

/// A tonic router served on 127.0.0.1 (a free port); it stops when dropped.
pub(crate) struct InProcessServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl InProcessServer {
    pub(crate) async fn serve(router: tonic::transport::server::Router) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let incoming = tonic::transport::server::TcpIncoming::from(listener);
            let _ = router.serve_with_incoming(incoming).await;
        });
        Ok(Self { addr, task })
    }

    /// `http://127.0.0.1:<port>`, for a service's `*_grpc_url`.
    pub(crate) fn grpc_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for InProcessServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
