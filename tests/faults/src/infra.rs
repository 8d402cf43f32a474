//! Private servers for the fault suite, on ports of their own, in a directory
//! of their own: a PostgreSQL cluster, a Redis and a RabbitMQ node (testkit's,
//! which the events tests use too). The machine's shared servers are never
//! touched, so the suite can kill, stop and restart these at will.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub use chorus_testkit::servers::{
    PrivateRabbit as Rabbit, ProcessGroup as Group, free_port, wait_port,
};

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
