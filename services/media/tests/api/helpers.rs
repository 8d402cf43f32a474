//! The harness: a fake auth (tokens, keys), a fake chat `Membership` (which
//! chats a user is in: testkit's `FakeMembership`), the embedded S3 store over a temp dir, the media
//! service, and an event publisher on the test's exchange standing in for the
//! other services.

use chorus_events::Publisher;
use chorus_kit::metrics::Metrics;
use chorus_media::{App, Deps, MediaConfig};
use chorus_testkit::{FakeAuth, FakeMembership, TestEnv};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use std::path::PathBuf;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub token: String,
}

pub struct Harness {
    pub env: TestEnv,
    pub base: String,
    pub media_grpc: String,
    pub http: reqwest::Client,
    pub membership: FakeMembership,
    pub db: PgPool,
    pub app: chorus_media::state::AppState,
    pub publisher: Publisher,
    /// The embedded store's directory: `<root>/<bucket>/<key>`.
    pub s3_root: PathBuf,
    pub alice: User,
    pub bob: User,
    /// Issued the tokens and answers `Keys` in place of the auth service.
    auth: FakeAuth,
    shutdown: CancellationToken,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

impl Harness {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut MediaConfig)) -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let shutdown = CancellationToken::new();
        let mut servers = Vec::new();
        let tmp = std::env::temp_dir().join(&env.id);

        let auth = FakeAuth::start().await?;
        let auth_grpc = auth.grpc_url();
        // As the demo accounts: alice is a global admin, bob is not.
        let alice = auth.add_user_with("alice", |u| u.is_admin = true)?;
        let bob = auth.add_user("bob")?;
        let (alice, bob) = (
            User {
                id: alice.id,
                token: alice.token,
            },
            User {
                id: bob.id,
                token: bob.token,
            },
        );

        let membership = FakeMembership::start().await?;
        let chat_grpc = membership.grpc_url();

        let s3_root = tmp.join("s3");
        let mut cfg = MediaConfig {
            http_addr: "127.0.0.1:0".into(),
            grpc_addr: "127.0.0.1:0".into(),
            auth_grpc_url: auth_grpc,
            chat_grpc_url: chat_grpc,
            ..MediaConfig::default()
        };
        let (s3_addr, task) = chorus_media::local_s3::serve(
            tokio::net::TcpListener::bind("127.0.0.1:0").await?,
            &s3_root,
            &cfg.s3.access_key,
            "chorus-dev-secret",
            shutdown.clone(),
        )?;
        servers.push(task);
        cfg.s3.endpoint = s3_addr.to_string();
        cfg.db.url = env.database_url.clone().into();
        cfg.redis.url = env.redis_url.clone();
        cfg.redis.prefix = env.redis_prefix.clone();
        cfg.amqp.url = env.amqp_url.clone();
        cfg.amqp.exchange = env.exchange.clone();
        cfg.amqp.queue_prefix = format!("{}.", env.id);
        cfg.amqp.declare_topology = false;
        for purpose in chorus_events::topology::purposes() {
            env.queue(purpose);
        }
        tweak(&mut cfg);
        let publisher = Publisher::new(cfg.amqp.clone(), "test");
        let app = App::build(cfg, Deps::default(), shutdown.clone()).await?;
        let media_grpc = format!("http://{}", app.grpc_addr);
        let state = app.state.clone();
        let db = state.db.clone();
        let health = app.health.clone();
        let (base, task) = serve(app.router.clone(), health.clone(), &shutdown).await?;
        servers.push(task);
        let stop = shutdown.clone();
        servers.push(tokio::spawn(async move {
            stop.cancelled().await;
            app.stopped().await;
        }));

        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let h = Self {
            env,
            base,
            media_grpc,
            http,
            membership,
            db,
            app: state,
            publisher,
            s3_root,
            alice,
            bob,
            auth,
            shutdown,
            servers,
        };
        // Ready: migrated, buckets and stickers written, consumer bound.
        eventually("object storage ready", || async {
            h.http
                .get(format!("{}/health", h.base))
                .send()
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK)
        })
        .await?;
        // Unroutable events are confirmed too, so publish until one is consumed.
        eventually("media.usage consumer bound", || async {
            let _ = h
                .publisher
                .publish(
                    "user.updated",
                    &chorus_proto::auth::v1::UserUpdated::default(),
                )
                .await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            h.processed().await.unwrap_or_default() > 0
        })
        .await?;
        Ok(h)
    }

    /// Makes `user` a member of exactly `chats` (groups, created when missing).
    pub fn member_of(&self, user: &User, chats: &[i64]) {
        for chat in self.membership.chats_of(user.id) {
            if !chats.contains(&chat) {
                self.membership.leave(chat, user.id);
            }
        }
        for chat in chats {
            if !self.membership.exists(*chat) {
                self.membership.chat(*chat, "group", &[]);
            }
            self.membership.join(*chat, user.id, "member");
        }
    }

    /// Uploads `bytes` as a file part named `name` with the declared type.
    pub async fn upload(
        &self,
        user: &User,
        name: &str,
        mime: Option<&str>,
        bytes: Vec<u8>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let mut part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        if let Some(mime) = mime {
            part = part.mime_str(mime)?;
        }
        let form = reqwest::multipart::Form::new().part("file", part);
        let res = self
            .http
            .post(format!("{}/files", self.base))
            .bearer_auth(&user.token)
            .multipart(form)
            .send()
            .await?;
        let status = res.status();
        Ok((status, res.json().await.unwrap_or(Value::Null)))
    }

    /// `GET path` without following redirects: status and `Location`.
    pub async fn redirect(&self, path: &str, user: &User) -> anyhow::Result<(StatusCode, String)> {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&user.token)
            .send()
            .await?;
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok((res.status(), location))
    }

    /// Objects in the uploads bucket (the store keeps one file per object).
    pub fn stored_uploads(&self) -> Vec<String> {
        let dir = self.s3_root.join("chorus-uploads").join("uploads");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Events the consumer has applied.
    pub async fn processed(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM processed_events")
            .fetch_one(&self.db)
            .await?)
    }

    /// Publishes an event and waits until the consumer applied it.
    pub async fn deliver<M: prost::Message>(
        &self,
        event_type: &str,
        event: &M,
    ) -> anyhow::Result<()> {
        self.deliver_routed(event_type, event_type, event).await
    }

    /// A `message.created` routed as the message service routes it.
    pub async fn deliver_message(
        &self,
        event: &chorus_proto::message::v1::MessageCreated,
    ) -> anyhow::Result<()> {
        self.deliver_routed("message.created", event.routing_key(), event)
            .await
    }

    async fn deliver_routed<M: prost::Message>(
        &self,
        event_type: &str,
        routing_key: &str,
        event: &M,
    ) -> anyhow::Result<()> {
        let before = self.processed().await?;
        self.publisher
            .publish_routed(event_type, routing_key, event)
            .await?;
        eventually(event_type, || async {
            self.processed().await.unwrap_or_default() > before
        })
        .await
    }

    pub async fn file_rows(&self) -> anyhow::Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, state FROM files WHERE id NOT IN (SELECT file_id FROM stickers) ORDER BY id",
        )
        .fetch_all(&self.db)
        .await?)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        for server in self.servers {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
        drop(self.auth);
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(&self.env.id));
        self.env.cleanup().await
    }
}

async fn serve(
    router: axum::Router,
    health: chorus_kit::health::Health,
    stop: &CancellationToken,
) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let router = chorus_kit::http::public_router(
        router,
        chorus_media::openapi(),
        health,
        Metrics::new()?,
        &chorus_kit::http::PublicHttpConfig::default(),
    );
    let stop = stop.clone();
    let task = tokio::spawn(async move {
        let _ = chorus_kit::http::serve(listener, router, stop).await;
    });
    Ok((base, task))
}

pub use chorus_testkit::eventually;
