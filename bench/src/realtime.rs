//! Benchmarks of the realtime edge (`/ws`, CONTRACT §16, DESIGN §2):
//!
//! * `ws-idle`: memory per idle authenticated, subscribed connection (server RSS);
//! * `ws-fanout`: one publisher PUBLISHes `message` frames straight into a chat's
//!   Redis channel, N connections subscribed to that chat receive them: the edge's
//!   deliveries/s and deliveries per CPU-second of the server process;
//! * `ws-latency`: members of many small groups, all connected; senders POST
//!   messages at a fixed aggregate rate; send→deliver latency through the whole
//!   pipeline (POST → message service → outbox → RabbitMQ → Redis → edge → socket).
//!
//! The load generator shares the machine with the server, so it stays lean: one
//! task per connection, frames parsed only as far as needed, nothing else per frame.

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Client application ping period (§16.4); the server closes connections silent for 60 s.
const PING_EVERY: Duration = Duration::from_secs(25);
/// Connections being opened at once.
const OPEN_CONCURRENCY: usize = 64;
/// `ws-fanout` without a rate: frames published ahead of the slowest subscriber.
/// Below the edge's per-connection send queue (256), so keeping up never overflows it.
const FANOUT_WINDOW: u64 = 64;

// ---------------------------------------------------------------- helpers

fn ws_url(url: &str) -> String {
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
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
}

/// A logged-in user.
#[derive(Clone)]
struct User {
    id: i64,
    token: Arc<str>,
}

async fn login(http: &reqwest::Client, url: &str, username: &str) -> anyhow::Result<Option<User>> {
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
async fn login_or_register(
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

async fn demo_users(http: &reqwest::Client, url: &str) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::new();
    for name in ["alice", "bob", "carol"] {
        users.push(login(http, url, name).await?.with_context(|| {
            format!("demo user {name} refused (is the server run with --demo?)")
        })?);
    }
    Ok(users)
}

async fn list_chats(http: &reqwest::Client, url: &str, user: &User) -> anyhow::Result<Vec<Value>> {
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
async fn chat_titled(
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
fn rss_kib(pid: u32) -> anyhow::Result<u64> {
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
async fn server_metric(http: &reqwest::Client, url: &str, name: &str) -> Option<f64> {
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

fn fmt_metric(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.0}"))
}

/// Opens one connection, authenticates it and subscribes it to `chat_id`
/// (both frames sent at once, §16.1); returns once `subscribed` arrived.
async fn open(ws_url: &str, token: &str, chat_id: i64) -> anyhow::Result<Ws> {
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
async fn open_many(
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
enum Ended {
    /// We closed it.
    Stopped,
    /// The server closed it (close code and reason, if any).
    ClosedByServer(String),
    Error(String),
}

/// Holds one connection until `stop`: answers nothing, pings every 25 s like a
/// client, hands each text frame to `on_text`. Returns `on_text` (its state) and
/// how the connection ended.
async fn hold<F: FnMut(&str) + Send>(
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
fn ended_summary(ends: &[Ended]) -> String {
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
fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = &text[start..];
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

// ---------------------------------------------------------------- ws-idle

/// `ws-idle URL PID CONNECTIONS`
pub async fn idle(url: &str, pid: u32, n: usize) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let users = demo_users(&http, url).await?;
    let chat = chat_titled(&http, url, &users[0], "Dev Team")
        .await?
        .context("alice has no chat titled \"Dev Team\" (is the server run with --demo?)")?;
    println!(
        "ws-idle: {n} connections to {} (server pid {pid}), users alice/bob/carol round-robin, each subscribed to chat {chat} (Dev Team)",
        ws_url(url)
    );
    let conns_before = server_metric(&http, url, "messenger_ws_connections_active").await;
    // Logins (argon2) just ran in the server: let their memory settle first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss0 = rss_kib(pid)?;
    let self0 = rss_kib(std::process::id())?;

    // In two halves, so that the second half's marginal cost can be compared
    // with the average (a one-time step in the server's RSS shows as a mismatch).
    let who = |i: usize| (users[i % users.len()].token.clone(), chat);
    let half = n / 2;
    let t = Instant::now();
    let (mut open, mut failed) = open_many(&ws_url(url), half, who).await;
    let first_secs = t.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_half = rss_kib(pid)?;
    let opened_half = open.len();
    let t = Instant::now();
    let (rest, rest_failed) = open_many(&ws_url(url), n - half, |i| who(i + half)).await;
    let open_secs = first_secs + t.elapsed().as_secs_f64();
    open.extend(rest);
    failed.extend(rest_failed);
    println!(
        "opened {} connections (auth + subscribe) in {open_secs:.2} s = {:.0}/s; {} failed{}",
        open.len(),
        open.len() as f64 / open_secs,
        failed.len(),
        failed
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    anyhow::ensure!(!open.is_empty(), "no connection opened");

    let (stop_tx, stop_rx) = watch::channel(false);
    // Frames the server sends to idle connections (presence, …): should be few.
    let frames = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = open
        .into_iter()
        .map(|(_, ws)| {
            let frames = frames.clone();
            tokio::spawn(hold(ws, stop_rx.clone(), move |_: &str| {
                frames.fetch_add(1, Ordering::Relaxed);
            }))
        })
        .collect();
    let held = tasks.len() as f64;

    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss1 = rss_kib(pid)?;
    let conns = server_metric(&http, url, "messenger_ws_connections_active").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let rss2 = rss_kib(pid)?;
    let self1 = rss_kib(std::process::id())?;
    println!(
        "server: messenger_ws_connections_active {} before, {} while held",
        fmt_metric(conns_before),
        fmt_metric(conns)
    );
    println!(
        "server RSS: {rss0} KiB before the first connection; {rss_half} KiB at half; {rss1} KiB 2 s after the last (Δ {} KiB); {rss2} KiB 5 s later (Δ {} KiB)",
        rss1 as i64 - rss0 as i64,
        rss2 as i64 - rss0 as i64
    );
    println!(
        "memory per idle authenticated connection: {:.1} KiB (first measure), {:.1} KiB (second measure); \
         marginal cost of the second half ({} connections): {:.1} KiB each",
        (rss1 as f64 - rss0 as f64) / held,
        (rss2 as f64 - rss0 as f64) / held,
        tasks.len() - opened_half,
        (rss1 as f64 - rss_half as f64) / (tasks.len() - opened_half).max(1) as f64
    );
    println!(
        "  (valid on a freshly started server only: memory freed by earlier connections stays in the process and is reused)"
    );
    println!(
        "load generator RSS: {} KiB for {held} client connections",
        self1 as i64 - self0 as i64
    );

    let _ = stop_tx.send(true);
    let mut ends = Vec::new();
    for task in tasks {
        ends.push(task.await?.1);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss3 = rss_kib(pid)?;
    println!(
        "after closing them all: server RSS {rss3} KiB (Δ {} KiB from before), messenger_ws_connections_active {}",
        rss3 as i64 - rss0 as i64,
        fmt_metric(server_metric(&http, url, "messenger_ws_connections_active").await)
    );
    println!(
        "frames received by the idle connections: {}; connections lost while held: {}",
        frames.load(Ordering::Relaxed),
        ended_summary(&ends)
    );
    Ok(())
}

// ---------------------------------------------------------------- ws-fanout

/// `ws-fanout URL PID REDIS_URL PREFIX SUBSCRIBERS SECONDS [RATE]`
pub async fn fanout(
    url: &str,
    pid: u32,
    redis_url: &str,
    prefix: &str,
    subscribers: usize,
    secs: u64,
    rate: Option<f64>,
) -> anyhow::Result<()> {
    use fred::prelude::*;

    let http = reqwest::Client::new();
    let users = demo_users(&http, url).await?;
    let chat = chat_titled(&http, url, &users[0], "Dev Team")
        .await?
        .context("alice has no chat titled \"Dev Team\" (is the server run with --demo?)")?;
    let channel = format!("{prefix}chat:{chat}");
    let content = "x".repeat(100);
    let frame = |id: u64| {
        format!(
            r#"#{id} {{"type":"message","id":{id},"chat_id":{chat},"sender_id":{},"content":"{content}","message_type":"text","created_at":"2025-01-01T00:00:00.000Z","seq":{id}}}"#,
            users[0].id
        )
    };
    let sample = frame(1);
    let frame_bytes = sample.len() - sample.find(' ').map_or(0, |p| p + 1);
    let pace = rate.map_or_else(
        || {
            format!(
                "as fast as the slowest subscriber keeps up (≤ {FANOUT_WINDOW} frames ahead of it)"
            )
        },
        |r| format!("{r:.0} frames/s"),
    );
    println!(
        "ws-fanout: {subscribers} subscribers of chat {chat} (Dev Team; alice/bob/carol round-robin) at {} (server pid {pid});",
        ws_url(url)
    );
    println!(
        "  one publisher PUBLISHes `message` frames ({frame_bytes}-byte frames, 100-byte content) to {channel} on {redis_url}, {pace}, for {secs} s"
    );

    let redis = Builder::from_config(Config::from_url(redis_url)?).build()?;
    redis.init().await?;

    let t = Instant::now();
    let (open, failed) = open_many(&ws_url(url), subscribers, |i| {
        (users[i % users.len()].token.clone(), chat)
    })
    .await;
    println!(
        "opened {} subscribers in {:.2} s; {} failed{}",
        open.len(),
        t.elapsed().as_secs_f64(),
        failed.len(),
        failed
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    anyhow::ensure!(!open.is_empty(), "no connection opened");

    // Per subscriber: frames received; u64::MAX once its connection ended.
    let n = open.len();
    let received: Arc<Vec<AtomicU64>> = Arc::new((0..n).map(|_| AtomicU64::new(0)).collect());
    let gaps = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    for (slot, (_, ws)) in open.into_iter().enumerate() {
        let (received, gaps) = (received.clone(), gaps.clone());
        let stop = stop_rx.clone();
        tasks.push(tokio::spawn(async move {
            let mut last = 0u64;
            let mut count = 0u64;
            let (_, ended) = hold(ws, stop, |text: &str| {
                if let Some(rest) = text.strip_prefix(r#"{"type":"message","id":"#)
                    && let Some(id) = number_after(rest, "")
                {
                    if id != last + 1 {
                        gaps.fetch_add(1, Ordering::Relaxed);
                    }
                    last = id;
                    count += 1;
                    received[slot].store(count, Ordering::Relaxed);
                }
            })
            .await;
            let total = received[slot].swap(u64::MAX, Ordering::Relaxed);
            (total, ended)
        }));
    }
    // Slowest live subscriber; None when none is left.
    let slowest = |received: &[AtomicU64]| {
        received
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .filter(|r| *r != u64::MAX)
            .min()
    };
    let live_sum = |received: &[AtomicU64]| -> u64 {
        received
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .filter(|r| *r != u64::MAX)
            .sum()
    };

    let publish = |from: u64, count: u64| {
        let futs: Vec<_> = (from..from + count)
            .map(|id| redis.publish::<i64, _, _>(channel.as_str(), frame(id)))
            .collect();
        futures_util::future::join_all(futs)
    };
    // Warm-up: one frame every subscriber must get before the clock starts.
    let mut published = 1u64;
    let listeners = publish(1, 1)
        .await
        .into_iter()
        .next()
        .context("publish")??;
    anyhow::ensure!(
        listeners > 0,
        "nobody listens on {channel}: wrong PREFIX (the server's CHORUS__REDIS__PREFIX)?"
    );
    let warm = Instant::now();
    while slowest(&received).is_some_and(|m| m < 1) && warm.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let metric_sent0 = server_metric(&http, url, "messenger_ws_frames_sent_total").await;
    let metric_over0 = server_metric(&http, url, "messenger_ws_send_queue_overflows_total").await;
    let ticks = clock_ticks_per_sec();
    let me = std::process::id().to_string();
    let (cpu0, self0) = (cpu_ticks(&pid.to_string())?, cpu_ticks(&me)?);
    let delivered0 = live_sum(&received);
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(secs);
    let mut publish_errors = 0u64;

    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    while Instant::now() < deadline {
        let want = match rate {
            Some(r) => 1 + (t0.elapsed().as_secs_f64() * r) as u64,
            None => match slowest(&received) {
                Some(m) => m + FANOUT_WINDOW,
                None => break,
            },
        };
        if want > published {
            let batch = (want - published).min(1024);
            for r in publish(published + 1, batch).await {
                if r.is_err() {
                    publish_errors += 1;
                }
            }
            published += batch;
        } else {
            tick.tick().await;
        }
    }
    let publish_secs = t0.elapsed().as_secs_f64();
    // Drain: until every live subscriber has everything, or nothing moves for 1 s.
    let mut last_sum = live_sum(&received);
    let mut still_since = Instant::now();
    while slowest(&received).is_some_and(|m| m < published)
        && still_since.elapsed() < Duration::from_secs(1)
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let sum = live_sum(&received);
        if sum != last_sum {
            last_sum = sum;
            still_since = Instant::now();
        }
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let (cpu1, self1) = (cpu_ticks(&pid.to_string())?, cpu_ticks(&me)?);
    let metric_sent1 = server_metric(&http, url, "messenger_ws_frames_sent_total").await;
    let metric_over1 = server_metric(&http, url, "messenger_ws_send_queue_overflows_total").await;

    let _ = stop_tx.send(true);
    let mut ends = Vec::new();
    let mut delivered_total = 0u64;
    let mut lost = 0u64;
    let mut closed = 0u64;
    for task in tasks {
        let (count, ended) = task.await?;
        delivered_total += count;
        match ended {
            Ended::Stopped => lost += published.saturating_sub(count),
            other => {
                closed += 1;
                ends.push(other);
            }
        }
    }
    let deliveries = delivered_total - delivered0;
    let cpu_secs = (cpu1 - cpu0) as f64 / ticks;
    let self_secs = (self1 - self0) as f64 / ticks;
    let measured = published - 1;
    println!(
        "published {measured} frames in {publish_secs:.2} s = {:.0} frames/s ({publish_errors} publish errors)",
        measured as f64 / publish_secs
    );
    println!(
        "deliveries: {deliveries} in {elapsed:.2} s (incl. drain) = {:.0} deliveries/s to {n} subscribers",
        deliveries as f64 / elapsed
    );
    println!(
        "server CPU: {cpu_secs:.2} s over {elapsed:.2} s = {:.2} cores busy; {:.0} deliveries per server CPU-second (per core)",
        cpu_secs / elapsed,
        deliveries as f64 / cpu_secs.max(1e-9)
    );
    println!(
        "load generator CPU: {self_secs:.2} s ({:.2} cores)",
        self_secs / elapsed
    );
    println!(
        "lost frames (subscribers still open at the end): {lost}; sequence gaps seen: {}; connections closed by the server or failed: {closed} ({})",
        gaps.load(Ordering::Relaxed),
        ended_summary(&ends)
    );
    if let (Some(a), Some(b)) = (metric_sent0, metric_sent1) {
        println!(
            "server metrics: frames queued {:.0}, send-queue overflows {}",
            b - a,
            match (metric_over0, metric_over1) {
                (Some(x), Some(y)) => format!("{:.0}", y - x),
                _ => "n/a".into(),
            }
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- ws-latency

/// `ws-latency URL RATE SECONDS GROUP_SIZE GROUPS`
pub async fn latency(
    url: &str,
    rate: f64,
    secs: u64,
    group_size: usize,
    groups: usize,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        rate > 0.0 && group_size >= 1 && groups >= 1,
        "bad parameters"
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4096)
        .tcp_nodelay(true)
        .build()?;
    println!(
        "ws-latency: {groups} groups of {group_size} members, every member connected and subscribed to its group at {};",
        ws_url(url)
    );
    println!(
        "  senders POST /chats/{{id}}/messages at {rate:.0} msg/s in all (round-robin over groups and members), 1 s warm-up then {secs} s measured"
    );

    // Users wsl-g{g}-m{m} and groups "ws-latency {size}x g{g}", reused across runs.
    let t = Instant::now();
    let names: Vec<(usize, usize)> = (0..groups)
        .flat_map(|g| (0..group_size).map(move |m| (g, m)))
        .collect();
    let logged: Vec<anyhow::Result<((usize, usize), User)>> = futures_util::stream::iter(names)
        .map(|(g, m)| {
            let (http, url) = (http.clone(), url.to_owned());
            async move {
                let user = login_or_register(&http, &url, &format!("wsl-g{g}-m{m}")).await?;
                Ok(((g, m), user))
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let mut members: Vec<Vec<Option<User>>> = vec![vec![None; group_size]; groups];
    for r in logged {
        let ((g, m), user) = r?;
        members[g][m] = Some(user);
    }
    let members: Vec<Vec<User>> = members
        .into_iter()
        .map(|g| g.into_iter().flatten().collect())
        .collect();
    let mut chats = Vec::with_capacity(groups);
    let mut created = 0;
    for (g, users) in members.iter().enumerate() {
        let owner = &users[0];
        let title = format!("ws-latency {group_size}x g{g}");
        let chat = match chat_titled(&http, url, owner, &title).await? {
            Some(id) => id,
            None => {
                created += 1;
                let others: Vec<i64> = users[1..].iter().map(|u| u.id).collect();
                let res = http
                    .post(format!("{url}/chats"))
                    .bearer_auth(&*owner.token)
                    .json(&json!({"type": "group", "title": title, "member_ids": others}))
                    .send()
                    .await?;
                anyhow::ensure!(
                    res.status().is_success(),
                    "POST /chats answered {}",
                    res.status()
                );
                res.json::<Value>().await?["id"]
                    .as_i64()
                    .context("no chat id")?
            }
        };
        chats.push(chat);
    }
    println!(
        "setup: {} users logged in, {created} groups created ({} reused) in {:.1} s",
        groups * group_size,
        groups - created,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let total = groups * group_size;
    let (open, failed) = open_many(&ws_url(url), total, |i| {
        (
            members[i / group_size][i % group_size].token.clone(),
            chats[i / group_size],
        )
    })
    .await;
    println!(
        "opened {} connections in {:.2} s; {} failed{}",
        open.len(),
        t.elapsed().as_secs_f64(),
        failed.len(),
        failed
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    anyhow::ensure!(!open.is_empty(), "no connection opened");
    let connected_per_group: Vec<u64> = {
        let mut c = vec![0u64; groups];
        for (i, _) in &open {
            c[i / group_size] += 1;
        }
        c
    };

    // One clock: microseconds since `base`, carried in the content.
    let base = Instant::now();
    let delivered = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    for (_, ws) in open {
        let delivered = delivered.clone();
        let stop = stop_rx.clone();
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3).ok();
            let (_, ended) = hold(ws, stop, |text: &str| {
                // Measured messages carry "L<µs since base>"; warm-up ones "W…".
                if let Some(sent) = number_after(text, r#""content":"L"#) {
                    let now = base.elapsed().as_micros() as u64;
                    if let Some(h) = hist.as_mut() {
                        let _ = h.record(now.saturating_sub(sent));
                    }
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            })
            .await;
            (hist, ended)
        }));
    }

    // Sending: open loop at `rate`, each POST its own task (bounded in flight).
    struct SendStats {
        ok: AtomicU64,
        failed: AtomicU64,
        expected: AtomicU64,
        first_error: std::sync::Mutex<Option<String>>,
        post: std::sync::Mutex<Histogram<u64>>,
    }
    let stats = Arc::new(SendStats {
        ok: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        expected: AtomicU64::new(0),
        first_error: std::sync::Mutex::new(None),
        post: std::sync::Mutex::new(Histogram::new(3)?),
    });
    let in_flight = Arc::new(tokio::sync::Semaphore::new(2048));
    let urls: Arc<Vec<String>> = Arc::new(
        chats
            .iter()
            .map(|c| format!("{url}/chats/{c}/messages"))
            .collect(),
    );
    let auth: Arc<Vec<Vec<String>>> = Arc::new(
        members
            .iter()
            .map(|g| g.iter().map(|u| format!("Bearer {}", u.token)).collect())
            .collect(),
    );
    let padding = "x".repeat(85);
    let mut k = 0usize;
    let mut late = 0u64;
    let mut run = |phase: char, secs: f64, measured: bool| {
        let (http, stats, in_flight, urls, auth, padding) = (
            http.clone(),
            stats.clone(),
            in_flight.clone(),
            urls.clone(),
            auth.clone(),
            padding.clone(),
        );
        let connected = connected_per_group.clone();
        let k0 = k;
        let total_msgs = (secs * rate).round() as usize;
        k += total_msgs;
        async move {
            let start = Instant::now();
            let mut sent = 0usize;
            let mut late = 0u64;
            let mut tick = tokio::time::interval(Duration::from_millis(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            while sent < total_msgs {
                tick.tick().await;
                let due = ((start.elapsed().as_secs_f64() * rate) as usize + 1).min(total_msgs);
                while sent < due {
                    let permit = match in_flight.clone().try_acquire_owned() {
                        Ok(p) => p,
                        Err(_) => {
                            late += 1;
                            // The semaphore is never closed.
                            let Ok(p) = in_flight.clone().acquire_owned().await else {
                                return late;
                            };
                            p
                        }
                    };
                    let i = k0 + sent;
                    sent += 1;
                    let g = i % urls.len();
                    let m = (i / urls.len()) % auth[g].len();
                    let (http, stats, urls, auth) =
                        (http.clone(), stats.clone(), urls.clone(), auth.clone());
                    let expect = connected[g];
                    let body = format!(
                        r#"{{"content":"{phase}{:013} {padding}"}}"#,
                        base.elapsed().as_micros()
                    );
                    tokio::spawn(async move {
                        let _permit = permit;
                        let t = Instant::now();
                        let res = http
                            .post(&urls[g])
                            .header("authorization", &auth[g][m])
                            .header("content-type", "application/json")
                            .body(body)
                            .send()
                            .await;
                        let outcome = match res {
                            Ok(r) if r.status().as_u16() == 201 => {
                                r.bytes().await.map(|_| ()).map_err(|e| e.to_string())
                            }
                            Ok(r) => Err(format!("POST answered {}", r.status())),
                            Err(e) => Err(e.to_string()),
                        };
                        match outcome {
                            Ok(()) if measured => {
                                stats.ok.fetch_add(1, Ordering::Relaxed);
                                stats.expected.fetch_add(expect, Ordering::Relaxed);
                                if let Ok(mut h) = stats.post.lock() {
                                    let _ = h.record(t.elapsed().as_micros() as u64);
                                }
                            }
                            Ok(()) => {}
                            Err(_) if !measured => {}
                            Err(e) => {
                                stats.failed.fetch_add(1, Ordering::Relaxed);
                                if let Ok(mut first) = stats.first_error.lock() {
                                    first.get_or_insert(e);
                                }
                            }
                        }
                    });
                }
            }
            late
        }
    };
    run('W', 1.0, false).await;
    // Let the warm-up drain before the measured run.
    let _ = in_flight.acquire_many(2048).await.map(drop);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let me = std::process::id().to_string();
    let self0 = cpu_ticks(&me)?;
    let t0 = Instant::now();
    late += run('L', secs as f64, true).await;
    let send_secs = t0.elapsed().as_secs_f64();
    let _ = in_flight.acquire_many(2048).await.map(drop);
    let posts_done = t0.elapsed().as_secs_f64();
    // Deliveries: until all expected arrived, or nothing moved for 2 s.
    let expected = stats.expected.load(Ordering::Relaxed);
    let mut last = delivered.load(Ordering::Relaxed);
    let mut still_since = Instant::now();
    while last < expected && still_since.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = delivered.load(Ordering::Relaxed);
        if now != last {
            last = now;
            still_since = Instant::now();
        }
    }
    let _ = stop_tx.send(true);
    let mut hist = Histogram::<u64>::new(3)?;
    let mut ends = Vec::new();
    for task in tasks {
        let (h, ended) = task.await?;
        if let Some(h) = h {
            hist.add(h)?;
        }
        ends.push(ended);
    }
    let self_secs = (cpu_ticks(&me)? - self0) as f64 / clock_ticks_per_sec();
    let run_secs = t0.elapsed().as_secs_f64();
    let ok = stats.ok.load(Ordering::Relaxed);
    let failed_sends = stats.failed.load(Ordering::Relaxed);
    let deliveries = delivered.load(Ordering::Relaxed);
    println!(
        "sent {ok} messages in {send_secs:.2} s = {:.0} msg/s (all POSTs answered after {posts_done:.2} s); {failed_sends} failed sends{}; {late} sends started late (2048 in flight)",
        ok as f64 / send_secs,
        stats
            .first_error
            .lock()
            .ok()
            .and_then(|e| e.clone())
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    if let Ok(post) = stats.post.lock() {
        println!(
            "POST latency (201 received): p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms",
            post.value_at_quantile(0.5) as f64 / 1000.0,
            post.value_at_quantile(0.99) as f64 / 1000.0,
            post.value_at_quantile(0.999) as f64 / 1000.0,
            post.max() as f64 / 1000.0
        );
    }
    println!(
        "send→deliver (POST → message service → outbox → RabbitMQ → Redis → edge → socket), {} deliveries: p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms",
        hist.len(),
        hist.value_at_quantile(0.5) as f64 / 1000.0,
        hist.value_at_quantile(0.99) as f64 / 1000.0,
        hist.value_at_quantile(0.999) as f64 / 1000.0,
        hist.max() as f64 / 1000.0
    );
    println!(
        "deliveries counted {deliveries} of {expected} expected ({} missing); connections closed by the server or failed: {}",
        expected as i64 - deliveries as i64,
        ended_summary(&ends)
    );
    println!(
        "load generator CPU: {self_secs:.2} s over {run_secs:.2} s ({:.2} cores)",
        self_secs / run_secs
    );
    if (ok as f64) < 0.95 * rate * secs as f64 || send_secs > 1.05 * secs as f64 {
        println!(
            "NOTE: {rate:.0} msg/s was not sustained: the server answered slower than the schedule (see the in-flight limit and POST latency)"
        );
    }
    Ok(())
}
