//! Starts and stops the system under test and offers small request helpers.

use chorus_testkit::TestEnv;
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub base: String,
    pub http: Client,
    child: Option<Child>,
    env: Option<TestEnv>,
    _data_dir: Option<TempDir>,
    /// The Redis URL the system uses (the shared one, or a test's private server).
    redis_url: String,
    /// Internal gRPC ports, when pinned (a second edge node needs them).
    grpc: Option<GrpcPorts>,
    /// Other processes whose `/metrics` count towards [`Server::metric`] (edge nodes).
    metric_sources: std::sync::Mutex<Vec<String>>,
}

/// The internal gRPC ports of a system started with [`ServerBuilder::pin_grpc_ports`].
#[derive(Debug, Clone, Copy)]
pub struct GrpcPorts {
    pub auth: u16,
    pub chat: u16,
    pub message: u16,
    pub presence: u16,
}

/// Options for [`Server::builder`]: extra environment, pinned gRPC ports, private Redis.
#[derive(Default)]
pub struct ServerBuilder {
    env: Vec<(String, String)>,
    pin_grpc: bool,
    redis_url: Option<String>,
    db_role: Option<String>,
}

impl ServerBuilder {
    /// One more environment variable for the `chorus all` process.
    pub fn env(mut self, key: &str, value: impl ToString) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Binds the internal gRPC services to known loopback ports, so that a
    /// separate `chorus edge` process can reach them.
    pub fn pin_grpc_ports(mut self) -> Self {
        self.pin_grpc = true;
        self
    }

    /// Connects to PostgreSQL as `role` (made owner of the test's database).
    pub fn db_role(mut self, role: &str) -> Self {
        self.db_role = Some(role.to_string());
        self
    }

    /// Points the system at this Redis instead of the shared one.
    pub fn redis(mut self, url: &str) -> Self {
        self.redis_url = Some(url.to_string());
        self
    }

    pub async fn start(self) -> anyhow::Result<Server> {
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        if let Ok(base) = std::env::var("CHORUS_URL") {
            anyhow::ensure!(
                self.env.is_empty()
                    && !self.pin_grpc
                    && self.redis_url.is_none()
                    && self.db_role.is_none(),
                "this test configures its own system and cannot run against CHORUS_URL"
            );
            return Ok(Server {
                base,
                http,
                child: None,
                env: None,
                _data_dir: None,
                redis_url: String::new(),
                grpc: None,
                metric_sources: Default::default(),
            });
        }
        let env = TestEnv::new().await?;
        // The consumer queues `chorus all` declares under the test's queue prefix:
        // registered so that cleanup deletes them (quorum queues are not cheap).
        for purpose in chorus_events::topology::purposes() {
            env.queue(purpose);
        }
        let redis_url = self
            .redis_url
            .clone()
            .unwrap_or_else(|| env.redis_url.clone());
        let data_dir = std::env::temp_dir().join(&env.id);
        let database_url = match &self.db_role {
            Some(role) => env.database_as(role).await?,
            None => env.database_url.clone(),
        };
        // A free port found here can be taken by another test before chorus binds
        // it; chorus then exits at once, and the next attempt uses other ports.
        for attempt in 1..=3 {
            let port = free_port()?;
            let grpc = if self.pin_grpc {
                let [auth, chat, message, presence] = free_ports()?;
                Some(GrpcPorts {
                    auth,
                    chat,
                    message,
                    presence,
                })
            } else {
                None
            };
            let mut child = self
                .command(
                    &env,
                    &database_url,
                    &redis_url,
                    &data_dir,
                    port,
                    grpc.as_ref(),
                )?
                .spawn()?;
            let base = format!("http://127.0.0.1:{port}");
            match ready(&http, &base, &mut child).await {
                Ok(()) => {
                    return Ok(Server {
                        base,
                        http,
                        child: Some(child),
                        env: Some(env),
                        _data_dir: Some(TempDir(data_dir)),
                        redis_url,
                        grpc,
                        metric_sources: Default::default(),
                    });
                }
                Err(Startup::Exited) if attempt < 3 => continue,
                Err(err) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    env.cleanup().await?;
                    anyhow::bail!("chorus did not start: {err}");
                }
            }
        }
        anyhow::bail!("chorus did not start")
    }

    /// The `chorus all --demo` process on `port` against the test's environment.
    fn command(
        &self,
        env: &TestEnv,
        database_url: &str,
        redis_url: &str,
        data_dir: &std::path::Path,
        port: u16,
        grpc: Option<&GrpcPorts>,
    ) -> anyhow::Result<Command> {
        let mut cmd = Command::new(chorus_binary()?);
        cmd.args(["all", "--demo"])
            .env("CHORUS_ALL__HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("CHORUS_ALL__DATA_DIR", data_dir)
            // Each server its own embedded object store (under its data dir).
            .env("CHORUS_ALL__EMBEDDED_S3_ADDR", "127.0.0.1:0")
            .env("CHORUS__DB__URL", database_url)
            .env("CHORUS__DB__MAX_CONNECTIONS", "8")
            .env("CHORUS__REDIS__URL", redis_url)
            .env("CHORUS__REDIS__PREFIX", &env.redis_prefix)
            .env("CHORUS__AMQP__URL", &env.amqp_url)
            .env("CHORUS__AMQP__EXCHANGE", &env.exchange)
            .env("CHORUS__AMQP__QUEUE_PREFIX", format!("{}.", env.id))
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn,lapin=error".into()),
            )
            .stdin(Stdio::null());
        if let Some(g) = grpc {
            cmd.env("CHORUS_AUTH__GRPC_ADDR", format!("127.0.0.1:{}", g.auth))
                .env("CHORUS_CHAT__GRPC_ADDR", format!("127.0.0.1:{}", g.chat))
                .env(
                    "CHORUS_MESSAGE__GRPC_ADDR",
                    format!("127.0.0.1:{}", g.message),
                )
                .env(
                    "CHORUS_PRESENCE__GRPC_ADDR",
                    format!("127.0.0.1:{}", g.presence),
                );
        }
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        Ok(cmd)
    }
}

/// Why a started `chorus all` is not ready.
#[derive(Debug)]
enum Startup {
    /// The process ended (typically: a port was taken meanwhile).
    Exited,
    TimedOut,
}

impl std::fmt::Display for Startup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Exited => "the process exited",
            Self::TimedOut => "not ready within 30 s",
        })
    }
}

/// Ready = healthy and the demo users exist; gives up as soon as the process exits.
async fn ready(http: &Client, base: &str, child: &mut Child) -> Result<(), Startup> {
    for _ in 0..300 {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return Err(Startup::Exited);
        }
        let healthy = matches!(http.get(format!("{base}/health")).send().await, Ok(r) if r.status() == StatusCode::OK);
        if healthy {
            let carol = http
                .get(format!("{base}/users/by-username/carol"))
                .send()
                .await;
            if matches!(carol, Ok(r) if r.status() == StatusCode::OK) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Startup::TimedOut)
}

async fn metric_at(http: &Client, url: &str, series: &str) -> anyhow::Result<f64> {
    let text = http.get(url).send().await?.text().await?;
    Ok(text
        .lines()
        .filter_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .filter_map(|value| value.trim().parse::<f64>().ok())
        .sum())
}

/// A directory removed on drop.
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn chorus_binary() -> anyhow::Result<std::path::PathBuf> {
    // tests run from target/<profile>/deps; the binary sits one level up.
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .ok_or_else(|| anyhow::anyhow!("no target dir"))?;
    let bin = dir.join("chorus");
    anyhow::ensure!(
        bin.exists(),
        "{} not built: run `cargo build -p chorus` first",
        bin.display()
    );
    Ok(bin)
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Several distinct free ports (all bound at once, so none repeats).
fn free_ports<const N: usize>() -> anyhow::Result<[u16; N]> {
    let listeners = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut ports = [0; N];
    for (port, listener) in ports.iter_mut().zip(&listeners) {
        *port = listener.local_addr()?.port();
    }
    Ok(ports)
}

impl Server {
    /// The system with its default configuration (or the one at `CHORUS_URL`).
    pub async fn start() -> anyhow::Result<Self> {
        ServerBuilder::default().start().await
    }

    /// A system with extra configuration, pinned internal ports or a private Redis.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The development signing key of a server this harness started.
    pub fn dev_key_pem(&self) -> Option<String> {
        let dir = self._data_dir.as_ref()?;
        std::fs::read_to_string(dir.0.join("jwt-ed25519.pem")).ok()
    }

    /// The data directory of a server this harness started (keys, the
    /// embedded object store under `s3/`); `None` against `CHORUS_URL`.
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self._data_dir.as_ref().map(|d| d.0.as_path())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the process gracefully and removes the test's database, keys and queues.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            for _ in 0..100 {
                if child.try_wait()?.is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(env) = self.env.take() {
            env.cleanup().await?;
        }
        Ok(())
    }

    /// The value of one series on `/metrics` (`name{labels}` exactly as
    /// rendered), 0 if absent; summed over this system and the edge nodes
    /// added with [`Server::add_metrics_source`] that still answer.
    pub async fn metric(&self, series: &str) -> anyhow::Result<f64> {
        let mut total = metric_at(&self.http, &self.url("/metrics"), series).await?;
        let sources = self
            .metric_sources
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        for base in sources {
            total += metric_at(&self.http, &format!("{base}/metrics"), series)
                .await
                .unwrap_or(0.0);
        }
        Ok(total)
    }

    /// Counts another process's `/metrics` (at `base`) into [`Server::metric`].
    pub fn add_metrics_source(&self, base: &str) {
        if let Ok(mut sources) = self.metric_sources.lock() {
            sources.push(base.to_string());
        }
    }

    /// Waits until the start-up's own events reached the sockets' fan-out (the
    /// demo group's `chat_created`), so a test's first sockets get none of them.
    pub async fn demo_settled(&self) -> anyhow::Result<()> {
        if self.child.is_none() {
            return Ok(());
        }
        for _ in 0..300 {
            if self
                .metric("messenger_fanout_events_total{type=\"chat.created\"}")
                .await?
                >= 1.0
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the demo group's chat_created was never fanned out")
    }

    /// The WebSocket endpoint of this system.
    pub fn ws_url(&self) -> String {
        format!("{}/ws", self.base.replacen("http", "ws", 1))
    }

    /// The pinned internal gRPC ports (only with [`ServerBuilder::pin_grpc_ports`]).
    pub fn grpc_ports(&self) -> Option<GrpcPorts> {
        self.grpc
    }

    /// What a separate `chorus edge` process needs to join this system: the same
    /// Redis, exchange and queue prefix, and the pinned gRPC ports.
    pub fn edge_env(&self) -> anyhow::Result<Vec<(String, String)>> {
        let env = self
            .env
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("a second edge needs a system this harness started"))?;
        let g = self
            .grpc
            .ok_or_else(|| anyhow::anyhow!("a second edge needs pinned gRPC ports"))?;
        let url = |port: u16| format!("http://127.0.0.1:{port}");
        Ok(vec![
            ("CHORUS__REDIS__URL".into(), self.redis_url.clone()),
            ("CHORUS__REDIS__PREFIX".into(), env.redis_prefix.clone()),
            ("CHORUS__AMQP__URL".into(), env.amqp_url.clone()),
            ("CHORUS__AMQP__EXCHANGE".into(), env.exchange.clone()),
            ("CHORUS__AMQP__QUEUE_PREFIX".into(), format!("{}.", env.id)),
            ("CHORUS_EDGE__AUTH_GRPC_URL".into(), url(g.auth)),
            ("CHORUS_EDGE__CHAT_GRPC_URL".into(), url(g.chat)),
            ("CHORUS_EDGE__MESSAGE_GRPC_URL".into(), url(g.message)),
            ("CHORUS_EDGE__PRESENCE_GRPC_URL".into(), url(g.presence)),
        ])
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Response> {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        Ok(req.send().await?)
    }

    /// Sends and returns status and parsed JSON body (`Value::Null` for an empty body).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let res = self.send(method, path, token, body).await?;
        let status = res.status();
        let text = res.text().await?;
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        };
        Ok((status, value))
    }

    pub async fn register(&self, username: &str) -> anyhow::Result<i64> {
        let (status, body) = self
            .call(Method::POST, "/auth/register", None, Some(json!({"username": username, "email": format!("{username}@example.org"), "password": "password123"})))
            .await?;
        anyhow::ensure!(
            status == StatusCode::CREATED,
            "register {username}: {status} {body}"
        );
        body["id"].as_i64().ok_or_else(|| anyhow::anyhow!("no id"))
    }

    pub async fn login(&self, username: &str, password: &str) -> anyhow::Result<Value> {
        let (status, body) = self
            .call(
                Method::POST,
                "/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await?;
        anyhow::ensure!(
            status == StatusCode::OK,
            "login {username}: {status} {body}"
        );
        Ok(body)
    }

    /// Registers a fresh user and returns (id, access token, refresh token).
    pub async fn user(&self, prefix: &str) -> anyhow::Result<(i64, String, String)> {
        let name = format!(
            "{prefix}{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let id = self.register(&name).await?;
        let tokens = self.login(&name, "password123").await?;
        Ok((
            id,
            tokens["access_token"].as_str().unwrap_or_default().into(),
            tokens["refresh_token"].as_str().unwrap_or_default().into(),
        ))
    }
}

impl Drop for Server {
    /// A test that failed before [`Server::stop`] still leaves no process,
    /// database, keys or queues behind.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(env) = self.env.take() {
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    let _ = runtime.block_on(env.cleanup());
                }
            })
            .join();
        }
    }
}

pub fn error(text: &str) -> Value {
    json!({ "error": text })
}

impl Server {
    /// The access token of a demo user (alice, bob, carol; password `testpass`).
    pub async fn demo_token(&self, username: &str) -> anyhow::Result<String> {
        let tokens = self.login(username, "testpass").await?;
        tokens["access_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no access token for {username}"))
    }

    /// `POST /chats`, expecting 201 or 200; returns the chat id.
    pub async fn create_chat(&self, token: &str, body: Value) -> anyhow::Result<i64> {
        let (status, reply) = self
            .call(Method::POST, "/chats", Some(token), Some(body.clone()))
            .await?;
        anyhow::ensure!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "create chat {body}: {status} {reply}"
        );
        reply["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no chat id in {reply}"))
    }

    /// Sends a text message, expecting 201; returns the response body.
    pub async fn send_text(&self, token: &str, chat: i64, content: &str) -> anyhow::Result<Value> {
        let (status, reply) = self
            .call(
                Method::POST,
                &format!("/chats/{chat}/messages"),
                Some(token),
                Some(json!({ "content": content })),
            )
            .await?;
        anyhow::ensure!(
            status == StatusCode::CREATED,
            "send to {chat}: {status} {reply}"
        );
        Ok(reply)
    }
}

/// True when `ts` has the §1.5 form `YYYY-MM-DD HH:MM:SS[.F]+00`.
pub fn is_contract_ts(ts: &Value) -> bool {
    let Some(s) = ts.as_str() else { return false };
    let Some(body) = s.strip_suffix("+00") else {
        return false;
    };
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let shape_ok = main.len() == 19
        && main.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    let frac_ok = frac.is_none_or(|f| {
        (1..=6).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) && !f.ends_with('0')
    });
    shape_ok && frac_ok
}
