//! Processes a test starts beside the system: a second edge node (`chorus edge`)
//! and a private `redis-server` that the test can kill and restart. Both are
//! killed when dropped, so a failing test leaves nothing running.

use crate::h2c;
use crate::harness::{Server, chorus_binary, free_port};
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A separate `chorus edge` process joined to a system started with pinned gRPC ports.
pub struct EdgeNode {
    pub base: String,
    child: Option<Child>,
}

impl EdgeNode {
    /// Starts the node with the system's Redis, exchange, queue prefix and gRPC
    /// services, plus `extra` environment; returns once `/health` answers 200.
    pub async fn start(server: &Server, extra: &[(&str, &str)]) -> anyhow::Result<Self> {
        let port = free_port()?;
        let mut cmd = Command::new(chorus_binary()?);
        cmd.arg("edge")
            .env("CHORUS_EDGE__HTTP_ADDR", format!("127.0.0.1:{port}"))
            .envs(server.edge_env()?)
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn,lapin=error".into()),
            )
            .stdin(Stdio::null());
        for (key, value) in extra {
            cmd.env(key, value);
        }
        let node = Self {
            base: format!("http://127.0.0.1:{port}"),
            child: Some(cmd.spawn()?),
        };
        for _ in 0..300 {
            let health = server
                .http
                .get(format!("{}/health", node.base))
                .send()
                .await;
            if matches!(health, Ok(r) if r.status() == StatusCode::OK) {
                server.add_metrics_source(&node.base);
                return Ok(node);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("chorus edge did not become ready")
    }

    pub fn ws_url(&self) -> String {
        format!("{}/ws", self.base.replacen("http", "ws", 1))
    }

    /// SIGKILL: the node vanishes without closing its sockets or telling anyone.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 10 s.
    pub async fn stop(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            for _ in 0..200 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for EdgeNode {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A `redis-server` of this test only (no persistence), on a free port.
pub struct PrivateRedis {
    pub port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    pub async fn start() -> anyhow::Result<Self> {
        let mut redis = Self {
            port: free_port()?,
            child: None,
        };
        redis.spawn().await?;
        Ok(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn spawn(&mut self) -> anyhow::Result<()> {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--dir", &std::env::temp_dir().to_string_lossy()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        for _ in 0..100 {
            if self.ping().await {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("redis-server on port {} did not start", self.port)
    }

    async fn ping(&self) -> bool {
        let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await else {
            return false;
        };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").await.is_ok()
            && stream.read_exact(&mut reply).await.is_ok()
            && &reply == b"+PONG\r\n"
    }

    /// SIGKILL: every connection drops and all state is lost.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts an empty server on the same port again.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.kill();
        self.spawn().await
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Blocks (or unblocks) a user through the auth service's internal
/// `Accounts.SetBlocked` — what the admin service calls behind
/// `POST /admin-api/users/{id}/block`. Needs pinned gRPC ports.
pub async fn set_blocked_internally(
    server: &Server,
    user_id: i64,
    blocked: bool,
) -> anyhow::Result<()> {
    let ports = server
        .grpc_ports()
        .ok_or_else(|| anyhow::anyhow!("blocking internally needs pinned gRPC ports"))?;
    h2c::unary(
        ports.auth,
        "/chorus.auth.v1.Accounts/SetBlocked",
        &h2c::int64_bool_message(user_id, blocked),
    )
    .await
}
