//! The harness: the presence service in process against the real Redis and
//! RabbitMQ (one `TestEnv` per test), fake auth/chat peers over real gRPC, and
//! an observer subscribed to every fan-out channel of the test's prefix.

use crate::fakes::Peers;
use crate::observer::Observer;
use chorus_kit::Shutdown as CancellationToken;
use chorus_presence::{App, Deps, PresenceConfig};
use chorus_proto::auth::v1::users_server::UsersServer;
use chorus_proto::chat::v1::membership_server::MembershipServer;
use chorus_proto::presence::v1 as pb;
use chorus_testkit::{TcpGate, TestEnv};
use fred::prelude::*;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// How long a test waits for something that must happen (a failure, not a bound).
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct Opts {
    pub debounce_ms: u64,
    pub node_ttl_ms: u64,
    /// Presence instances sharing the state (each its own gRPC port).
    pub instances: usize,
    /// When a failed broadcast is attempted again.
    pub retry_ms: u64,
    /// Reach Redis through a [`TcpGate`] (`Harness::gate`).
    pub redis_gate: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            debounce_ms: 300,
            // Long enough that nodes a test never beats for are not reaped.
            node_ttl_ms: 60_000,
            instances: 1,
            // Longer than any broadcast takes here: no test sees a repeat it
            // did not provoke.
            retry_ms: 5000,
            redis_gate: false,
        }
    }
}

pub struct Harness {
    pub env: TestEnv,
    pub peers: Peers,
    pub opts: Opts,
    /// A client of each instance; `client` is the first one's.
    pub clients: Vec<pb::presence_client::PresenceClient<Channel>>,
    pub grpc_url: String,
    pub observer: Observer,
    pub apps: Vec<App>,
    /// Between the presence instances and Redis, with `Opts::redis_gate`.
    pub gate: Option<TcpGate>,
    shutdown: CancellationToken,
}

pub fn config(env: &TestEnv, peers_url: &str, opts: &Opts) -> PresenceConfig {
    let mut cfg = PresenceConfig {
        http_addr: "127.0.0.1:0".into(),
        grpc_addr: "127.0.0.1:0".into(),
        auth_grpc_url: peers_url.to_string(),
        chat_grpc_url: peers_url.to_string(),
        offline_debounce_ms: opts.debounce_ms,
        node_ttl_ms: opts.node_ttl_ms,
        tick_ms: 50,
        broadcast_retry_ms: opts.retry_ms,
        ..Default::default()
    };
    cfg.redis.url = env.redis_url.clone();
    cfg.redis.prefix = env.redis_prefix.clone();
    cfg.amqp.url = env.amqp_url.clone();
    cfg.amqp.exchange = env.exchange.clone();
    cfg.amqp.queue_prefix = format!("{}.", env.id);
    cfg
}

impl Harness {
    /// Alice (1) and bob (2), visibility `everyone`, each other's only contact:
    /// alice's broadcasts arrive on `user:2`, bob's on `user:1`.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(Opts::default()).await
    }

    pub async fn start_with(opts: Opts) -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let shutdown = CancellationToken::new();
        let peers = Peers::default();
        peers.user(1, "alice", "everyone");
        peers.user(2, "bob", "everyone");
        peers.contacts(1, &[2]);
        peers.contacts(2, &[1]);

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let peers_url = format!("http://{}", listener.local_addr()?);
        let (users, membership) = (
            UsersServer::new(peers.clone()),
            MembershipServer::new(peers.clone()),
        );
        let stop = shutdown.clone();
        tokio::spawn(async move {
            let _ = tonic::transport::Server::builder()
                .add_service(users)
                .add_service(membership)
                .serve_with_incoming_shutdown(
                    tonic::transport::server::TcpIncoming::from(listener),
                    stop.cancelled_owned(),
                )
                .await;
        });

        let observer = Observer::start(&env).await?;
        let mut cfg = config(&env, &peers_url, &opts);
        let gate = if opts.redis_gate {
            let redis = env.redis_url.trim_start_matches("redis://");
            let gate = TcpGate::start(
                tokio::net::lookup_host(redis)
                    .await?
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("no address for {redis}"))?,
            )
            .await?;
            cfg.redis.url = format!("redis://{}", gate.addr);
            Some(gate)
        } else {
            None
        };
        let mut apps = Vec::new();
        let mut clients = Vec::new();
        for _ in 0..opts.instances.max(1) {
            let app = App::build(cfg.clone(), Deps::default(), shutdown.clone()).await?;
            let url = format!("http://{}", app.grpc_addr);
            clients.push(pb::presence_client::PresenceClient::connect(url).await?);
            apps.push(app);
        }
        let grpc_url = format!("http://{}", apps[0].grpc_addr);
        Ok(Self {
            env,
            peers,
            opts,
            clients,
            grpc_url,
            observer,
            apps,
            gate,
            shutdown,
        })
    }

    pub fn client(&self) -> pb::presence_client::PresenceClient<Channel> {
        self.clients[0].clone()
    }

    pub async fn apply(
        &self,
        node: &str,
        changes: Vec<pb::ConnectionChange>,
    ) -> anyhow::Result<()> {
        self.apply_on(0, node, changes).await
    }

    /// [`Harness::apply`] through presence instance `instance`.
    pub async fn apply_on(
        &self,
        instance: usize,
        node: &str,
        changes: Vec<pb::ConnectionChange>,
    ) -> anyhow::Result<()> {
        let mut client = self
            .clients
            .get(instance)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no presence instance {instance}"))?;
        client
            .apply(pb::ApplyRequest {
                node_id: node.to_string(),
                changes,
            })
            .await?;
        Ok(())
    }

    /// Deletes the user's last version from Redis (as a restart would lose it).
    pub async fn forget_version(&self, user: i64) -> anyhow::Result<()> {
        let redis = Client::new(Config::from_url(&self.env.redis_url)?, None, None, None);
        redis.init().await?;
        let key = format!("{}presence:ver:{user}", self.env.redis_prefix);
        let deleted: i64 = redis.del(key).await?;
        redis.quit().await?;
        anyhow::ensure!(deleted == 1, "no version stored for user {user}");
        Ok(())
    }

    /// The user's transition still waiting for a successful broadcast, as the
    /// presence state in Redis holds it (`<version> <status> <decided ms>`).
    pub async fn pending(&self, user: i64) -> anyhow::Result<Option<String>> {
        let redis = Client::new(Config::from_url(&self.env.redis_url)?, None, None, None);
        redis.init().await?;
        let key = format!("{}presence:pending", self.env.redis_prefix);
        let pending: Option<String> = redis
            .custom(fred::cmd!("HGET"), vec![key, user.to_string()])
            .await?;
        redis.quit().await?;
        Ok(pending)
    }

    pub async fn heartbeat(&self, node: &str) -> anyhow::Result<bool> {
        let reply = self
            .client()
            .heartbeat(pb::HeartbeatRequest {
                node_id: node.to_string(),
            })
            .await?;
        Ok(reply.into_inner().resync)
    }

    pub async fn online(&self, ids: &[i64]) -> anyhow::Result<Vec<i64>> {
        let reply = self
            .client()
            .online_many(pb::OnlineManyRequest {
                user_ids: ids.to_vec(),
            })
            .await?;
        let mut online = reply.into_inner().online_user_ids;
        online.sort_unstable();
        Ok(online)
    }

    /// The next broadcast, as (subject, status) of a full frame on a user channel.
    pub async fn next_status(&self) -> anyhow::Result<(i64, String)> {
        let (user, status, _) = self.next_versioned().await?;
        Ok((user, status))
    }

    /// The next broadcast, as (subject, status, version) of a full frame on a
    /// user channel.
    pub async fn next_versioned(&self) -> anyhow::Result<(i64, String, u64)> {
        let received = self.observer.next().await?;
        anyhow::ensure!(
            received.channel.starts_with("user:"),
            "not a user-channel frame: {received:?}"
        );
        let user = received.json["user_id"].as_i64().unwrap_or_default();
        let status = received.json["status"].as_str().unwrap_or_default();
        Ok((user, status.to_string(), received.version))
    }

    /// A window long enough for anything the last step set off to be published.
    pub fn settle(&self) -> Duration {
        Duration::from_millis(self.opts.debounce_ms * 3 + 300)
    }

    pub fn debounce(&self) -> Duration {
        Duration::from_millis(self.opts.debounce_ms)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        for app in self.apps {
            app.stopped().await;
        }
        self.observer.quit().await;
        self.env.cleanup().await
    }
}

fn change(conn: &str, user: i64, kind: pb::ChangeKind, active: bool) -> pb::ConnectionChange {
    pb::ConnectionChange {
        connection_id: conn.to_string(),
        user_id: user,
        kind: kind as i32,
        active,
    }
}

pub fn opened(conn: &str, user: i64, active: bool) -> pb::ConnectionChange {
    change(conn, user, pb::ChangeKind::Opened, active)
}

pub fn set_active(conn: &str, user: i64) -> pb::ConnectionChange {
    change(conn, user, pb::ChangeKind::SetActive, false)
}

pub fn set_away(conn: &str, user: i64) -> pb::ConnectionChange {
    change(conn, user, pb::ChangeKind::SetAway, false)
}

pub fn closed(conn: &str, user: i64) -> pb::ConnectionChange {
    change(conn, user, pb::ChangeKind::Closed, false)
}

pub fn activity(conn: &str, user: i64) -> pb::ConnectionChange {
    change(conn, user, pb::ChangeKind::Activity, false)
}

/// `(user, status)` as [`Harness::next_status`] returns it.
pub fn status(user: i64, status: &str) -> (i64, String) {
    (user, status.to_string())
}

/// Polls `check` every 50 ms until it holds; fails after [`PATIENCE`].
pub async fn wait_for<F, Fut>(what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + PATIENCE;
    while !check().await {
        anyhow::ensure!(Instant::now() < deadline, "not reached: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}
