//! Wiring: `App::build` applies the audit log's migrations and returns the
//! public routes, so they can be served alone (`chorus admin`) or merged with
//! the other services (`chorus all`). The admin service serves no gRPC and
//! consumes no events: the owners keep the counters and answer its calls.

use crate::config::AdminConfig;
use crate::http;
use crate::peers::Peers;
use crate::state::AppState;
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use std::sync::Arc;

pub const SCHEMA: &str = "admin";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/admin");

pub struct App {
    /// The public API routes (without `/health`, `/metrics`).
    pub router: Router,
    pub health: Health,
    pub state: AppState,
    pub migrated: Migrated,
    cfg: Arc<AdminConfig>,
}

impl App {
    pub async fn build(cfg: AdminConfig) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let db = chorus_kit::db::connect_lazy(&cfg.db, SCHEMA).context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let peers = Peers::new(
            &cfg.auth_grpc_url,
            &cfg.chat_grpc_url,
            &cfg.message_grpc_url,
        )?;
        let state = AppState {
            cfg: cfg.clone(),
            db: db.clone(),
            verifier,
            peers,
        };
        // Migrations need a real session (not a transaction pooler).
        let direct = chorus_kit::db::connect_direct(&cfg.db, SCHEMA, &db)
            .context("database configuration")?;
        let migrated = chorus_kit::db::migrate_in_background(direct, SCHEMA, &MIGRATOR);

        let mut health = Health::new("admin");
        health.add_postgres("admin.postgres", db, migrated.clone());
        health.add_redis("admin.redis", redis);
        tracing::info!("admin service ready");
        Ok(Self {
            router: http::router(state.clone()),
            health,
            state,
            migrated,
            cfg,
        })
    }

    /// Serves the public HTTP API on the configured address until `shutdown`.
    pub async fn serve_alone(self, metrics: Metrics, shutdown: Shutdown) -> anyhow::Result<()> {
        chorus_kit::http::serve_alone(
            "admin",
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

    /// Closes the pool after shutdown.
    pub async fn stopped(self) {
        self.state.db.close().await;
    }
}
