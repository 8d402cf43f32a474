//! Wiring: `App::build` connects to Redis (one client for commands, one for
//! subscriptions), starts the dispatcher, the fan-out consumer, the presence
//! link and the channel sweeper, and returns the `/ws` route so it can be served
//! alone (`chorus edge`) or beside the other services (`chorus all`).

use crate::config::EdgeConfig;
use crate::fanout_consumer::FanoutConsumer;
use crate::limits::ConnLimits;
use crate::membership::Membership;
use crate::metrics::EdgeMetrics;
use crate::node::Node;
use crate::presence_link::PresenceLink;
use crate::registry::Registry;
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::{Consumer, topology};
use chorus_kit::Shutdown;
use chorus_kit::health::Health;
use chorus_kit::metrics::Metrics;
use chorus_proto::auth::v1::users_client::UsersClient;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use chorus_proto::message::v1::history_client::HistoryClient;
use fred::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Frames buffered between the Redis subscriber connection and the dispatcher.
const SUBSCRIBER_BUFFER: usize = 1 << 16;
const SWEEP_EVERY: Duration = Duration::from_secs(30);

pub struct App {
    /// `/ws` (without `/health`, `/metrics`; see `chorus_kit::http::public_router`).
    pub router: Router,
    pub health: Health,
    pub node: Arc<Node>,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(
        cfg: EdgeConfig,
        metrics: &Metrics,
        shutdown: Shutdown,
    ) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let node_id: Arc<str> = if cfg.node_id.is_empty() {
            Arc::from(format!("edge-{}", uuid::Uuid::new_v4().simple()))
        } else {
            Arc::from(cfg.node_id.as_str())
        };
        let edge_metrics = EdgeMetrics::new(&metrics.registry).context("edge metrics")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let subscriber = chorus_kit::redis::connect_subscriber(&cfg.redis, SUBSCRIBER_BUFFER)
            .context("redis configuration")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let chat = chorus_kit::grpc::channel(&cfg.chat_grpc_url).context("chat_grpc_url")?;
        let membership = Arc::new(Membership::new(chat.clone(), cfg.membership_cache_ttl_ms));
        let registry = Arc::new(Registry::new(
            subscriber.clone(),
            cfg.redis.prefix.clone(),
            membership.clone(),
            edge_metrics.clone(),
        ));
        let (presence, mut tasks) = PresenceLink::start(
            node_id.clone(),
            chorus_kit::grpc::channel(&cfg.presence_grpc_url).context("presence_grpc_url")?,
            registry.clone(),
            Duration::from_millis(cfg.heartbeat_ms.max(100)),
            shutdown.clone(),
        );
        let node = Arc::new(Node {
            cfg: cfg.clone(),
            node_id,
            registry: registry.clone(),
            membership,
            verifier,
            presence,
            history: HistoryClient::new(
                chorus_kit::grpc::channel(&cfg.message_grpc_url).context("message_grpc_url")?,
            ),
            users: UsersClient::new(
                chorus_kit::grpc::channel(&cfg.auth_grpc_url).context("auth_grpc_url")?,
            ),
            redis: redis.clone(),
            shutdown: shutdown.clone(),
            limits: ConnLimits::new(cfg.max_connections, cfg.max_connections_per_ip),
            next_id: AtomicU64::new(1),
        });

        tasks.push(tokio::spawn(dispatch(
            subscriber.clone(),
            registry.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(join_broadcast(
            registry.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(follow_reconnects(
            subscriber.clone(),
            registry.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(sweep(registry.clone(), shutdown.clone())));
        let consumer = FanoutConsumer {
            redis: redis.clone(),
            prefix: cfg.redis.prefix.clone(),
            chats: MembershipClient::new(chat),
            metrics: edge_metrics,
        };
        // A single active consumer across the edge nodes (see the topology).
        let spec = topology::EDGE_FANOUT.spec(&cfg.amqp);
        let consumer = Consumer::stateless(cfg.amqp.clone(), spec, Arc::new(consumer));
        tasks.push(consumer.spawn(shutdown.clone()));

        let mut health = Health::new("edge");
        health.add_redis("edge.redis", redis);
        health.add_redis("edge.redis_subscriber", subscriber);
        tracing::info!(node = %node.node_id, "edge ready");
        let router = crate::http::router(node.clone());
        Ok(Self {
            router,
            health,
            node,
            tasks,
        })
    }

    /// Serves `/ws` on the configured address until `shutdown`.
    pub async fn serve_alone(self, metrics: Metrics, shutdown: Shutdown) -> anyhow::Result<()> {
        chorus_kit::http::serve_alone(
            "edge",
            &self.node.cfg.http_addr,
            self.router.clone(),
            crate::openapi(),
            self.health.clone(),
            metrics,
            &self.node.cfg.public,
            shutdown,
        )
        .await?;
        self.stopped().await;
        Ok(())
    }

    /// After shutdown: gives the connections the drain timeout to take their
    /// close frames (they close themselves on the shutdown signal), reports
    /// their ends to presence, then stops the background tasks.
    pub async fn stopped(self) {
        let drain = Duration::from_secs(self.node.cfg.drain_timeout_secs);
        let drained = tokio::time::timeout(drain, async {
            while !self.node.registry.is_empty() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                left = self.node.registry.len(),
                "connections still open after the drain timeout"
            );
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), self.node.presence.flush()).await;
        for task in self.tasks {
            task.abort();
        }
    }
}

/// Hands every pub/sub payload to the registry.
async fn dispatch(subscriber: Client, registry: Arc<Registry>, shutdown: Shutdown) {
    let mut rx = subscriber.message_rx();
    loop {
        let message = tokio::select! {
            _ = shutdown.cancelled() => return,
            message = rx.recv() => message,
        };
        match message {
            Ok(message) => {
                if let Some(payload) = message.value.into_bytes() {
                    registry.dispatch(&message.channel, payload);
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                // Lost frames may include closes, leaves and cache invalidations:
                // start every connection afresh, as after a lost Redis link.
                tracing::warn!(
                    lost = n,
                    "fan-out reader fell behind; closing connections so they catch up"
                );
                registry.restart_all();
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Joins the channel every node listens to, as soon as Redis answers.
async fn join_broadcast(registry: Arc<Registry>, shutdown: Shutdown) {
    let mut delay = Duration::from_millis(50);
    loop {
        let joined = tokio::select! {
            _ = shutdown.cancelled() => return,
            joined = registry.listen_broadcast() => joined,
        };
        match joined {
            Ok(()) => return,
            Err(err) => tracing::warn!(%err, "cannot join the broadcast channel yet"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

/// Re-subscribes whenever the subscriber connection is (re)established: a
/// restarted Redis knows none of this node's channels. Frames published while
/// the link was down are lost (pub/sub keeps nothing), so every connection is
/// closed with 1012 ("service restart"): clients reconnect and catch up by seq
/// (§16.4). At the first connection there are no connections yet.
async fn follow_reconnects(subscriber: Client, registry: Arc<Registry>, shutdown: Shutdown) {
    let mut rx = subscriber.reconnect_rx();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            event = rx.recv() => match event {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            },
        }
        // Until the re-subscribe succeeds this node hears nothing: keep trying.
        let mut delay = Duration::from_millis(50);
        loop {
            let channels = registry.channels();
            let result = if channels.is_empty() {
                Ok(())
            } else {
                match subscriber.subscribe(channels).await {
                    Ok(()) => subscriber.ping::<()>(None).await,
                    Err(err) => Err(err),
                }
            };
            match result {
                Ok(()) => break,
                Err(err) => tracing::warn!(%err, "re-subscribing failed; retrying"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(delay) => {}
            }
            delay = (delay * 2).min(Duration::from_secs(2));
        }
        registry.restart_all();
    }
}

/// Periodically leaves the channels no local connection needs.
async fn sweep(registry: Arc<Registry>, shutdown: Shutdown) {
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(SWEEP_EVERY) => {}
        }
        if let Err(err) = registry.sweep().await {
            tracing::warn!(%err, "channel sweep failed");
        }
    }
}
