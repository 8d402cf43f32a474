//! What the WebSocket benchmarks share: users (log in or register), chats by
//! title, connections opened, authenticated and subscribed many at a time, a
//! connection held until told to stop, and the server's process figures from /proc.

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Client application ping period (§16.4); the server closes connections silent for 60 s.
const PING_EVERY: Duration = Duration::from_secs(25);
/// Connections being opened at once.
const OPEN_CONCURRENCY: usize = 64;

pub(crate) fn ws_url(url: &str) -> String {
    let base = url.trim_end_matches('/');
    if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}/ws")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}/ws")
    } else {
        format!("{base}/ws")
    }
}

/// Small client buffers: thousands of connections live in this process too.
pub(crate) fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
}

/// A logged-in user.
#[derive(Clone)]
pub(crate) struct User {
    pub(crate) id: i64,
    pub(crate) token: Arc<str>,
}

pub(crate) async fn login(
    http: &reqwest::Client,
    url: &str,
    username: &str,
) -> anyhow::Result<Option<User>> {
    let res = http
        .post(format!("{url}/auth/login"))
        .json(&json!({"username": username, "password": "testpass"}))
        .send()
        .await?;
    if res.status().as_u16() == 401 {
        return Ok(None);
    }
    anyhow::ensure!(
        res.status().is_success(),
        "login of {username} answered {}",
        res.status()
    );
    let body: Value = res.json().await?;
    Ok(Some(User {
        id: body["user_id"].as_i64().context("login: no user_id")?,
        token: Arc::from(body["access_token"].as_str().context("login: no token")?),
    }))
}

/// Logs in, registering the user first if it does not exist yet.
pub(crate) async fn login_or_register(
    http: &reqwest::Client,
    url: &str,
    username: &str,
) -> anyhow::Result<User> {
    // Asked first, so that neither a failed login (throttled per IP, §20.1) nor
    // a second password hash is spent on users that exist.
    let known = http
        .get(format!("{url}/users/by-username/{username}"))
        .send()
        .await?
        .status();
    if known.is_success() {
        return login(http, url, username)
            .await?
            .with_context(|| format!("{username}: login refused (wrong password?)"));
    }
    anyhow::ensure!(
        known.as_u16() == 404,
        "GET /users/by-username answered {known}"
    );
    let res = http
        .post(format!("{url}/auth/register"))
        .json(&json!({
            "username": username,
            "email": format!("{username}@bench.invalid"),
            "password": "testpass",
        }))
        .send()
        .await?;
    anyhow::ensure!(
        res.status().is_success() || res.status().as_u16() == 409,
        "register {username} answered {}",
        res.status()
    );
    login(http, url, username)
        .await?
        .with_context(|| format!("{username}: login refused after registering"))
}

pub(crate) async fn demo_users(http: &reqwest::Client, url: &str) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::new();
    for name in ["alice", "bob", "carol"] {
        users.push(login(http, url, name).await?.with_context(|| {
            format!("demo user {name} refused (is the server run with --demo?)")
        })?);
    }
    Ok(users)
}

pub(crate) async fn list_chats(
    http: &reqwest::Client,
    url: &str,
    user: &User,
) -> anyhow::Result<Vec<Value>> {
    let res = http
        .get(format!("{url}/chats"))
        .bearer_auth(&*user.token)
        .send()
        .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "GET /chats answered {}",
        res.status()
    );
    Ok(res.json::<Vec<Value>>().await?)
}

/// The id of the chat `user` sees with this title (or name: the demo group has only a name).
pub(crate) async fn chat_titled(
    http: &reqwest::Client,
    url: &str,
    user: &User,
    title: &str,
) -> anyhow::Result<Option<i64>> {
    Ok(list_chats(http, url, user)
        .await?
        .iter()
        .find(|c| c["title"].as_str() == Some(title) || c["name"].as_str() == Some(title))
        .and_then(|c| c["id"].as_i64()))
}

/// Server process RSS in KiB (`/proc/PID/status` VmRSS).
pub(crate) fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS")
}

/// utime + stime of a process, in clock ticks (`/proc/PID/stat` fields 14 and 15).
pub(crate) fn cpu_ticks(pid: &str) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("cannot read /proc/{pid}/stat"))?;
    // The command name may contain spaces; the fields after it are fixed.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("bad stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields
        .get(11)
        .and_then(|f| f.parse().ok())
        .context("utime")?;
    let stime: u64 = fields
        .get(12)
        .and_then(|f| f.parse().ok())
        .context("stime")?;
    Ok(utime + stime)
}

pub(crate) fn clock_ticks_per_sec() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Unlabelled series of the server's `/metrics` (edge gauges and counters).
pub(crate) async fn server_metric(http: &reqwest::Client, url: &str, name: &str) -> Option<f64> {
    let text = http
        .get(format!("{url}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

pub(crate) fn fmt_metric(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.0}"))
}

/// Opens one connection, authenticates it and subscribes it to `chat_id`
/// (both frames sent at once, §16.1); returns once `subscribed` arrived.
pub(crate) async fn open(ws_url: &str, token: &str, chat_id: i64) -> anyhow::Result<Ws> {
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(ws_url, Some(ws_config()), true).await?;
    ws.feed(Message::text(format!(
        r#"{{"type":"auth","token":"{token}"}}"#
    )))
    .await?;
    ws.feed(Message::text(format!(
        r#"{{"type":"subscribe","chat_id":{chat_id}}}"#
    )))
    .await?;
    ws.flush().await?;
    let handshake = async {
        while let Some(msg) = ws.next().await {
            if let Message::Text(t) = msg? {
                if t.contains(r#""type":"subscribed""#) {
                    return Ok(());
                }
                if t.contains(r#""type":"error""#) {
                    anyhow::bail!("server answered {t}");
                }
            }
        }
        anyhow::bail!("closed before subscribed")
    };
    // Replies are matched by their `type` wherever it sits (the server sorts keys).
    tokio::time::timeout(Duration::from_secs(20), handshake)
        .await
        .context("no subscribed reply within 20 s")??;
    Ok(ws)
}

/// Opens `n` connections, `OPEN_CONCURRENCY` at a time; `who(i)` gives the token
/// and chat of connection `i`. Returns the open ones (in order) and the failures.
pub(crate) async fn open_many(
    ws_url: &str,
    n: usize,
    who: impl Fn(usize) -> (Arc<str>, i64),
) -> (Vec<(usize, Ws)>, Vec<String>) {
    let ws_url: Arc<str> = Arc::from(ws_url);
    let results: Vec<(usize, anyhow::Result<Ws>)> = futures_util::stream::iter(0..n)
        .map(|i| {
            let (token, chat) = who(i);
            let ws_url = ws_url.clone();
            async move { (i, open(&ws_url, &token, chat).await) }
        })
        .buffer_unordered(OPEN_CONCURRENCY)
        .collect()
        .await;
    let mut open = Vec::new();
    let mut failed = Vec::new();
    for (i, r) in results {
        match r {
            Ok(ws) => open.push((i, ws)),
            Err(e) => failed.push(format!("{e:#}")),
        }
    }
    open.sort_by_key(|(i, _)| *i);
    (open, failed)
}

/// How a connection task ended.
pub(crate) enum Ended {
    /// We closed it.
    Stopped,
    /// The server closed it (close code and reason, if any).
    ClosedByServer(String),
    Error(String),
}

/// Holds one connection until `stop`: answers nothing, pings every 25 s like a
/// client, hands each text frame to `on_text`. Returns `on_text` (its state) and
/// how the connection ended.
pub(crate) async fn hold<F: FnMut(&str) + Send>(
    mut ws: Ws,
    mut stop: watch::Receiver<bool>,
    mut on_text: F,
) -> (F, Ended) {
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let ended = loop {
        tokio::select! {
            _ = stop.changed() => {
                let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
                break Ended::Stopped;
            }
            _ = ping.tick() => {
                if let Err(e) = ws.send(Message::text(r#"{"type":"ping"}"#)).await {
                    break Ended::Error(e.to_string());
                }
            }
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(t))) => on_text(t.as_str()),
                Some(Ok(Message::Close(frame))) => {
                    break Ended::ClosedByServer(
                        frame.map_or_else(|| "no close frame".into(), |f| format!("{} {}", f.code, f.reason)),
                    );
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Ended::Error(e.to_string()),
                None => break Ended::ClosedByServer("EOF".into()),
            },
        }
    };
    (on_text, ended)
}

/// Tallies how connections ended (except the ones we stopped).
pub(crate) fn ended_summary(ends: &[Ended]) -> String {
    let mut by: std::collections::BTreeMap<String, usize> = Default::default();
    for e in ends {
        match e {
            Ended::Stopped => {}
            Ended::ClosedByServer(why) => {
                *by.entry(format!("closed by server: {why}")).or_default() += 1
            }
            Ended::Error(e) => *by.entry(format!("error: {e}")).or_default() += 1,
        }
    }
    if by.is_empty() {
        "none".into()
    } else {
        by.iter()
            .map(|(k, v)| format!("{v}× {k}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The number after `key` in `text` (e.g. `"id":` → 42).
pub(crate) fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = &text[start..];
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}
