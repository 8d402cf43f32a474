//! Private servers for the fault suite, on ports of their own, in a directory
//! of their own: a PostgreSQL cluster, a Redis and a RabbitMQ node. The
//! machine's shared servers are never touched, so the suite can kill, stop and
//! restart these at will.

use anyhow::Context;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Runs a command to completion; fails with its output.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("{cmd:?}"))?;
    anyhow::ensure!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// A child started as the leader of its own process group, so that a signal
/// reaches it and everything it started (RabbitMQ's script and its Erlang VM);
/// killed when dropped, so nothing outlives the suite.
#[derive(Default)]
pub struct Group(Option<Child>);

impl Group {
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
        if let Some(mut child) = self.0.take() {
            let _ = child.wait();
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill9();
    }
}

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

fn pg_bin(name: &str) -> anyhow::Result<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .context("no PostgreSQL server binaries under /usr/lib/postgresql")
}

/// A PostgreSQL cluster owned by the `postgres` user (the server refuses root).
pub struct Postgres {
    pub port: u16,
    dir: PathBuf,
}

impl Postgres {
    pub async fn start(root: &Path) -> anyhow::Result<Self> {
        let dir = root.join("pg");
        std::fs::create_dir_all(&dir)?;
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(root))?;
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_bin("initdb")?)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "-D"])
            .arg(dir.join("data")))?;
        let pg = Self {
            port: free_port()?,
            dir,
        };
        pg.up().await?;
        run(Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-p"])
            .arg(pg.port.to_string())
            .args(["-c", "CREATE DATABASE chorus"]))?;
        Ok(pg)
    }

    /// The database's URL at `port` (the server's own, or a proxy's in front of it).
    pub fn url_at(port: u16) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/chorus")
    }

    fn ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_bin("pg_ctl")?)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(args))
    }

    pub async fn up(&self) -> anyhow::Result<()> {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log");
        self.ctl(&["-w", "-o", &opts, "-l", &log.to_string_lossy(), "start"])?;
        wait_port(self.port, Duration::from_secs(30)).await
    }

    /// The postmaster's pid (first line of `postmaster.pid`). pg_ctl starts it
    /// in a session of its own and each backend starts another, so its
    /// processes are found as its descendants, not by process group.
    pub fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("data/postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// `pg_ctl stop -m immediate`: no checkpoint, every connection cut.
    pub fn stop_immediately(&self) -> anyhow::Result<()> {
        self.ctl(&["-w", "-m", "immediate", "stop"])
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.ctl(&["-w", "-m", "immediate", "stop"]);
    }
}

/// A `redis-server` that keeps nothing on disk.
pub struct Redis {
    pub port: u16,
    child: Group,
}

impl Redis {
    pub async fn start() -> anyhow::Result<Self> {
        let mut redis = Self {
            port: free_port()?,
            child: Group::default(),
        };
        redis.up().await?;
        Ok(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub async fn up(&mut self) -> anyhow::Result<()> {
        self.child = Group::spawn(
            Command::new("redis-server")
                .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null()),
        )?;
        wait_port(self.port, Duration::from_secs(10)).await
    }

    pub fn signal(&self, signal: &str) {
        self.child.signal(signal);
    }

    pub fn kill9(&mut self) {
        self.child.kill9();
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.pid()
    }
}

/// A RabbitMQ node of its own (node name, AMQP and distribution ports, data
/// directory), started from Debian's `rabbitmq-server` without the machine's
/// configuration; its data survives a kill, as a real node's disk would.
pub struct Rabbit {
    pub port: u16,
    dir: PathBuf,
    name: String,
    dist_port: u16,
    child: Group,
}

impl Rabbit {
    pub async fn start(root: &Path, id: &str) -> anyhow::Result<Self> {
        let dir = root.join("rabbit");
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
            name: format!("faults{id}@localhost"),
            dir,
            child: Group::default(),
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

    pub async fn up(&mut self) -> anyhow::Result<()> {
        let d = |p: &str| self.dir.join(p);
        self.child = Group::spawn(
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

    pub fn pid(&self) -> Option<u32> {
        self.child.pid()
    }
}

use std::os::unix::process::CommandExt as _;
