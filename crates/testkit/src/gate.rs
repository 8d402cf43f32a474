//! A TCP forwarder in front of a real server that a test can close (every
//! connection cut, new ones refused), stall (connections stay open but nothing
//! is forwarded: a hung peer) and open again: an outage of RabbitMQ, Redis or
//! PostgreSQL for one test, without disturbing the tests running beside it.

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// Bytes are read and held, not forwarded, until the gate opens.
    Stalled,
    Closed,
}

pub struct TcpGate {
    pub addr: SocketAddr,
    state: Arc<watch::Sender<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl TcpGate {
    /// Listens on an ephemeral loopback port and forwards to `upstream` while open.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (state, _) = watch::channel(State::Open);
        let state = Arc::new(state);
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *shared.borrow() == State::Closed {
                    drop(client);
                    continue;
                }
                let (up, down) = (shared.subscribe(), shared.subscribe());
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    tokio::join!(
                        pump(client_read, server_write, up),
                        pump(server_read, client_write, down),
                    );
                });
            }
        });
        Ok(Self { addr, state, task })
    }

    /// Cuts every forwarded connection and refuses new ones.
    pub fn close(&self) {
        self.state.send_replace(State::Closed);
    }

    /// Keeps every connection open but forwards nothing in either direction
    /// until [`TcpGate::open`]; what was sent meanwhile is delivered then.
    pub fn stall(&self) {
        self.state.send_replace(State::Stalled);
    }

    pub fn open(&self) {
        self.state.send_replace(State::Open);
    }
}

/// Copies one direction of a connection, holding each chunk while the gate is
/// stalled; ends (dropping its write half, which shuts it down) when the gate
/// closes or either side does.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut state: watch::Receiver<State>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            _ = state.wait_for(|s| *s == State::Closed) => return,
        };
        let released = state.wait_for(|s| *s != State::Stalled).await.map(|s| *s);
        if !matches!(released, Ok(State::Open)) || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

impl Drop for TcpGate {
    fn drop(&mut self) {
        self.close();
        self.task.abort();
    }
}
