//! Wiring: `App::build` binds the gRPC port, starts the migrations, the outbox
//! relay and the membership consumer, and returns the public routes so they can
//! be served alone (`chorus message`) or merged with other services (`chorus all`).

use crate::config::MessageConfig;
use crate::events::MembershipEvents;
use crate::peers::{Membership, Users};
use crate::seams::Media;
use crate::state::AppState;
use crate::{grpc, http};
use anyhow::Context;
use axum::Router;
use chorus_authn::{GrpcKeySource, Revocations, Verifier};
use chorus_events::{Consumer, Relay, topology};
use chorus_kit::db::{DbConfig, Migrated};
use chorus_kit::health::Health;
use chorus_kit::{Shutdown, metrics::Metrics};
use chorus_proto::message::v1::{
    history_server::HistoryServer, message_admin_server::MessageAdminServer,
    unread_server::UnreadServer,
};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const SCHEMA: &str = "message";
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/message");

/// Optional collaborators; the defaults bind the configured gRPC address and ask
/// the media service at `media_grpc_url`.
#[derive(Default)]
pub struct Deps {
    /// Pre-bound gRPC listener (all-in-one mode binds 127.0.0.1:0 itself); None ⇒ bind cfg.grpc_addr.
    pub grpc_listener: Option<TcpListener>,
    /// None ⇒ the media service over gRPC (tests inject fakes here).
    pub media: Option<Arc<dyn Media>>,
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

/// The query pool and the pool for sends alone share `db.max_connections`,
/// so the service stays within its connection budget (README, *Database
/// connections*; `chorus all` splits one budget between the services). Sends
/// get half, at least one; the query pool keeps at least two, because
/// migrations hold one connection while they run on another.
fn split_pools(db: &DbConfig) -> (DbConfig, DbConfig) {
    let sends = (db.max_connections / 2)
        .min(db.max_connections.saturating_sub(2))
        .max(1);
    let queries = DbConfig {
        max_connections: db.max_connections.saturating_sub(sends).max(2),
        ..db.clone()
    };
    let sends = DbConfig {
        max_connections: sends,
        ..db.clone()
    };
    (queries, sends)
}

impl App {
    pub async fn build(cfg: MessageConfig, deps: Deps, shutdown: Shutdown) -> anyhow::Result<Self> {
        let cfg = Arc::new(cfg);
        let (queries, sends) = split_pools(&cfg.db);
        let db =
            chorus_kit::db::connect_lazy(&queries, SCHEMA).context("database configuration")?;
        let send_db = chorus_kit::db::connect_tokio_postgres(&sends, SCHEMA)
            .context("database configuration")?;
        let redis = chorus_kit::redis::connect(&cfg.redis).context("redis configuration")?;
        let verifier = Arc::new(Verifier::new(
            &cfg.jwt,
            Arc::new(GrpcKeySource::new(&cfg.auth_grpc_url).context("auth_grpc_url")?),
            Some(Revocations::new(redis.clone(), cfg.redis.prefix.clone())),
        ));
        let membership = Membership::new(
            chorus_kit::grpc::channel(&cfg.chat_grpc_url).context("chat_grpc_url")?,
            cfg.membership_cache_ttl_ms,
        );
        let users = Users::new(
            chorus_kit::grpc::channel(&cfg.auth_grpc_url).context("auth_grpc_url")?,
            cfg.users_cache_ttl_ms,
        );
        // Migrations and LISTEN need a real session (not a transaction pooler).
        let direct = chorus_kit::db::connect_direct(&cfg.db, SCHEMA, &db)
            .context("database configuration")?;
        let migrated = chorus_kit::db::migrate_in_background(direct.clone(), SCHEMA, &MIGRATOR);
        let relay = Relay::new(db.clone(), SCHEMA, cfg.amqp.clone())
            .listen_through(direct.clone())
            .after_migrations(migrated.clone())
            .finish_with(Arc::new(crate::events::finish_created));
        let state = AppState {
            outbox: relay.waker(),
            cfg: cfg.clone(),
            db: db.clone(),
            send_db,
            verifier,
            membership: membership.clone(),
            users: users.clone(),
            media: match deps.media {
                Some(media) => media,
                None => Arc::new(
                    chorus_media_client::MediaClient::new(&cfg.media_grpc_url)
                        .context("media_grpc_url")?,
                ),
            },
        };

        let mut tasks = Vec::new();
        let (relay, relay_status) = relay.spawn(shutdown.clone());
        tasks.push(relay);
        let consumer = Consumer::new(
            db.clone(),
            cfg.amqp.clone(),
            topology::MESSAGE_MEMBERSHIP.spec(&cfg.amqp),
            Arc::new(MembershipEvents { membership, users }),
        );
        tasks.push(tokio::spawn(consume_after(
            consumer,
            migrated.clone(),
            shutdown.clone(),
        )));

        let listener = chorus_kit::grpc::listener(deps.grpc_listener, &cfg.grpc_addr).await?;
        let grpc_addr = listener.local_addr()?;
        tasks.push(chorus_kit::grpc::spawn(
            "message",
            chorus_kit::grpc::server("message")
                .add_service(HistoryServer::new(grpc::Grpc(state.clone())))
                .add_service(UnreadServer::new(grpc::Grpc(state.clone())))
                .add_service(MessageAdminServer::new(grpc::Grpc(state.clone()))),
            listener,
            shutdown.clone(),
        ));

        let mut health = Health::new("message");
        health.add_postgres("message.postgres", db.clone(), migrated.clone());
        health.add_redis("message.redis", redis);
        health.add_flag(
            "message.rabbitmq",
            move || relay_status.is_connected(),
            "outbox relay not connected",
        );

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
        chorus_kit::http::serve_alone(
            "message",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_take_half_the_connections_and_queries_keep_two() {
        let split = |max_connections| {
            let (queries, sends) = split_pools(&DbConfig {
                max_connections,
                ..DbConfig::default()
            });
            (queries.max_connections, sends.max_connections)
        };
        assert_eq!(split(10), (5, 5));
        assert_eq!(split(5), (3, 2));
        assert_eq!(split(4), (2, 2));
        // Below four the service needs one more than it was given.
        assert_eq!(split(2), (2, 1));
    }
}
