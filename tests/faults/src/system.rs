//! Chorus as separate processes against the private servers: the services in
//! one `chorus all` (its own edge unused by the members) and two `chorus edge`
//! nodes the members connect to. Each can be killed and started again.

use crate::infra::{Group, free_port, wait_port};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Proc {
    cmd: Vec<(String, String)>,
    args: Vec<String>,
    pub port: u16,
    log: PathBuf,
    child: Group,
}

impl Proc {
    fn spawn(&mut self, bin: &Path) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        self.child = Group::spawn(
            Command::new(bin)
                .args(&self.args)
                .envs(self.cmd.iter().map(|(k, v)| (k, v)))
                .stdout(log.try_clone()?)
                .stderr(log)
                .stdin(Stdio::null()),
        )?;
        Ok(())
    }

    pub fn kill9(&mut self) {
        self.child.kill9();
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.pid()
    }
}

/// Where the chorus processes find their servers (PostgreSQL and RabbitMQ
/// through the suite's proxies, so latency can be put on those links).
pub struct Urls {
    pub db: String,
    pub redis: String,
    pub amqp: String,
}

pub struct System {
    bin: PathBuf,
    pub all: Proc,
    pub edges: Vec<Proc>,
}

impl System {
    pub async fn start(bin: &Path, root: &Path, urls: &Urls) -> anyhow::Result<Self> {
        let shared = vec![
            ("CHORUS__DB__URL".to_string(), urls.db.clone()),
            ("CHORUS__DB__MAX_CONNECTIONS".into(), "8".into()),
            ("CHORUS__REDIS__URL".into(), urls.redis.clone()),
            ("CHORUS__AMQP__URL".into(), urls.amqp.clone()),
            ("RUST_LOG".into(), "warn,lapin=error".into()),
        ];
        let [auth, chat, message, presence] =
            [free_port()?, free_port()?, free_port()?, free_port()?];
        let grpc = |p: u16| format!("http://127.0.0.1:{p}");
        let http = free_port()?;
        let key = root.join("jwt-ed25519.pem");
        crate::infra::run(
            Command::new("openssl")
                .args(["genpkey", "-algorithm", "ed25519", "-out"])
                .arg(&key),
        )?;
        let mut all_env = shared.clone();
        all_env.extend([
            (
                "CHORUS_AUTH__JWT__SIGNING_KEY_FILE".into(),
                key.display().to_string(),
            ),
            ("CHORUS_ALL__HTTP_ADDR".into(), format!("127.0.0.1:{http}")),
            (
                "CHORUS_ALL__DATA_DIR".into(),
                root.join("data").display().to_string(),
            ),
            ("CHORUS_ALL__EMBEDDED_S3_ADDR".into(), "127.0.0.1:0".into()),
            ("CHORUS_AUTH__GRPC_ADDR".into(), format!("127.0.0.1:{auth}")),
            ("CHORUS_CHAT__GRPC_ADDR".into(), format!("127.0.0.1:{chat}")),
            (
                "CHORUS_MESSAGE__GRPC_ADDR".into(),
                format!("127.0.0.1:{message}"),
            ),
            (
                "CHORUS_PRESENCE__GRPC_ADDR".into(),
                format!("127.0.0.1:{presence}"),
            ),
        ]);
        let mut all = Proc {
            cmd: all_env,
            args: vec!["all".into()],
            port: http,
            log: root.join("all.log"),
            child: Group::default(),
        };
        all.spawn(bin)?;
        wait_port(http, Duration::from_secs(60)).await?;
        let mut edges = Vec::new();
        for n in 0..2 {
            let port = free_port()?;
            let mut env = shared.clone();
            env.extend([
                ("CHORUS_EDGE__HTTP_ADDR".into(), format!("127.0.0.1:{port}")),
                ("CHORUS_EDGE__NODE_ID".into(), format!("faults-edge-{n}")),
                ("CHORUS_EDGE__AUTH_GRPC_URL".into(), grpc(auth)),
                ("CHORUS_EDGE__CHAT_GRPC_URL".into(), grpc(chat)),
                ("CHORUS_EDGE__MESSAGE_GRPC_URL".into(), grpc(message)),
                ("CHORUS_EDGE__PRESENCE_GRPC_URL".into(), grpc(presence)),
                // Members reconnect from one address many times.
                (
                    "CHORUS_EDGE__MAX_CONNECTIONS_PER_IP".into(),
                    "100000".into(),
                ),
            ]);
            let mut edge = Proc {
                cmd: env,
                args: vec!["edge".into()],
                port,
                log: root.join(format!("edge{n}.log")),
                child: Group::default(),
            };
            edge.spawn(bin)?;
            edges.push(edge);
        }
        let system = Self {
            bin: bin.to_path_buf(),
            all,
            edges,
        };
        for edge in &system.edges {
            wait_port(edge.port, Duration::from_secs(60)).await?;
        }
        system.wait_healthy().await?;
        Ok(system)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.all.port)
    }

    pub fn ws_url(&self, edge: usize) -> String {
        format!(
            "ws://127.0.0.1:{}/ws",
            self.edges[edge % self.edges.len()].port
        )
    }

    pub async fn restart(&mut self, which: Which) -> anyhow::Result<()> {
        let proc = match which {
            Which::All => &mut self.all,
            Which::Edge(n) => &mut self.edges[n],
        };
        proc.spawn(&self.bin)?;
        wait_port(proc.port, Duration::from_secs(60)).await
    }

    pub fn kill9(&mut self, which: Which) {
        match which {
            Which::All => self.all.kill9(),
            Which::Edge(n) => self.edges[n].kill9(),
        }
    }

    /// Until every process answers `/health` 200 (or 90 s pass).
    pub async fn wait_healthy(&self) -> anyhow::Result<()> {
        let http = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        for port in std::iter::once(self.all.port).chain(self.edges.iter().map(|e| e.port)) {
            loop {
                let ok = http
                    .get(format!("http://127.0.0.1:{port}/health"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok {
                    break;
                }
                anyhow::ensure!(
                    std::time::Instant::now() < deadline,
                    "port {port} not healthy"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Which {
    All,
    Edge(usize),
}
