//! Wiring: `App::build` binds the gRPC port, starts the migrations, the outbox
//! relay and the membership consumer, and returns the public routes so they can
//! be served alone (`chorus message`) or merged with other services (`chorus all`).

use crate::config::MessageConfig;
use crate::events::{CONSUMED, MembershipEvents};
use crate::peers::{self, Membership, Users};
use crate::seams::{Media, NoMedia};
use crate::state::AppState;
use crate::{grpc, http};
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::{Consumer, ConsumerSpec, Relay};
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_proto::message::v1::{history_server::HistoryServer, unread_server::UnreadServer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "message";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/message");

/// Optional collaborators; the defaults bind the configured gRPC address and know no media.
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode binds 127.0.0.1:0 itself); None ⇒ bind cfg.grpc_addr.
    pub grpc_listener: Option<TcpListener>,
    pub media: Arc<dyn Media>,
}

impl Default for Deps {
    fn default() -> Self {
        Self {
            grpc_listener: None,
            media: Arc::new(NoMedia),
        }
    }
}

pub struct App {
    /// The public API routes (without `/health`, `/metrics`; see `chorus_kit::http::public_router`).
    pub router: Router,
    pub health: Health,
    pub grpc_addr: SocketAddr,
    pub state: AppState,
    pub migrated: Migrated,
    cfg: Arc<MessageConfig>,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(cfg: MessageConfig, deps: Deps, shutdown: Shutdown) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let db = chorus_kit::db::connect_lazy(&cfg.db, SCHEMA).context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let membership = Membership::new(
            peers::channel(&cfg.chat_grpc_url).context("chat_grpc_url")?,
            cfg.membership_cache_ttl_ms,
        );
        let state = AppState {
            cfg: cfg.clone(),
            db: db.clone(),
            verifier,
            membership: membership.clone(),
            users: Users::new(peers::channel(&cfg.auth_grpc_url).context("auth_grpc_url")?),
            media: deps.media,
        };

        let migrated = chorus_kit::db::migrate_in_background(db.clone(), SCHEMA, &MIGRATOR);
        let mut tasks = Vec::new();
        let (relay, relay_status) =
            Relay::new(db.clone(), SCHEMA, cfg.amqp.clone()).spawn(shutdown.clone());
        tasks.push(relay);
        let consumer = Consumer::new(
            db.clone(),
            cfg.amqp.clone(),
            ConsumerSpec {
                queue: cfg.amqp.queue_name("message.membership"),
                event_types: CONSUMED.iter().map(|t| t.to_string()).collect(),
            },
            Arc::new(MembershipEvents(membership)),
        );
        tasks.push(tokio::spawn(consume_after(
            consumer,
            migrated.clone(),
            shutdown.clone(),
        )));

        let listener = match deps.grpc_listener {
            Some(listener) => listener,
            None => TcpListener::bind(&cfg.grpc_addr).await.with_context(|| {
                format!("cannot bind the message gRPC address {}", cfg.grpc_addr)
            })?,
        };
        let grpc_addr = listener.local_addr()?;
        let grpc_shutdown = shutdown.clone();
        let grpc_state = state.clone();
        tasks.push(tokio::spawn(async move {
            let served = tonic::transport::Server::builder()
                .timeout(Duration::from_secs(10))
                .add_service(HistoryServer::new(grpc::Grpc(grpc_state.clone())))
                .add_service(UnreadServer::new(grpc::Grpc(grpc_state)))
                .serve_with_incoming_shutdown(
                    tonic::transport::server::TcpIncoming::from(listener),
                    grpc_shutdown.cancelled_owned(),
                )
                .await;
            if let Err(err) = served {
                tracing::error!(%err, "message gRPC server failed");
            }
        }));

        let mut health = Health::new("message");
        let (pool, flag) = (db.clone(), migrated.clone());
        health.add("message.postgres", move || {
            let (pool, flag) = (pool.clone(), flag.clone());
            Box::pin(async move {
                sqlx::query("SELECT 1")
                    .execute(&pool)
                    .await
                    .map_err(|e| e.to_string())?;
                if flag.is_done() {
                    Ok(())
                } else {
                    Err("migrations pending".into())
                }
            })
        });
        health.add("message.redis", move || {
            let redis = redis.clone();
            Box::pin(async move {
                chorus_kit::redis::ping(&redis)
                    .await
                    .map_err(|e| e.to_string())
            })
        });
        health.add("message.rabbitmq", move || {
            let connected = relay_status.is_connected();
            Box::pin(async move {
                if connected {
                    Ok(())
                } else {
                    Err("outbox relay not connected".into())
                }
            })
        });

        tracing::info!(grpc = %grpc_addr, "message service ready");
        Ok(Self {
            router: http::router(state.clone()),
            health,
            grpc_addr,
            state,
            migrated,
            cfg,
            tasks,
        })
    }

    /// Serves the public HTTP API on the configured address until `shutdown`.
    pub async fn serve_alone(self, metrics: Metrics, shutdown: Shutdown) -> anyhow::Result<()> {
        let listener = TcpListener::bind(&self.cfg.http_addr)
            .await
            .with_context(|| {
                format!(
                    "cannot bind the message HTTP address {}",
                    self.cfg.http_addr
                )
            })?;
        tracing::info!(http = %listener.local_addr()?, "message serving HTTP");
        let router = chorus_kit::http::public_router(
            self.router.clone(),
            self.health.clone(),
            metrics,
            &self.cfg.public,
        );
        chorus_kit::http::serve(listener, router, shutdown).await?;
        self.stopped().await;
        Ok(())
    }

    /// Waits for the background tasks after shutdown was requested, then closes the pool.
    pub async fn stopped(self) {
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        self.state.db.close().await;
    }
}

/// The consumer records processed events in this schema's tables, so it starts
/// once the migrations are applied.
async fn consume_after(consumer: Consumer, migrated: Migrated, shutdown: Shutdown) {
    while !migrated.is_done() {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
    }
    let _ = consumer.spawn(shutdown).await;
}
