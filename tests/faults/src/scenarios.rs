//! The scenarios: which faults happen when (as a fraction of the messages
//! sent), and one run of a scenario against the world.

use crate::infra::{Postgres, Rabbit, Redis};
use crate::load::{self, Acked, Received, Stop};
use crate::system::{System, Which};
use crate::verify::{self, Row};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct World {
    pub pg: Postgres,
    pub redis: Redis,
    pub rabbit: Rabbit,
    pub system: System,
}

#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// kill -9 RabbitMQ, start it again after the pause.
    KillRabbit(Duration),
    /// PostgreSQL stopped immediately, started after the pause.
    StopPostgres(Duration),
    /// Redis frozen (SIGSTOP) for the pause, then killed and started empty.
    FreezeRedis(Duration),
    /// kill -9 the process with the message service and its relay.
    KillServices(Duration),
    /// kill -9 one edge node.
    KillEdge(usize, Duration),
    /// An undecodable event into every consumer of `message.created`.
    Poison,
}

pub struct Scenario {
    pub name: &'static str,
    pub faults: Vec<(f64, Fault)>,
}

pub fn all() -> Vec<Scenario> {
    let s = Duration::from_secs;
    vec![
        Scenario {
            name: "baseline",
            faults: vec![],
        },
        Scenario {
            name: "rabbitmq-kill-x5",
            faults: [0.15, 0.3, 0.45, 0.6, 0.75]
                .iter()
                .map(|&at| (at, Fault::KillRabbit(s(2))))
                .collect(),
        },
        Scenario {
            name: "postgres-stop",
            faults: vec![(0.4, Fault::StopPostgres(s(3)))],
        },
        Scenario {
            name: "redis-freeze",
            faults: vec![(0.4, Fault::FreezeRedis(s(10)))],
        },
        Scenario {
            name: "services-kill",
            faults: vec![(0.4, Fault::KillServices(s(1)))],
        },
        Scenario {
            name: "edge-kill",
            faults: vec![(0.4, Fault::KillEdge(0, s(2)))],
        },
        Scenario {
            name: "poison-event",
            faults: vec![(0.4, Fault::Poison)],
        },
    ]
}

/// Applies `fault` and undoes it after its pause; returns when it was undone.
async fn inject(world: &tokio::sync::Mutex<&mut World>, fault: Fault) -> anyhow::Result<Instant> {
    let pause = |d: Duration| tokio::time::sleep(d);
    match fault {
        Fault::KillRabbit(d) => {
            world.lock().await.rabbit.kill9();
            pause(d).await;
            world.lock().await.rabbit.up().await?;
        }
        Fault::StopPostgres(d) => {
            world.lock().await.pg.stop_immediately()?;
            pause(d).await;
            world.lock().await.pg.up().await?;
        }
        Fault::FreezeRedis(d) => {
            world.lock().await.redis.signal("-STOP");
            pause(d).await;
            let mut w = world.lock().await;
            w.redis.kill9();
            w.redis.up().await?;
        }
        Fault::KillServices(d) => {
            world.lock().await.system.kill9(Which::All);
            pause(d).await;
            world.lock().await.system.restart(Which::All).await?;
        }
        Fault::KillEdge(n, d) => {
            world.lock().await.system.kill9(Which::Edge(n));
            pause(d).await;
            world.lock().await.system.restart(Which::Edge(n)).await?;
        }
        Fault::Poison => {
            let url = world.lock().await.rabbit.url();
            let conn =
                lapin::Connection::connect(&url, lapin::ConnectionProperties::default()).await?;
            let channel = conn.create_channel().await?;
            channel
                .basic_publish(
                    "chorus.events".into(),
                    "message.created".into(),
                    lapin::options::BasicPublishOptions::default(),
                    b"\xff\xfe not an envelope",
                    lapin::BasicProperties::default(),
                )
                .await?
                .await?;
            let _ = conn.close(0, "done".into()).await;
        }
    }
    Ok(Instant::now())
}

pub async fn run(
    world: &mut World,
    scenario: &Scenario,
    messages: usize,
    rate: f64,
) -> anyhow::Result<Row> {
    world.system.wait_healthy().await?;
    let http = reqwest::Client::new();
    let base = world.system.base();
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..6].to_string();
    let (members, groups) = load::setup(&http, &base, &run_id, 12, 3, 4).await?;
    let stop = Stop::default();
    let urls: Vec<String> = (0..2).map(|n| world.system.ws_url(n)).collect();
    let mut inboxes: Vec<Arc<Mutex<Vec<Received>>>> = Vec::new();
    let mut listeners = Vec::new();
    for (n, m) in members.iter().enumerate() {
        let inbox = Arc::new(Mutex::new(Vec::new()));
        inboxes.push(inbox.clone());
        // Half the members on each node; after a loss they try the other too.
        let mut order = urls.clone();
        order.rotate_left(n % urls.len());
        listeners.push(tokio::spawn(load::listen(
            order,
            m.token.clone(),
            m.chats.clone(),
            inbox,
            stop.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let world = tokio::sync::Mutex::new(world);
    let mut pending = scenario.faults.clone();
    pending.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut injected = Vec::new();
    let mut sends = Vec::new();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    let world_ref = &world;
    let mut recovered_at = Vec::new();
    for i in 0..messages {
        while let Some(&(at, fault)) = pending.first()
            && i as f64 >= at * messages as f64
        {
            pending.remove(0);
            injected.push(Box::pin(inject(world_ref, fault)));
        }
        let g = &groups[i % groups.len()];
        let sender = g.members[(i / groups.len()) % g.members.len()];
        sends.push(tokio::spawn(load::send_once(
            http.clone(),
            base.clone(),
            members[sender].token.clone(),
            g.id,
            format!("{run_id}-{i}"),
        )));
        let due = started + interval * (i as u32 + 1);
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
    let mut acked: Vec<Acked> = Vec::new();
    let mut failed = 0;
    for send in sends {
        match send.await? {
            Some(a) => acked.push(a),
            None => failed += 1,
        }
    }
    verify::wait_delivered(&members, &acked, &inboxes, Duration::from_secs(60)).await;
    stop.set();
    for l in listeners {
        let _ = l.await;
    }
    let world = world.into_inner();
    let stored = verify::stored(&world.pg, &groups)?;
    verify::row(
        scenario.name,
        &members,
        &acked,
        failed,
        &stored,
        &inboxes,
        recovered_at.iter().max().copied(),
    )
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
