//! Wiring: `App::build` starts the migrations, the buckets and sticker images,
//! the event consumer, the janitor and the gRPC server, and returns the public
//! routes so they can be served alone (`chorus media`) or merged (`chorus all`).

use crate::config::MediaConfig;
use crate::domain::cleanup::Janitor;
use crate::events::UsageEvents;
use crate::presign::Presigner;
use crate::state::AppState;
use crate::store::Store;
use crate::{grpc, http, seed};
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::{Consumer, topology};
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_proto::chat::v1::membership_client::MembershipClient;
use chorus_proto::media::v1::files_server::FilesServer;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "media";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/media");

#[derive(Default)]
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode); None ⇒ bind `cfg.grpc_addr`.
    pub grpc_listener: Option<TcpListener>,
}

pub struct App {
    pub router: Router,
    pub health: Health,
    pub grpc_addr: SocketAddr,
    pub state: AppState,
    pub migrated: Migrated,
    cfg: Arc<MediaConfig>,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(cfg: MediaConfig, deps: Deps, shutdown: Shutdown) -> anyhow::Result<Self> {
        anyhow::ensure!(
            !cfg.s3.endpoint.is_empty(),
            "media: s3.endpoint (MINIO_ENDPOINT) is required"
        );
        let cfg = Arc::new(cfg);
        let db = chorus_kit::db::connect_lazy(&cfg.db, SCHEMA).context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let keys = GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(keys),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let store = Store::new(&cfg.s3);
        let presigner = Arc::new(Presigner::new(
            &cfg.s3.access_key,
            cfg.s3.secret_key.expose_secret(),
            cfg.s3.canonical_host(),
            &cfg.s3.public_url,
            cfg.s3.presign_ttl_secs,
        ));
        let membership = Arc::new(crate::peers::GrpcMembership(MembershipClient::new(
            chorus_kit::grpc::channel(&cfg.chat_grpc_url).context("chat_grpc_url")?,
        )));
        let state = AppState {
            cfg: cfg.clone(),
            db: db.clone(),
            verifier,
            store: store.clone(),
            presigner,
            upload_budget: Arc::new(tokio::sync::Semaphore::new(
                cfg.upload_buffer_mib.max(cfg.s3.part_size_mib.max(5)),
            )),
            membership,
        };

        // Migrations and LISTEN need a real session (not a transaction pooler).
        let direct = chorus_kit::db::connect_direct(&cfg.db, SCHEMA, &db)
            .context("database configuration")?;
        let migrated = chorus_kit::db::migrate_in_background(direct.clone(), SCHEMA, &MIGRATOR);
        let mut tasks = Vec::new();
        let storage_ready = Arc::new(AtomicBool::new(false));
        tasks.push(tokio::spawn(prepare_storage(
            state.clone(),
            migrated.clone(),
            storage_ready.clone(),
            shutdown.clone(),
        )));
        let janitor = Janitor::new(db.clone(), store, cfg.stale_upload_secs);
        tasks.push(tokio::spawn(after_migrations(
            migrated.clone(),
            shutdown.clone(),
            {
                let shutdown = shutdown.clone();
                async move { janitor.run(shutdown).await }
            },
        )));
        let consumer = Consumer::new(
            db.clone(),
            cfg.amqp.clone(),
            topology::MEDIA_USAGE.spec(&cfg.amqp),
            Arc::new(UsageEvents),
        );
        let consumer_shutdown = shutdown.clone();
        tasks.push(tokio::spawn(after_migrations(
            migrated.clone(),
            shutdown.clone(),
            async move {
                let _ = consumer.spawn(consumer_shutdown).await;
            },
        )));

        let listener = chorus_kit::grpc::listener(deps.grpc_listener, &cfg.grpc_addr).await?;
        let grpc_addr = listener.local_addr()?;
        tasks.push(chorus_kit::grpc::spawn(
            "media",
            chorus_kit::grpc::server("media")
                .add_service(FilesServer::new(grpc::Grpc(state.clone()))),
            listener,
            shutdown.clone(),
        ));

        let mut health = Health::new("media");
        health.add_postgres("media.postgres", db.clone(), migrated.clone());
        health.add_redis("media.redis", redis);
        health.add_flag(
            "media.s3",
            move || storage_ready.load(Ordering::Relaxed),
            "object storage not reachable yet",
        );

        tracing::info!(grpc = %grpc_addr, s3 = %cfg.s3.endpoint, "media service ready");
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
            "media",
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

async fn after_migrations(migrated: Migrated, shutdown: Shutdown, work: impl Future<Output = ()>) {
    tokio::select! {
        _ = shutdown.cancelled() => return,
        _ = migrated.wait() => {}
    }
    work.await;
}

/// Creates the buckets and writes the sticker images, retrying with backoff
/// while the store (or the database) is not there yet; then keeps the health
/// flag current (the uploads bucket answers) every 15 s.
async fn prepare_storage(
    state: AppState,
    migrated: Migrated,
    ready: Arc<AtomicBool>,
    shutdown: Shutdown,
) {
    let work = async {
        migrated.wait().await;
        let mut delay = Duration::from_millis(100);
        loop {
            let prepared = async {
                seed::buckets(&state.store, &state.cfg.s3).await?;
                seed::stickers(&state.db, &state.store, &state.cfg.s3).await
            };
            match prepared.await {
                Ok(written) => {
                    tracing::info!(sticker_images_written = written, "object storage ready");
                    ready.store(true, Ordering::Relaxed);
                    break;
                }
                Err(err) => tracing::warn!(error = %err, "object storage not ready; retrying"),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
        loop {
            tokio::time::sleep(Duration::from_secs(15)).await;
            let up = state
                .store
                .bucket_reachable(&state.cfg.s3.uploads_bucket)
                .await;
            if up != ready.swap(up, Ordering::Relaxed) {
                tracing::warn!(up, "object storage reachability changed");
            }
        }
    };
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = work => {}
    }
}
