//! The scenarios: which faults happen when (as a fraction of the messages
//! sent), who listens (steady members, or clients that churn), for how long,
//! and whether resources are sampled.

use crate::client::Churn;
use crate::infra::{Postgres, Rabbit, Redis};
use crate::options::Options;
use crate::proxy::Proxy;
use crate::resources::Target;
use crate::system::{System, Which};
use std::time::{Duration, Instant};

/// Dropped in field order: the chorus processes first, so that none of them
/// sees its servers go away at the end (and logs about it).
pub struct World {
    pub system: System,
    pub pg: Postgres,
    pub redis: Redis,
    pub rabbit: Rabbit,
    /// The chorus processes reach PostgreSQL and RabbitMQ through these.
    pub pg_link: Proxy,
    pub amqp_link: Proxy,
}

impl World {
    /// The process groups sampled for resources, by name ("suite": this
    /// process alone, the load generator, whose own CPU can be the limit).
    pub const PROCESSES: [&str; 7] = ["all", "edge0", "edge1", "pg", "redis", "rabbit", "suite"];

    /// Where to read them now (a restart changes the pids), in that order.
    pub fn targets(&self) -> Vec<Option<Target>> {
        let groups = [
            self.system.all.pid(),
            self.system.edges.first().and_then(|e| e.pid()),
            self.system.edges.get(1).and_then(|e| e.pid()),
            self.pg.pid(),
            self.redis.pid(),
            self.rabbit.pid(),
        ];
        let mut out: Vec<Option<Target>> = groups.iter().map(|p| p.map(Target::Group)).collect();
        out.push(Some(Target::Alone(std::process::id())));
        out
    }
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
    /// Every chunk on the PostgreSQL and RabbitMQ links held back this long
    /// (each direction), for the pause; then no delay again.
    Latency(Duration, Duration),
}

pub struct Scenario {
    pub name: &'static str,
    pub faults: Vec<(f64, Fault)>,
    /// Send for this long at the rate, instead of a number of messages.
    pub length: Option<Duration>,
    /// This many churning clients instead of the 12 steady members.
    pub churn: Option<(usize, Churn)>,
    /// Sample every process's memory and CPU this often; print the series.
    pub sample: Option<Duration>,
}

impl Scenario {
    fn faults(name: &'static str, faults: Vec<(f64, Fault)>) -> Self {
        Self {
            name,
            faults,
            length: None,
            churn: None,
            sample: None,
        }
    }
}

pub fn all(opts: &Options) -> Vec<Scenario> {
    let s = Duration::from_secs;
    vec![
        Scenario::faults("baseline", vec![]),
        Scenario::faults(
            "rabbitmq-kill-x5",
            [0.15, 0.3, 0.45, 0.6, 0.75]
                .iter()
                .map(|&at| (at, Fault::KillRabbit(s(2))))
                .collect(),
        ),
        Scenario::faults("postgres-stop", vec![(0.4, Fault::StopPostgres(s(3)))]),
        Scenario::faults("redis-freeze", vec![(0.4, Fault::FreezeRedis(opts.freeze))]),
        Scenario::faults("services-kill", vec![(0.4, Fault::KillServices(s(1)))]),
        Scenario::faults("edge-kill", vec![(0.4, Fault::KillEdge(0, s(2)))]),
        Scenario::faults("poison-event", vec![(0.4, Fault::Poison)]),
        Scenario::faults(
            "latency-pg-amqp",
            vec![(0.3, Fault::Latency(opts.latency, opts.latency_for))],
        ),
        Scenario {
            name: "ws-churn",
            faults: vec![],
            length: Some(opts.churn),
            churn: Some((opts.clients, opts.stay)),
            sample: Some(opts.sample),
        },
        Scenario {
            name: "soak",
            faults: vec![],
            length: Some(opts.soak),
            churn: None,
            sample: Some(opts.sample),
        },
    ]
}

/// Applies `fault` and undoes it after its pause; returns when it was undone.
pub async fn inject(
    world: &tokio::sync::Mutex<&mut World>,
    fault: Fault,
) -> anyhow::Result<Instant> {
    let pause = |d: Duration| tokio::time::sleep(d);
    match fault {
        Fault::KillRabbit(d) => {
            // Held through the restart: a kill due meanwhile (the sending
            // loop catches up after a stall) waits for the node this one
            // starts. Before, it found no node to kill, then waited for the
            // port of the node the first restart started to close, for good.
            let mut w = world.lock().await;
            w.rabbit.kill9();
            pause(d).await;
            w.rabbit.up().await?;
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
        Fault::Latency(delay, d) => {
            {
                let w = world.lock().await;
                w.pg_link.set_delay(delay);
                w.amqp_link.set_delay(delay);
            }
            pause(d).await;
            let w = world.lock().await;
            w.pg_link.set_delay(Duration::ZERO);
            w.amqp_link.set_delay(Duration::ZERO);
        }
    }
    Ok(Instant::now())
}
