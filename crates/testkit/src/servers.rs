//! Servers of a test's own, on ports of their own: a RabbitMQ node a test can
//! kill -9 and start again without disturbing the shared broker (the fault
//! suite and the events tests' broker restart use it), and the process-group
//! child behind it.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A loopback port free right now (another process may take it before use).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Waits until something accepts connections on `port`.
pub async fn wait_port(port: u16, within: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        anyhow::ensure!(Instant::now() < deadline, "port {port} did not open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits until nothing accepts connections on `port` any more.
pub async fn wait_port_closed(port: u16, within: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
    {
        anyhow::ensure!(Instant::now() < deadline, "port {port} stayed open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// A child started as the leader of its own process group, so that a signal
/// reaches it and everything it started (RabbitMQ's script and its Erlang VM);
/// killed when dropped, so nothing outlives the test.
#[derive(Default)]
pub struct ProcessGroup(Option<Child>);

impl ProcessGroup {
    pub fn spawn(cmd: &mut Command) -> anyhow::Result<Self> {
        Ok(Self(Some(cmd.process_group(0).spawn()?)))
    }

    /// The leader's pid, which is also the group's id; `None` when not running.
    pub fn pid(&self) -> Option<u32> {
        self.0.as_ref().map(Child::id)
    }

    /// Sends `signal` (`-STOP`, `-CONT`…) to the whole group.
    pub fn signal(&self, signal: &str) {
        if let Some(child) = &self.0 {
            let _ = Command::new("kill")
                .args([signal, "--", &format!("-{}", child.id())])
                .status();
        }
    }

    /// SIGKILL to the whole group: no clean shutdown of anything.
    pub fn kill9(&mut self) {
        self.signal("-KILL");
        self.reap();
    }

    /// SIGTERM to the whole group, then waits for the leader to exit.
    pub async fn terminate(&mut self) {
        self.signal("-TERM");
        if let Some(mut child) = self.0.take() {
            // Off the runtime's threads: a clean stop takes seconds.
            let _ = tokio::task::spawn_blocking(move || child.wait()).await;
        }
    }

    fn reap(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.wait();
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A RabbitMQ node of its own (node name, AMQP and distribution ports, data
/// directory), started from Debian's `rabbitmq-server` without the machine's
/// configuration; its data survives a kill, as a real node's disk would.
/// Killed when dropped; the directory is the caller's to remove.
pub struct PrivateRabbit {
    pub port: u16,
    dir: PathBuf,
    name: String,
    dist_port: u16,
    child: ProcessGroup,
}

impl PrivateRabbit {
    /// Starts node `name` (unique on the machine) with its files in `dir`.
    pub async fn start(dir: &Path, name: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir.join("log"))?;
        std::fs::write(dir.join("enabled_plugins"), "[].\n")?;
        let port = free_port()?;
        std::fs::write(
            dir.join("rabbitmq.conf"),
            format!("listeners.tcp.local = 127.0.0.1:{port}\nloopback_users = none\n"),
        )?;
        let mut rabbit = Self {
            port,
            dist_port: free_port()?,
            name: format!("{name}@localhost"),
            dir: dir.to_path_buf(),
            child: ProcessGroup::default(),
        };
        rabbit.up().await?;
        Ok(rabbit)
    }

    pub fn url(&self) -> String {
        Self::url_at(self.port)
    }

    /// The node's URL at `port` (its own, or a proxy's in front of it).
    pub fn url_at(port: u16) -> String {
        format!("amqp://guest:guest@127.0.0.1:{port}/%2f")
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.pid()
    }

    /// Starts the node (again) and waits until it accepts connections.
    pub async fn up(&mut self) -> anyhow::Result<()> {
        // A node just killed may still hold its port for a moment: waiting for the
        // port to open would then see the dead node, and the test would go on
        // while the new one is still booting.
        wait_port_closed(self.port, Duration::from_secs(30)).await?;
        let d = |p: &str| self.dir.join(p);
        self.child = ProcessGroup::spawn(
            Command::new("/usr/lib/rabbitmq/bin/rabbitmq-server")
                // Crash dumps land in the working directory: keep them in the node's.
                .current_dir(&self.dir)
                .env("HOME", &self.dir)
                .env("RABBITMQ_CONF_ENV_FILE", d("none-env"))
                .env("RABBITMQ_NODENAME", &self.name)
                .env("RABBITMQ_DIST_PORT", self.dist_port.to_string())
                .env("RABBITMQ_MNESIA_BASE", d("mnesia"))
                .env("RABBITMQ_LOG_BASE", d("log"))
                .env("RABBITMQ_ENABLED_PLUGINS_FILE", d("enabled_plugins"))
                .env("RABBITMQ_CONFIG_FILE", d("rabbitmq.conf"))
                .env("ERL_EPMD_ADDRESS", "127.0.0.1")
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        wait_port(self.port, Duration::from_secs(60)).await
    }

    /// SIGKILL to the node (and its helpers): no clean shutdown of anything.
    pub fn kill9(&mut self) {
        self.child.kill9();
    }

    /// A clean stop (SIGTERM): the node closes its connections and writes
    /// everything down before it exits.
    pub async fn stop(&mut self) {
        self.child.terminate().await;
    }
}
