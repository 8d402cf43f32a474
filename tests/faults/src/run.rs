//! One run of a scenario against the world: clients listen (steady members,
//! or churning ones), a sender posts at the rate while the faults happen, then
//! every 201 is compared with what was stored and what every client received.

use crate::client::{Client, Tally};
use crate::load::{self, Acked, Group, Member, Received, Stop};
use crate::options::Options;
use crate::resources::{self, EdgeLoad, Series};
use crate::scenarios::{Fault, Scenario, World, inject};
use crate::verify::{self, Row};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Clients per user when churning (a user's devices), and users per group.
const DEVICES: usize = 10;
const PER_GROUP: usize = 4;

pub struct Report {
    pub row: Row,
    /// Printed under the row: clients' reconnects, latency around the faults,
    /// resources, the edges' connections before and after.
    pub notes: Vec<String>,
    /// An edge still counts more connections than before the clients came.
    pub leaked: bool,
}

type Shared<'a> = tokio::sync::Mutex<&'a mut World>;

pub async fn run(world: &mut World, scenario: &Scenario, opts: &Options) -> anyhow::Result<Report> {
    world.system.wait_healthy().await?;
    let http = reqwest::Client::new();
    let base = world.system.base();
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..6].to_string();
    // Steady: 12 members in 3 groups, a client each. Churning: a user per ten
    // clients, so a message reaches tens of connections, not hundreds.
    let users = scenario.churn.map_or(12, |(clients, _)| {
        clients.div_ceil(DEVICES).next_multiple_of(PER_GROUP)
    });
    let (people, groups) =
        load::setup(&http, &base, &run_id, users, users / PER_GROUP, PER_GROUP).await?;
    let clients: Vec<Member> = match scenario.churn {
        Some((n, _)) => (0..n).map(|k| people[k % people.len()].clone()).collect(),
        None => people.clone(),
    };
    let edges_before = match scenario.churn {
        Some(_) => Some(edge_loads(world, &http).await),
        None => None,
    };

    let stop = Stop::default();
    let urls: Vec<String> = (0..2).map(|n| world.system.ws_url(n)).collect();
    let mut inboxes: Vec<Arc<Mutex<Vec<Received>>>> = Vec::new();
    let mut listeners = Vec::new();
    for (n, m) in clients.iter().enumerate() {
        let inbox = Arc::new(Mutex::new(Vec::new()));
        inboxes.push(inbox.clone());
        // Half the clients on each node; after a loss they try the other too.
        let mut order = urls.clone();
        order.rotate_left(n % urls.len());
        let client = Client {
            urls: order,
            token: m.token.clone(),
            chats: m.chats.clone(),
            received: inbox,
            stop: stop.clone(),
        };
        listeners.push(match scenario.churn {
            Some((_, churn)) => tokio::spawn(client.churn(churn)),
            None => tokio::spawn(client.steady()),
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let mut sampler = Sampler {
        every: scenario.sample.unwrap_or(Duration::MAX),
        series: scenario
            .sample
            .map(|_| Series::new(World::PROCESSES.map(String::from).to_vec())),
        edge_peaks: edges_before.clone(),
    };
    let world = tokio::sync::Mutex::new(world);
    let messages = scenario
        .length
        .map_or(opts.messages, |l| (l.as_secs_f64() * opts.rate) as usize);
    let traffic = Traffic {
        http: &http,
        base: &base,
        run_id: &run_id,
        people: &people,
        groups: &groups,
    };
    let work = async {
        let sent = send_all(&world, &scenario.faults, &traffic, messages, opts.rate).await?;
        verify::wait_delivered(&clients, &sent.acked, &inboxes, Duration::from_secs(60)).await;
        anyhow::Ok(sent)
    };
    let sent = sampler.around(work, &world, &http).await?;
    stop.set();
    let mut tally = Tally::default();
    for l in listeners {
        tally += l.await.unwrap_or_default();
    }
    let world = world.into_inner();

    let mut notes = vec![format!(
        "clients: {} connections opened, {} error frames, {} truncated catch-ups",
        tally.connects, tally.errors, tally.truncated
    )];
    if let Some((from, to)) = sent.window {
        notes.extend(phases(&sent.acked, &inboxes, from, to)?);
    }
    if let Some(series) = &sampler.series {
        notes.extend(series.table());
    }
    let mut leaked = false;
    if let (Some(before), Some(peaks)) = (edges_before, sampler.edge_peaks) {
        let after = edges_after(world, &http, &before).await;
        for (n, ((b, a), p)) in before.iter().zip(&after).zip(&peaks).enumerate() {
            leaked |= matches!((b.ws, a.ws), (Some(b), Some(a)) if a > b);
            notes.push(resources::edge_line(&format!("edge{n}"), *b, *a, *p));
        }
    }
    let stored = verify::stored(&world.pg, &groups)?;
    let row = verify::row(
        scenario.name,
        &clients,
        &sent.acked,
        sent.failed,
        &stored,
        &inboxes,
        sent.window.map(|w| w.1),
    )?;
    Ok(Report { row, notes, leaked })
}

/// Who sends where.
struct Traffic<'a> {
    http: &'a reqwest::Client,
    base: &'a str,
    run_id: &'a str,
    people: &'a [Member],
    groups: &'a [Group],
}

struct Sent {
    acked: Vec<Acked>,
    failed: usize,
    /// From the first fault's start to the last one's end.
    window: Option<(Instant, Instant)>,
}

/// Sends `messages` at `rate`, round-robin over the groups and their members,
/// injecting each fault when its fraction of the messages has gone out; waits
/// for every send's answer and every fault's end.
async fn send_all(
    world: &Shared<'_>,
    faults: &[(f64, Fault)],
    t: &Traffic<'_>,
    messages: usize,
    rate: f64,
) -> anyhow::Result<Sent> {
    let mut pending = faults.to_vec();
    pending.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut injected = Vec::new();
    let mut first_fault = None;
    let mut recovered_at = Vec::new();
    let mut sends = Vec::new();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    for i in 0..messages {
        while let Some(&(at, fault)) = pending.first()
            && i as f64 >= at * messages as f64
        {
            pending.remove(0);
            first_fault.get_or_insert_with(Instant::now);
            injected.push(Box::pin(inject(world, fault)));
        }
        let g = &t.groups[i % t.groups.len()];
        let sender = g.members[(i / t.groups.len()) % g.members.len()];
        sends.push(tokio::spawn(load::send_once(
            t.http.clone(),
            t.base.to_string(),
            t.people[sender].token.clone(),
            g.id,
            format!("{}-{i}", t.run_id),
        )));
        let due = started + interval.mul_f64(i as f64 + 1.0);
        // Faults run while sending goes on.
        let pause = tokio::time::sleep_until(due.into());
        tokio::pin!(pause);
        loop {
            tokio::select! {
                _ = &mut pause => break,
                Some(done) = next_done(&mut injected) => recovered_at.push(done?),
            }
        }
    }
    for fault in injected {
        recovered_at.push(fault.await?);
    }
    let mut acked = Vec::new();
    let mut failed = 0;
    for send in sends {
        match send.await? {
            Some(a) => acked.push(a),
            None => failed += 1,
        }
    }
    Ok(Sent {
        acked,
        failed,
        window: first_fault.zip(recovered_at.iter().max().copied()),
    })
}

/// The next fault that finished (never resolves when none is running).
async fn next_done<F: Future<Output = anyhow::Result<Instant>> + Unpin>(
    running: &mut Vec<F>,
) -> Option<anyhow::Result<Instant>> {
    if running.is_empty() {
        return std::future::pending().await;
    }
    let (out, index, _) = futures_util::future::select_all(running.iter_mut()).await;
    running.remove(index);
    Some(out)
}

/// Resources read while a scenario's work goes on.
struct Sampler {
    every: Duration,
    series: Option<Series>,
    /// Per edge, the highest of each figure seen.
    edge_peaks: Option<Vec<EdgeLoad>>,
}

impl Sampler {
    /// Runs `work`, sampling at its start, every `every` and at its end.
    async fn around<T>(
        &mut self,
        work: impl Future<Output = T>,
        world: &Shared<'_>,
        http: &reqwest::Client,
    ) -> T {
        if self.series.is_none() && self.edge_peaks.is_none() {
            return work.await;
        }
        tokio::pin!(work);
        let mut tick = tokio::time::interval(self.every);
        loop {
            tokio::select! {
                out = &mut work => {
                    self.sample(world, http).await;
                    return out;
                }
                _ = tick.tick() => self.sample(world, http).await,
            }
        }
    }

    async fn sample(&mut self, world: &Shared<'_>, http: &reqwest::Client) {
        // A fault holding the world (a restart) is not waited for: `work`,
        // which would release it, is not polled while this runs.
        let Ok(w) = world.try_lock() else {
            return;
        };
        let targets = w.targets();
        let edges: Vec<(Option<u32>, u16)> =
            w.system.edges.iter().map(|e| (e.pid(), e.port)).collect();
        drop(w);
        if let Some(series) = &mut self.series {
            series.sample(&targets);
        }
        if let Some(peaks) = &mut self.edge_peaks {
            for (peak, (pid, port)) in peaks.iter_mut().zip(edges) {
                let now = resources::edge_load(http, pid, port).await;
                *peak = resources::max_load(*peak, now);
            }
        }
    }
}

async fn edge_loads(world: &World, http: &reqwest::Client) -> Vec<EdgeLoad> {
    let mut out = Vec::new();
    for e in &world.system.edges {
        out.push(resources::edge_load(http, e.pid(), e.port).await);
    }
    out
}

/// The edges once the clients are gone: given up to 30 s to notice every
/// close and count their connections back down to where they were.
async fn edges_after(world: &World, http: &reqwest::Client, before: &[EdgeLoad]) -> Vec<EdgeLoad> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = edge_loads(world, http).await;
        let settled = now.iter().zip(before).all(|(n, b)| n.ws <= b.ws);
        if settled || Instant::now() >= deadline {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Send→deliver and send→201 percentiles of the messages whose first attempt
/// began before, during and after the faults.
fn phases(
    acked: &[Acked],
    inboxes: &[Arc<Mutex<Vec<Received>>>],
    from: Instant,
    to: Instant,
) -> anyhow::Result<Vec<String>> {
    let phase = |t: Instant| usize::from(t >= from) + usize::from(t > to);
    let new = || hdrhistogram::Histogram::<u64>::new(3);
    let mut deliver = [new()?, new()?, new()?];
    let mut answer = [new()?, new()?, new()?];
    let mut sends = [0usize; 3];
    let mut began = std::collections::HashMap::new();
    for &(_, id, start, answered) in acked {
        began.insert(id, start);
        sends[phase(start)] += 1;
        let _ = answer[phase(start)].record(answered.duration_since(start).as_micros() as u64);
    }
    for inbox in inboxes {
        let got = inbox.lock().map(|r| r.clone()).unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        for (_, _, id, at) in got {
            if let Some(&start) = began.get(&id)
                && seen.insert(id)
            {
                let _ = deliver[phase(start)].record(at.duration_since(start).as_micros() as u64);
            }
        }
    }
    let ms = |h: &hdrhistogram::Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    let mut out = vec![
        format!(
            "latency by when the send began (the faults lasted {:.1} s):",
            to.duration_since(from).as_secs_f64()
        ),
        format!(
            "  {:<7} {:>6} {:>12} {:>8} {:>8} {:>8}",
            "phase", "sends", "deliver p50", "p99 ms", "201 p50", "p99 ms"
        ),
    ];
    for (n, name) in ["before", "during", "after"].iter().enumerate() {
        if sends[n] == 0 {
            out.push(format!("  {name:<7} {:>6}", 0));
            continue;
        }
        out.push(format!(
            "  {:<7} {:>6} {:>12.1} {:>8.1} {:>8.1} {:>8.1}",
            name,
            sends[n],
            ms(&deliver[n], 0.5),
            ms(&deliver[n], 0.99),
            ms(&answer[n], 0.5),
            ms(&answer[n], 0.99),
        ));
    }
    Ok(out)
}
