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
}

/// A directory removed on drop.
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn chorus_binary() -> anyhow::Result<std::path::PathBuf> {
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

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Server {
    pub async fn start() -> anyhow::Result<Self> {
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        if let Ok(base) = std::env::var("CHORUS_URL") {
            return Ok(Self {
                base,
                http,
                child: None,
                env: None,
                _data_dir: None,
            });
        }
        let env = TestEnv::new().await?;
        let port = free_port()?;
        let data_dir = std::env::temp_dir().join(&env.id);
        let child = Command::new(chorus_binary()?)
            .args(["all", "--demo"])
            .env("CHORUS_ALL__HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("CHORUS_ALL__DATA_DIR", &data_dir)
            .env("CHORUS__DB__URL", &env.database_url)
            .env("CHORUS__DB__MAX_CONNECTIONS", "8")
            .env("CHORUS__REDIS__URL", &env.redis_url)
            .env("CHORUS__REDIS__PREFIX", &env.redis_prefix)
            .env("CHORUS__AMQP__URL", &env.amqp_url)
            .env("CHORUS__AMQP__EXCHANGE", &env.exchange)
            .env("CHORUS__AMQP__QUEUE_PREFIX", format!("{}.", env.id))
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn,lapin=error".into()),
            )
            .stdin(Stdio::null())
            .spawn()?;
        let server = Self {
            base: format!("http://127.0.0.1:{port}"),
            http,
            child: Some(child),
            env: Some(env),
            _data_dir: Some(TempDir(data_dir)),
        };
        server.wait_ready().await?;
        Ok(server)
    }

    /// Ready = healthy and the demo users exist.
    async fn wait_ready(&self) -> anyhow::Result<()> {
        for _ in 0..300 {
            let healthy = matches!(self.http.get(self.url("/health")).send().await, Ok(r) if r.status() == StatusCode::OK);
            if healthy {
                let carol = self
                    .http
                    .get(self.url("/users/by-username/carol"))
                    .send()
                    .await;
                if matches!(carol, Ok(r) if r.status() == StatusCode::OK) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("chorus did not become ready")
    }

    /// The development signing key of a server this harness started.
    pub fn dev_key_pem(&self) -> Option<String> {
        let dir = self._data_dir.as_ref()?;
        std::fs::read_to_string(dir.0.join("jwt-ed25519.pem")).ok()
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
