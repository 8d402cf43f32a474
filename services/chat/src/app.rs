//! Wiring: `App::build` starts the migrations, the outbox relay and the gRPC
//! server, and returns the public routes so they can be served alone
//! (`chorus chat`) or merged with other services (`chorus all`).

use crate::config::ChatConfig;
use crate::peers::Peers;
use crate::seams::{Media, Presence};
use crate::state::AppState;
use crate::{demo, grpc, http};
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::Relay;
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_presence_client::PresenceClient;
use chorus_proto::chat::v1::chat_admin_server::ChatAdminServer;
use chorus_proto::chat::v1::membership_server::MembershipServer;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "chat";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/chat");

/// What the process around the service provides; presence defaults to the
/// presence service at `presence_grpc_url`, media to the media service at `media_grpc_url`.
#[derive(Default)]
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode binds 127.0.0.1:0 itself); None ⇒ bind `cfg.grpc_addr`.
    pub grpc_listener: Option<TcpListener>,
    /// Create the §19.1 "Dev Team" group once auth's demo users exist.
    pub load_demo: bool,
    /// The demo waits for these migrations too (auth's, in `chorus all`: its
    /// users do not exist before, and asking earlier only logs failures).
    pub demo_after: Option<Migrated>,
    /// None ⇒ the presence service over gRPC (tests inject fakes here).
    pub presence: Option<Arc<dyn Presence>>,
    /// None ⇒ the media service over gRPC.
    pub media: Option<Arc<dyn Media>>,
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
            presence: match deps.presence {
                Some(presence) => presence,
                None => Arc::new(
                    PresenceClient::new(&cfg.presence_grpc_url).context("presence_grpc_url")?,
                ),
            },
            media: match deps.media {
                Some(media) => media,
                None => Arc::new(
                    chorus_media_client::MediaClient::new(&cfg.media_grpc_url)
                        .context("media_grpc_url")?,
                ),
            },
        };

        // Migrations and LISTEN need a real session (not a transaction pooler).
        let direct = chorus_kit::db::connect_direct(&cfg.db, SCHEMA, &db)
            .context("database configuration")?;
        let migrated = chorus_kit::db::migrate_in_background(direct.clone(), SCHEMA, &MIGRATOR);
        let mut tasks = Vec::new();
        if deps.load_demo {
            tasks.push(tokio::spawn(load_demo(
                state.clone(),
                [Some(migrated.clone()), deps.demo_after.clone()],
                shutdown.clone(),
            )));
        }
        let (relay, relay_status) = Relay::new(db.clone(), SCHEMA, cfg.amqp.clone())
            .listen_through(direct.clone())
            .after_migrations(migrated.clone())
            .spawn(shutdown.clone());
        tasks.push(relay);

        let listener = chorus_kit::grpc::listener(deps.grpc_listener, &cfg.grpc_addr).await?;
        let grpc_addr = listener.local_addr()?;
        tasks.push(chorus_kit::grpc::spawn(
            "chat",
            chorus_kit::grpc::server("chat")
                .add_service(MembershipServer::new(grpc::Grpc(state.clone())))
                .add_service(ChatAdminServer::new(grpc::Grpc(state.clone()))),
            listener,
            shutdown.clone(),
        ));

        let mut health = Health::new("chat");
        health.add_postgres("chat.postgres", db.clone(), migrated.clone());
        health.add_redis("chat.redis", redis);
        health.add_flag(
            "chat.rabbitmq",
            move || relay_status.is_connected(),
            "outbox relay not connected",
        );

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
        chorus_kit::http::serve_alone(
            "chat",
            &self.cfg.http_addr,
            self.router.clone(),
            crate::openapi(),
            self.health.clone(),
            metrics,
            &self.cfg.public,
            shutdown,
        )
        .await?;
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
async fn load_demo(state: AppState, after: [Option<Migrated>; 2], shutdown: Shutdown) {
    let work = async {
        for migrated in after.iter().flatten() {
            migrated.wait().await;
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
