//! Wiring: `App::build` starts the migrations, the outbox relay and the gRPC
//! server, and returns the public routes so they can be served alone
//! (`chorus chat`) or merged with other services (`chorus all`).

use crate::config::ChatConfig;
use crate::peers::Peers;
use crate::seams::{Media, NoMedia, NoPresence, Presence};
use crate::state::AppState;
use crate::{demo, grpc, http};
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::Relay;
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_proto::chat::v1::membership_server::MembershipServer;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "chat";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/chat");

/// What the process around the service provides; every seam defaults to "none".
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode binds 127.0.0.1:0 itself); None ⇒ bind `cfg.grpc_addr`.
    pub grpc_listener: Option<TcpListener>,
    /// Create the §19.1 "Dev Team" group once auth's demo users exist.
    pub load_demo: bool,
    pub presence: Arc<dyn Presence>,
    pub media: Arc<dyn Media>,
}

impl Default for Deps {
    fn default() -> Self {
        Self {
            grpc_listener: None,
            load_demo: false,
            presence: Arc::new(NoPresence),
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
    cfg: Arc<ChatConfig>,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(cfg: ChatConfig, deps: Deps, shutdown: Shutdown) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let db = chorus_kit::db::connect_lazy(&cfg.db, SCHEMA).context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let keys = GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(keys),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let peers =
            Peers::new(&cfg.auth_grpc_url, &cfg.message_grpc_url).context("peer gRPC urls")?;
        let state = AppState {
            cfg: cfg.clone(),
            db: db.clone(),
            verifier,
            peers,
            presence: deps.presence,
            media: deps.media,
        };

        let migrated = chorus_kit::db::migrate_in_background(db.clone(), SCHEMA, &MIGRATOR);
        let mut tasks = Vec::new();
        if deps.load_demo {
            tasks.push(tokio::spawn(load_demo(
                state.clone(),
                migrated.clone(),
                shutdown.clone(),
            )));
        }
        let (relay, relay_status) =
            Relay::new(db.clone(), SCHEMA, cfg.amqp.clone()).spawn(shutdown.clone());
        tasks.push(relay);

        let listener = match deps.grpc_listener {
            Some(listener) => listener,
            None => TcpListener::bind(&cfg.grpc_addr)
                .await
                .with_context(|| format!("cannot bind the chat gRPC address {}", cfg.grpc_addr))?,
        };
        let grpc_addr = listener.local_addr()?;
        let grpc_shutdown = shutdown.clone();
        let grpc_state = state.clone();
        tasks.push(tokio::spawn(async move {
            let served = tonic::transport::Server::builder()
                .timeout(Duration::from_secs(10))
                .add_service(MembershipServer::new(grpc::Grpc(grpc_state)))
                .serve_with_incoming_shutdown(
                    tonic::transport::server::TcpIncoming::from(listener),
                    grpc_shutdown.cancelled_owned(),
                )
                .await;
            if let Err(err) = served {
                tracing::error!(%err, "chat gRPC server failed");
            }
        }));

        let mut health = Health::new("chat");
        let (pool, flag) = (db.clone(), migrated.clone());
        health.add("chat.postgres", move || {
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
        health.add("chat.redis", move || {
            let redis = redis.clone();
            Box::pin(async move {
                chorus_kit::redis::ping(&redis)
                    .await
                    .map_err(|e| e.to_string())
            })
        });
        health.add("chat.rabbitmq", move || {
            let connected = relay_status.is_connected();
            Box::pin(async move {
                if connected {
                    Ok(())
                } else {
                    Err("outbox relay not connected".into())
                }
            })
        });

        tracing::info!(grpc = %grpc_addr, "chat service ready");
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
            .with_context(|| format!("cannot bind the chat HTTP address {}", self.cfg.http_addr))?;
        tracing::info!(http = %listener.local_addr()?, "chat serving HTTP");
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

/// Demo mode: after the migrations, waits (with backoff) for auth's demo users,
/// then creates the demo group once.
async fn load_demo(state: AppState, migrated: Migrated, shutdown: Shutdown) {
    let work = async {
        while !migrated.is_done() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut delay = Duration::from_millis(100);
        loop {
            match demo::load(&state).await {
                Ok(true) => return,
                Ok(false) => tracing::debug!("demo users not there yet"),
                Err(err) => tracing::warn!(error = %err, "demo group not created yet; retrying"),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    };
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = work => {}
    }
}
