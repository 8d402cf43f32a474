//! Benchmarks of the realtime edge (`/ws`, CONTRACT §16, DESIGN §2):
//!
//! * `ws-idle`: memory per idle authenticated, subscribed connection (server RSS);
//! * `ws-fanout`: one publisher PUBLISHes `message` frames straight into a chat's
//!   Redis channel, N connections subscribed to that chat receive them: the edge's
//!   deliveries/s and deliveries per CPU-second of the server process;
//!
//! The whole send pipeline under load (`ws-latency`, `pipeline`) is in `pipeline.rs`.
//!
//! The load generator shares the machine with the server, so it stays lean: one
//! task per connection, frames parsed only as far as needed, nothing else per frame.

use crate::ws::*;
use anyhow::Context;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// `ws-fanout` without a rate: frames published ahead of the slowest subscriber.
/// Below the edge's per-connection send queue (256), so keeping up never overflows it.
const FANOUT_WINDOW: u64 = 64;

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
