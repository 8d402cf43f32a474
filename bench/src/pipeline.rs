//! The whole send pipeline under load (POST → message service → outbox →
//! RabbitMQ → Redis → edge → socket): members of many small groups, all
//! connected and subscribed; senders POST at a fixed aggregate rate (open loop,
//! round-robin over groups and members); every member's socket times every
//! message from its POST to its arrival.
//!
//! * `ws-latency URL RATE SECONDS GROUP_SIZE GROUPS`: one rate, in detail;
//! * `pipeline URL [SECONDS] [GROUP_SIZE] [GROUPS] [RATES]`: the rate ladder
//!   with the CPU per message of every process (from /proc, see `procs.rs` for
//!   `BENCH_ROOTS`), up to the knee. `scripts/bench-pipeline.sh` runs it against
//!   a release `chorus all` on private servers.

use crate::procs::{self, Roots, Snapshot};
use crate::ws::*;
use anyhow::Context;
use futures_util::StreamExt;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};

/// Measured steps a rig can tell apart (the step number travels in the content).
const STEPS: usize = 64;
/// POSTs in flight at most; a send that finds none free starts late.
const IN_FLIGHT: u32 = 2048;
/// The send→deliver p99 the issue sets as the goal; the ladder stops once the
/// median passes it (the knee: queues grow faster than they drain — a single
/// stall raises a p99 but not the median).
const GOAL_P99_MS: f64 = 25.0;
/// The default ladder, in messages per second.
const LADDER: &[f64] = &[200.0, 400.0, 600.0, 800.0, 1000.0, 1500.0, 2000.0];

/// Deliveries per measured step, recorded by the connection tasks.
struct Tally {
    hist: Vec<Mutex<Histogram<u64>>>,
    delivered: Vec<AtomicU64>,
}

/// What one POST round reports.
#[derive(Default)]
struct Sends {
    ok: AtomicU64,
    failed: AtomicU64,
    /// Deliveries expected: the connected members of each message's group.
    expected: AtomicU64,
    first_error: Mutex<Option<String>>,
    post: Mutex<Option<Histogram<u64>>>,
}

/// One measured rate.
pub struct Step {
    rate: f64,
    secs: f64,
    ok: u64,
    failed: u64,
    first_error: Option<String>,
    late: u64,
    send_secs: f64,
    posts_done: f64,
    post: Histogram<u64>,
    deliver: Histogram<u64>,
    delivered: u64,
    expected: u64,
    /// CPU seconds per [`procs::GROUPS`] entry over the step, and the generator's.
    cpu: Vec<f64>,
    own_cpu: f64,
    window: f64,
}

impl Step {
    fn sustained(&self) -> bool {
        self.ok as f64 >= 0.95 * self.rate * self.secs && self.send_secs <= 1.05 * self.secs
    }
    fn missing(&self) -> i64 {
        self.expected as i64 - self.delivered as i64
    }
    fn p99_ms(&self) -> f64 {
        ms(self.deliver.value_at_quantile(0.99))
    }
    /// CPU milliseconds per sent message.
    fn per_msg(&self, secs: f64) -> f64 {
        secs * 1000.0 / self.ok.max(1) as f64
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// Users, groups and open connections, reused by every step.
struct Rig {
    http: reqwest::Client,
    base: Instant,
    urls: Arc<Vec<String>>,
    auth: Arc<Vec<Vec<String>>>,
    connected: Arc<Vec<u64>>,
    tally: Arc<Tally>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<Ended>>,
    /// Messages sent so far (round-robin position).
    sent: usize,
    in_flight: Arc<Semaphore>,
}

impl Rig {
    /// Users `wsl-g{g}-m{m}` and groups `ws-latency {size}x g{g}`, reused across runs.
    async fn new(url: &str, group_size: usize, groups: usize) -> anyhow::Result<Self> {
        anyhow::ensure!(group_size >= 1 && groups >= 1, "bad parameters");
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(4096)
            .tcp_nodelay(true)
            .build()?;
        let t = Instant::now();
        let members = users(&http, url, group_size, groups).await?;
        let (chats, created) = group_chats(&http, url, &members, group_size).await?;
        println!(
            "setup: {} users logged in, {created} groups created ({} reused) in {:.1} s",
            groups * group_size,
            groups - created,
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        let (open, failed) = open_many(&ws_url(url), groups * group_size, |i| {
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
        let mut connected = vec![0u64; groups];
        for (i, _) in &open {
            connected[i / group_size] += 1;
        }
        let tally = Arc::new(Tally {
            hist: (0..STEPS)
                .map(|_| Histogram::new(3).map(Mutex::new))
                .collect::<Result<_, _>>()?,
            delivered: (0..STEPS).map(|_| AtomicU64::new(0)).collect(),
        });
        let base = Instant::now();
        let (stop, stop_rx) = watch::channel(false);
        let tasks = open
            .into_iter()
            .map(|(_, ws)| {
                let (tally, stop) = (tally.clone(), stop_rx.clone());
                tokio::spawn(async move { hold(ws, stop, |t| record(&tally, base, t)).await.1 })
            })
            .collect();
        Ok(Self {
            http,
            base,
            urls: Arc::new(
                chats
                    .iter()
                    .map(|c| format!("{url}/chats/{c}/messages"))
                    .collect(),
            ),
            auth: Arc::new(
                members
                    .iter()
                    .map(|g| g.iter().map(|u| format!("Bearer {}", u.token)).collect())
                    .collect(),
            ),
            connected: Arc::new(connected),
            tally,
            stop,
            tasks,
            sent: 0,
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT as usize)),
        })
    }

    /// Sends at `rate` for `secs`; `step` marks measured messages. Returns the
    /// sends started late (no POST slot free).
    async fn send(&mut self, rate: f64, secs: f64, step: Option<usize>, sends: &Arc<Sends>) -> u64 {
        let total = (secs * rate).round() as usize;
        let first = self.sent;
        self.sent += total;
        let padding = "x".repeat(85);
        let start = Instant::now();
        let (mut sent, mut late) = (0usize, 0u64);
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        while sent < total {
            tick.tick().await;
            let due = ((start.elapsed().as_secs_f64() * rate) as usize + 1).min(total);
            while sent < due {
                let permit = match self.in_flight.clone().try_acquire_owned() {
                    Ok(p) => p,
                    Err(_) => {
                        late += 1;
                        // The semaphore is never closed.
                        let Ok(p) = self.in_flight.clone().acquire_owned().await else {
                            return late;
                        };
                        p
                    }
                };
                let i = first + sent;
                sent += 1;
                let g = i % self.urls.len();
                let m = (i / self.urls.len()) % self.auth[g].len();
                let marker = step.map_or_else(|| "W000".to_owned(), |s| format!("L{s:03}"));
                // With a retry key, as the web app sends every message.
                let body = format!(
                    r#"{{"content":"{marker}{:013} {padding}","client_msg_id":"{}-{i}"}}"#,
                    self.base.elapsed().as_micros(),
                    std::process::id()
                );
                let (http, sends, urls, auth) = (
                    self.http.clone(),
                    sends.clone(),
                    self.urls.clone(),
                    self.auth.clone(),
                );
                let expect = self.connected[g];
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
                    sends.tally(outcome, expect, t.elapsed());
                });
            }
        }
        late
    }

    /// Waits until every POST in flight has its answer.
    async fn drain_posts(&self) {
        let _ = self.in_flight.acquire_many(IN_FLIGHT).await.map(drop);
    }

    /// A 1 s warm-up at `rate`, then `secs` measured.
    async fn step(
        &mut self,
        n: usize,
        rate: f64,
        secs: f64,
        roots: &Roots,
    ) -> anyhow::Result<Step> {
        anyhow::ensure!(n < STEPS && rate > 0.0, "bad step");
        self.send(rate, 1.0, None, &Arc::new(Sends::default()))
            .await;
        self.drain_posts().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sends = Arc::new(Sends {
            post: Mutex::new(Some(Histogram::new(3)?)),
            ..Default::default()
        });
        let cpu0 = Snapshot::take(roots)?;
        let t0 = Instant::now();
        let late = self.send(rate, secs, Some(n), &sends).await;
        let send_secs = t0.elapsed().as_secs_f64();
        self.drain_posts().await;
        let posts_done = t0.elapsed().as_secs_f64();
        // Deliveries: until all expected arrived, or nothing moved for 2 s.
        let expected = sends.expected.load(Ordering::Relaxed);
        let mut last = self.tally.delivered[n].load(Ordering::Relaxed);
        let mut still_since = Instant::now();
        while last < expected && still_since.elapsed() < Duration::from_secs(2) {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let now = self.tally.delivered[n].load(Ordering::Relaxed);
            if now != last {
                (last, still_since) = (now, Instant::now());
            }
        }
        let (cpu, own_cpu) = Snapshot::take(roots)?.since(&cpu0);
        let deliver = self.tally.hist[n]
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .clone();
        let post = sends.post.lock().ok().and_then(|mut h| h.take());
        Ok(Step {
            rate,
            secs,
            ok: sends.ok.load(Ordering::Relaxed),
            failed: sends.failed.load(Ordering::Relaxed),
            first_error: sends.first_error.lock().ok().and_then(|e| e.clone()),
            late,
            send_secs,
            posts_done,
            post: post.context("no POST histogram")?,
            deliver,
            delivered: last,
            expected,
            cpu,
            own_cpu,
            window: t0.elapsed().as_secs_f64(),
        })
    }

    /// Closes every connection; how the ones the server ended, ended.
    async fn finish(self) -> anyhow::Result<String> {
        let _ = self.stop.send(true);
        let mut ends = Vec::new();
        for task in self.tasks {
            ends.push(task.await?);
        }
        Ok(ended_summary(&ends))
    }
}

impl Sends {
    fn tally(&self, outcome: Result<(), String>, expect: u64, took: Duration) {
        match outcome {
            Ok(()) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                self.expected.fetch_add(expect, Ordering::Relaxed);
                if let Ok(mut h) = self.post.lock()
                    && let Some(h) = h.as_mut()
                {
                    let _ = h.record(took.as_micros() as u64);
                }
            }
            Err(e) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut first) = self.first_error.lock() {
                    first.get_or_insert(e);
                }
            }
        }
    }
}

/// A measured message's frame: `"content":"L<step:3><µs since base:13> …"`.
fn record(tally: &Tally, base: Instant, text: &str) {
    const KEY: &str = r#""content":"L"#;
    let Some(at) = text.find(KEY) else { return };
    let digits = &text[at + KEY.len()..];
    let (Some(step), Some(sent)) = (
        digits.get(..3).and_then(|s| s.parse::<usize>().ok()),
        digits.get(3..16).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        return;
    };
    if step >= STEPS {
        return;
    }
    let now = base.elapsed().as_micros() as u64;
    if let Ok(mut h) = tally.hist[step].lock() {
        let _ = h.record(now.saturating_sub(sent));
    }
    tally.delivered[step].fetch_add(1, Ordering::Relaxed);
}

async fn users(
    http: &reqwest::Client,
    url: &str,
    group_size: usize,
    groups: usize,
) -> anyhow::Result<Vec<Vec<User>>> {
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
    Ok(members
        .into_iter()
        .map(|g| g.into_iter().flatten().collect())
        .collect())
}

/// Each group's chat (found by title or created); and how many were created.
async fn group_chats(
    http: &reqwest::Client,
    url: &str,
    members: &[Vec<User>],
    group_size: usize,
) -> anyhow::Result<(Vec<i64>, usize)> {
    let mut chats = Vec::with_capacity(members.len());
    let mut created = 0;
    for (g, users) in members.iter().enumerate() {
        let owner = &users[0];
        let title = format!("ws-latency {group_size}x g{g}");
        if let Some(id) = chat_titled(http, url, owner, &title).await? {
            chats.push(id);
            continue;
        }
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
        chats.push(
            res.json::<Value>().await?["id"]
                .as_i64()
                .context("no chat id")?,
        );
    }
    Ok((chats, created))
}

fn intro(url: &str, group_size: usize, groups: usize) {
    println!(
        "{groups} groups of {group_size} members, every member connected and subscribed to its group at {};",
        ws_url(url)
    );
    println!(
        "  senders POST /chats/{{id}}/messages (round-robin over groups and members); each rate: 1 s warm-up, then measured"
    );
}

/// `ws-latency URL RATE SECONDS GROUP_SIZE GROUPS`
pub async fn latency(
    url: &str,
    rate: f64,
    secs: u64,
    group_size: usize,
    groups: usize,
) -> anyhow::Result<()> {
    intro(url, group_size, groups);
    let mut rig = Rig::new(url, group_size, groups).await?;
    let s = rig.step(0, rate, secs as f64, &Roots::from_env()?).await?;
    let ended = rig.finish().await?;
    println!(
        "sent {} messages in {:.2} s = {:.0} msg/s (all POSTs answered after {:.2} s); {} failed sends{}; {} sends started late ({IN_FLIGHT} in flight)",
        s.ok,
        s.send_secs,
        s.ok as f64 / s.send_secs,
        s.posts_done,
        s.failed,
        s.first_error
            .as_ref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default(),
        s.late
    );
    println!("POST latency (201 received): {}", quantiles(&s.post));
    println!(
        "send→deliver, {} deliveries: {}",
        s.deliver.len(),
        quantiles(&s.deliver)
    );
    println!(
        "deliveries counted {} of {} expected ({} missing); connections closed by the server or failed: {ended}",
        s.delivered,
        s.expected,
        s.missing()
    );
    print_table(&[s]);
    Ok(())
}

/// `pipeline URL SECONDS GROUP_SIZE GROUPS RATES`
pub async fn ladder(
    url: &str,
    secs: f64,
    group_size: usize,
    groups: usize,
    rates: Option<Vec<f64>>,
) -> anyhow::Result<()> {
    let roots = Roots::from_env()?;
    let rates = rates.unwrap_or_else(|| LADDER.to_vec());
    println!(
        "pipeline: the rate ladder {:?} msg/s, {secs} s each, until the knee (send→deliver median over {GOAL_P99_MS} ms, a rate not sustained or a message missing)",
        rates
    );
    intro(url, group_size, groups);
    let mut rig = Rig::new(url, group_size, groups).await?;
    let mut steps = Vec::new();
    for (n, rate) in rates.into_iter().enumerate() {
        let s = rig.step(n, rate, secs, &roots).await?;
        println!(
            "{rate:>6.0} msg/s: {:.0} sent/s, deliver {}, POST p99 {:.1} ms, {} missing, {} failed{}",
            s.ok as f64 / s.send_secs,
            quantiles(&s.deliver),
            ms(s.post.value_at_quantile(0.99)),
            s.missing(),
            s.failed,
            s.first_error
                .as_ref()
                .map(|e| format!(" (first: {e})"))
                .unwrap_or_default(),
        );
        let knee =
            !s.sustained() || s.missing() > 0 || ms(s.deliver.value_at_quantile(0.5)) > GOAL_P99_MS;
        steps.push(s);
        if knee {
            println!("knee reached: stopping the ladder");
            break;
        }
    }
    let ended = rig.finish().await?;
    println!("connections closed by the server or failed: {ended}");
    print_table(&steps);
    Ok(())
}

fn quantiles(h: &Histogram<u64>) -> String {
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms",
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.value_at_quantile(0.999)),
        ms(h.max())
    )
}

fn print_table(steps: &[Step]) {
    let names: Vec<&str> = procs::GROUPS.iter().map(|g| g.name).collect();
    println!();
    println!(
        "| rate | sent/s | send→deliver p50 / p99 | POST p50 / p99 | missing | CPU ms/msg: {} | total | load generator |",
        names.join(" | ")
    );
    println!("|---{}|", "|---".repeat(7 + names.len()));
    for s in steps {
        let cpu: Vec<String> = s
            .cpu
            .iter()
            .map(|c| format!("{:.2}", s.per_msg(*c)))
            .collect();
        println!(
            "| {:.0}{} | {:.0} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {} | {} | {:.2} | {:.2} |",
            s.rate,
            if s.p99_ms() < GOAL_P99_MS && s.sustained() && s.missing() == 0 {
                " ✓"
            } else {
                ""
            },
            s.ok as f64 / s.send_secs,
            ms(s.deliver.value_at_quantile(0.5)),
            s.p99_ms(),
            ms(s.post.value_at_quantile(0.5)),
            ms(s.post.value_at_quantile(0.99)),
            s.missing(),
            cpu.join(" | "),
            s.per_msg(s.cpu.iter().sum()),
            s.per_msg(s.own_cpu),
        );
    }
    println!(
        "(✓: p99 under {GOAL_P99_MS} ms, sustained, nothing missing. CPU over each measured window of ~{:.0} s, per message sent; processes by name from /proc)",
        steps.first().map_or(0.0, |s| s.window)
    );
}
