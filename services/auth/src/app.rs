//! Wiring: `App::build` binds the gRPC port, starts the outbox relay, the
//! migrations and the `presence.seen` consumer, and returns the public routes
//! so they can be served alone (`chorus auth`) or merged with other services
//! (`chorus all`).

use crate::config::AuthConfig;
use crate::keys::SigningKeys;
use crate::password::Passwords;
use crate::seams::{Media, Presence};
use crate::state::AppState;
use crate::throttle::LoginThrottle;
use crate::{activity, db, demo, grpc, http};
use anyhow::Context;
use axum::Router;
use chorus_authn::{Revocations, StaticKeySource, Verifier};
use chorus_events::{Consumer, Relay, topology};
use chorus_kit::db::Migrated;
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_presence_client::PresenceClient;
use chorus_proto::auth::v1::{
    accounts_server::AccountsServer, keys_server::KeysServer, users_server::UsersServer,
};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "auth";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/auth");

/// Optional collaborators; the defaults ask the presence service at
/// `presence_grpc_url` and the media service at `media_grpc_url`.
#[derive(Default)]
pub struct Seams {
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
    cfg: Arc<AuthConfig>,
    tasks: Vec<JoinHandle<()>>,
}

impl App {
    pub async fn build(
        cfg: AuthConfig,
        seams: Seams,
        load_demo: bool,
        shutdown: Shutdown,
    ) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let keys = Arc::new(SigningKeys::load(&cfg.jwt)?);
        let db = chorus_kit::db::connect_lazy(&cfg.db, SCHEMA).context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let revocations = Revocations::new(redis.clone(), cfg.redis.prefix.clone());
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt.verify,
            Arc::new(StaticKeySource(keys.published.clone())),
            Some(revocations.clone()),
        ));
        verifier.set_keys(&keys.published);
        let state = AppState {
            cfg: cfg.clone(),
            db: db.clone(),
            keys,
            verifier,
            passwords: Passwords::new(&cfg.password).await?,
            throttle: LoginThrottle::new(
                redis.clone(),
                &cfg.redis.prefix,
                cfg.login_limits.clone(),
            ),
            revocations,
            presence: match seams.presence {
                Some(presence) => presence,
                None => Arc::new(
                    PresenceClient::new(&cfg.presence_grpc_url).context("presence_grpc_url")?,
                ),
            },
            media: match seams.media {
                Some(media) => media,
                None => Arc::new(
                    chorus_media_client::MediaClient::new(&cfg.media_grpc_url)
                        .context("media_grpc_url")?,
                ),
            },
            activity_windows: Default::default(),
        };

        // Migrations and LISTEN need a real session (not a transaction pooler).
        let direct = chorus_kit::db::connect_direct(&cfg.db, SCHEMA, &db)
            .context("database configuration")?;
        let migrated = chorus_kit::db::migrate_in_background(direct.clone(), SCHEMA, &MIGRATOR);
        let mut tasks = vec![tokio::spawn(after_migrations(
            state.clone(),
            migrated.clone(),
            load_demo,
        ))];
        let (relay, relay_status) = Relay::new(db.clone(), SCHEMA, cfg.amqp.clone())
            .listen_through(direct.clone())
            .after_migrations(migrated.clone())
            .spawn(shutdown.clone());
        tasks.push(relay);
        let consumer = Consumer::new(
            db.clone(),
            cfg.amqp.clone(),
            topology::AUTH_ACTIVITY.spec(&cfg.amqp),
            Arc::new(activity::ActivityEvents),
        );
        tasks.push(tokio::spawn(consume_after(
            consumer,
            migrated.clone(),
            shutdown.clone(),
        )));
        let revocations_in_sync = Arc::new(std::sync::atomic::AtomicBool::new(false));
        tasks.push(tokio::spawn(crate::revocation_sync::run(
            db.clone(),
            redis.clone(),
            state.revocations.clone(),
            migrated.clone(),
            revocations_in_sync.clone(),
            shutdown.clone(),
        )));

        let listener = chorus_kit::grpc::listener(None, &cfg.grpc_addr).await?;
        let grpc_addr = listener.local_addr()?;
        tasks.push(chorus_kit::grpc::spawn(
            "auth",
            chorus_kit::grpc::server("auth")
                .add_service(KeysServer::new(grpc::Grpc(state.clone())))
                .add_service(UsersServer::new(grpc::Grpc(state.clone())))
                .add_service(AccountsServer::new(grpc::Grpc(state.clone()))),
            listener,
            shutdown.clone(),
        ));

        let mut health = Health::new("auth");
        health.add_postgres("auth.postgres", db.clone(), migrated.clone());
        health.add_redis("auth.redis", redis);
        health.add_flag(
            "auth.revocations",
            move || revocations_in_sync.load(std::sync::atomic::Ordering::Relaxed),
            "revocation flags not yet asserted in Redis",
        );
        health.add_flag(
            "auth.rabbitmq",
            move || relay_status.is_connected(),
            "outbox relay not connected",
        );

        tracing::info!(grpc = %grpc_addr, "auth service ready");
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
            "auth",
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

/// The consumer records processed events in this schema's tables, so it starts
/// once the migrations are applied.
async fn consume_after(consumer: Consumer, migrated: Migrated, shutdown: Shutdown) {
    tokio::select! {
        _ = shutdown.cancelled() => return,
        _ = migrated.wait() => {}
    }
    let _ = consumer.spawn(shutdown).await;
}

/// Post-migration set-up: the support account's address and, in demo mode, the demo users.
async fn after_migrations(state: AppState, migrated: Migrated, load_demo: bool) {
    migrated.wait().await;
    let mut delay = Duration::from_millis(200);
    loop {
        let result = async {
            db::users::set_support_email(&state.db, &state.cfg.public.primary_domain).await?;
            if load_demo {
                demo::load(&state).await?;
            }
            Ok::<_, crate::error::Error>(())
        }
        .await;
        match result {
            Ok(()) => return,
            Err(err) => {
                tracing::warn!(error = %err, "post-migration set-up failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}
