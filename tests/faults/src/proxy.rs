//! A TCP proxy between the chorus processes and a private server that can hold
//! every chunk back for a while, in both directions: latency on the link
//! without touching the machine's network settings. With no delay it only
//! forwards.
//!
//! Each chunk is stamped when it is read and written once its stamp plus the
//! delay is due, so the delay is added to every chunk's trip without limiting
//! throughput; chunks of one direction are written in the order they came.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Chunks in flight per direction before reading stops: what a slow link
/// holds, and a bound on the proxy's memory.
const IN_FLIGHT: usize = 1024;

pub struct Proxy {
    pub port: u16,
    delay_ms: Arc<AtomicU64>,
    accept: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free local port and forwards every connection to `upstream`.
    pub async fn start(upstream: u16) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let delay_ms = Arc::new(AtomicU64::new(0));
        let delay = delay_ms.clone();
        let accept = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(forward(client, upstream, delay.clone()));
            }
        });
        Ok(Self {
            port,
            delay_ms,
            accept,
        })
    }

    /// The delay added to every chunk from now on (each direction).
    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.delay_ms.store(ms, Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// One proxied connection. Upstream down ⇒ the client's connection is closed
/// at once, as a refused connection would be. When either side ends, what it
/// sent before is delivered and then both are closed (neither PostgreSQL nor
/// AMQP half-closes).
async fn forward(client: TcpStream, upstream: u16, delay: Arc<AtomicU64>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::select! {
        _ = pipe(client_read, server_write, delay.clone()) => {}
        _ = pipe(server_read, client_write, delay) => {}
    }
}

/// Copies one direction, each chunk held until its delay is due.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Arc<AtomicU64>,
) {
    let (tx, mut rx) = mpsc::channel::<(Instant, Vec<u8>)>(IN_FLIGHT);
    let read = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let due = Instant::now() + Duration::from_millis(delay.load(Ordering::Relaxed));
            if tx.send((due, buf[..n].to_vec())).await.is_err() {
                break;
            }
        }
        // Dropping `tx` lets the writer finish what is queued, then stop.
    };
    let write = async move {
        while let Some((due, chunk)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    // The writer ends last: after the reader stopped and the queue is empty
    // (or at a write error, when nothing more can be delivered anyway).
    let (_, ()) = tokio::join!(read, write);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server behind the proxy: bytes come back intact, and with a
    /// delay set each direction holds them back for at least that long.
    #[tokio::test]
    async fn forwards_and_delays_both_ways() -> anyhow::Result<()> {
        let echo = TcpListener::bind("127.0.0.1:0").await?;
        let upstream = echo.local_addr()?.port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = echo.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = s.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        let proxy = Proxy::start(upstream).await?;
        let mut conn = TcpStream::connect(("127.0.0.1", proxy.port)).await?;
        let mut back = [0u8; 5];
        conn.write_all(b"hello").await?;
        conn.read_exact(&mut back).await?;
        assert_eq!(&back, b"hello");

        proxy.set_delay(Duration::from_millis(150));
        let sent = std::time::Instant::now();
        conn.write_all(b"again").await?;
        conn.read_exact(&mut back).await?;
        assert_eq!(&back, b"again");
        // Out through the proxy and back through it: two delays.
        assert!(sent.elapsed() >= Duration::from_millis(300));
        Ok(())
    }

    /// Nothing listens upstream: the client's connection is closed, not left hanging.
    #[tokio::test]
    async fn closes_when_upstream_is_down() -> anyhow::Result<()> {
        let port = TcpListener::bind("127.0.0.1:0").await?.local_addr()?.port();
        let proxy = Proxy::start(port).await?;
        let mut conn = TcpStream::connect(("127.0.0.1", proxy.port)).await?;
        let mut buf = [0u8; 1];
        let n = tokio::time::timeout(Duration::from_secs(5), conn.read(&mut buf)).await?;
        assert!(matches!(n, Ok(0) | Err(_)));
        Ok(())
    }
}
