//! Wiring: `App::build` starts the broadcast workers, the `presence.seen`
//! publisher, the timer/reaper loop and the gRPC server. The service has no
//! public routes; alone (`chorus presence`) it serves `/health` and `/metrics`.

use crate::broadcast::{Audience, Broadcaster};
use crate::config::PresenceConfig;
use crate::grpc::Grpc;
use crate::metrics::PresenceMetrics;
use crate::peers::Peers;
use crate::seen::Seen;
use crate::store::{Store, Timing};
use crate::tracker::Tracker;
use anyhow::Context;
use axum::Router;
use chorus_events::Publisher;
use chorus_kit::health::Health;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_proto::presence::v1::presence_server::PresenceServer;
use fred::prelude::*;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the process around the service provides.
#[derive(Default)]
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode binds 127.0.0.1:0 itself); None ⇒ bind `cfg.grpc_addr`.
    pub grpc_listener: Option<TcpListener>,
}

pub struct App {
    /// No public API: an empty router, so `chorus all` can merge it like the others.
    pub router: Router,
    pub health: Health,
    pub grpc_addr: SocketAddr,
    /// The service's counters; see [`App::register_metrics`].
    pub metrics: PresenceMetrics,
    cfg: Arc<PresenceConfig>,
    redis: Client,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(
        cfg: PresenceConfig,
        deps: Deps,
        shutdown: Shutdown,
    ) -> anyhow::Result<Self> {
        cfg.validate()?;
        let cfg = Arc::new(cfg);
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let metrics = PresenceMetrics::new().context("presence metrics")?;
        let peers = Peers::new(&cfg.auth_grpc_url, &cfg.chat_grpc_url).context("peer gRPC urls")?;

        let store = Store::new(
            redis.clone(),
            &cfg.redis.prefix,
            Timing {
                debounce_ms: cfg.offline_debounce_ms,
                node_ttl_ms: cfg.node_ttl_ms,
                retry_ms: cfg.broadcast_retry_ms,
                give_up_ms: cfg.broadcast_give_up_ms,
            },
        );
        let audience = Arc::new(Audience {
            peers,
            redis: redis.clone(),
            prefix: cfg.redis.prefix.clone(),
            store: store.clone(),
            metrics: metrics.clone(),
        });
        let (broadcaster, mut tasks) = Broadcaster::spawn(audience, shutdown.clone());
        let publisher = Publisher::new(cfg.amqp.clone(), "presence");
        let (seen, seen_task) = Seen::spawn(publisher, metrics.clone(), shutdown.clone());
        tasks.push(seen_task);
        let tracker = Tracker {
            store,
            broadcaster,
            seen: seen.clone(),
            metrics: metrics.clone(),
        };
        tasks.push(tokio::spawn(
            tracker
                .clone()
                .run_ticks(Duration::from_millis(cfg.tick_ms), shutdown.clone()),
        ));

        let listener = chorus_kit::grpc::listener(deps.grpc_listener, &cfg.grpc_addr).await?;
        let grpc_addr = listener.local_addr()?;
        tasks.push(chorus_kit::grpc::spawn(
            "presence",
            chorus_kit::grpc::server("presence").add_service(PresenceServer::new(Grpc(tracker))),
            listener,
            shutdown.clone(),
        ));

        let mut health = Health::new("presence");
        health.add_redis("presence.redis", redis.clone());
        let broker = amqp_addr(&cfg.amqp.url);
        health.add("presence.rabbitmq", move || {
            let (up, broker) = (seen.is_up(), broker.clone());
            Box::pin(async move {
                if !up {
                    return Err("presence.seen cannot be published".to_string());
                }
                let addr = broker.ok_or("amqp.url has no host")?;
                match tokio::time::timeout(
                    Duration::from_secs(1),
                    tokio::net::TcpStream::connect(addr),
                )
                .await
                {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(err)) => Err(err.to_string()),
                    Err(_) => Err("broker unreachable".to_string()),
                }
            })
        });

        tracing::info!(grpc = %grpc_addr, "presence service ready");
        Ok(Self {
            router: Router::new(),
            health,
            grpc_addr,
            metrics,
            cfg,
            redis,
            tasks,
        })
    }

    /// Adds the service's counters to the registry `/metrics` renders (done by
    /// [`App::serve_alone`]; `chorus all` calls it with its own registry).
    pub fn register_metrics(&self, registry: &prometheus::Registry) {
        if let Err(err) = self.metrics.register(registry) {
            tracing::warn!(%err, "presence metrics not registered");
        }
    }

    /// Serves `/health` and `/metrics` on the configured address until `shutdown`.
    pub async fn serve_alone(self, metrics: Metrics, shutdown: Shutdown) -> anyhow::Result<()> {
        self.register_metrics(&metrics.registry);
        chorus_kit::http::serve_alone(
            "presence",
            &self.cfg.http_addr,
            self.router.clone(),
            crate::openapi(),
            self.health.clone(),
            metrics,
            &PublicHttpConfig::default(),
            shutdown,
        )
        .await?;
        self.stopped().await;
        Ok(())
    }

    /// Waits for the background tasks after shutdown was requested, then closes Redis.
    pub async fn stopped(self) {
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        let _ = self.redis.quit().await;
    }
}

/// `host:port` of an AMQP URL (`amqp://user:pass@host:port/vhost`), for the
/// readiness probe.
fn amqp_addr(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.is_empty() {
        return None;
    }
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
    if has_port {
        return Some(host.to_string());
    }
    let port = if scheme == "amqps" { 5671 } else { 5672 };
    Some(format!("{host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::amqp_addr;

    #[test]
    fn the_broker_address_comes_from_the_amqp_url() {
        assert_eq!(
            amqp_addr("amqp://guest:guest@127.0.0.1:5672/%2f").as_deref(),
            Some("127.0.0.1:5672")
        );
        assert_eq!(
            amqp_addr("amqps://rabbit.internal").as_deref(),
            Some("rabbit.internal:5671")
        );
        assert_eq!(amqp_addr("amqp://u:p@/vhost"), None);
        assert_eq!(amqp_addr("nonsense"), None);
    }
}
