//! The harness: a fake auth service (tokens, keys, Users.GetMany), the message
//! service, a fake chat `Membership` whose chats the test declares (testkit's
//! `FakeMembership`, checked against the chat service by chat's tests), and a
//! probe consumer that records every event on the test's exchange.

use chorus_events::{Consumer, ConsumerSpec, Envelope, EventHandler, HandleError};
use chorus_kit::metrics::Metrics;
use chorus_message::{App, Deps, MessageConfig};
use chorus_testkit::{FakeAuth, FakeMembership, TestEnv};
use futures_util::future::BoxFuture;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Records every event it receives.
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Envelope>>>);

impl EventHandler for Recorder {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut sqlx::PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            if let Ok(mut seen) = self.0.lock() {
                seen.push(event.clone());
            }
            Ok(())
        })
    }
}

/// A demo user with an access token.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub token: String,
}

pub struct Harness {
    pub env: TestEnv,
    pub base: String,
    /// Issued the tokens; answers `Keys` and `Users` in place of the auth service.
    pub auth: FakeAuth,
    pub message_grpc: String,
    pub http: reqwest::Client,
    /// Answers `Membership` in place of the chat service.
    pub membership: FakeMembership,
    pub db: PgPool,
    pub events: Recorder,
    pub alice: User,
    pub bob: User,
    pub carol: User,
    shutdown: CancellationToken,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

async fn serve(
    router: axum::Router,
    health: chorus_kit::health::Health,
    stop: CancellationToken,
) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let router = chorus_kit::http::public_router(
        router,
        chorus_message::openapi(),
        health,
        Metrics::new()?,
        &chorus_kit::http::PublicHttpConfig::default(),
    );
    let task = tokio::spawn(async move {
        let _ = chorus_kit::http::serve(listener, router, stop).await;
    });
    Ok((base, task))
}

pub fn message_config(env: &TestEnv, auth_grpc: &str, chat_grpc: &str) -> MessageConfig {
    let mut cfg = MessageConfig {
        http_addr: "127.0.0.1:0".into(),
        grpc_addr: "127.0.0.1:0".into(),
        auth_grpc_url: auth_grpc.into(),
        chat_grpc_url: chat_grpc.into(),
        // The fake membership map changes under the tests' feet; no caching.
        membership_cache_ttl_ms: 0,
        ..MessageConfig::default()
    };
    cfg.db.url = env.database_url.clone().into();
    cfg.db.max_connections = 24;
    cfg.redis.url = env.redis_url.clone();
    cfg.redis.prefix = env.redis_prefix.clone();
    cfg.amqp.url = env.amqp_url.clone();
    cfg.amqp.exchange = env.exchange.clone();
    cfg.amqp.queue_prefix = format!("{}.", env.id);
    cfg.amqp.declare_topology = false;
    cfg
}

impl Harness {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut MessageConfig)) -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let shutdown = CancellationToken::new();
        let mut servers = Vec::new();

        let auth = FakeAuth::start().await?;
        let auth_grpc = auth.grpc_url();
        // The demo accounts: alice (a global admin), bob and carol.
        let mut demo = Vec::new();
        for (username, display_name, is_admin) in [
            ("alice", "Alice", true),
            ("bob", "Bob", false),
            ("carol", "Carol", false),
        ] {
            let u = auth.add_user_with(username, |u| {
                u.display_name = Some(display_name.into());
                u.is_admin = is_admin;
            })?;
            demo.push(User {
                id: u.id,
                token: u.token,
            });
        }
        let [alice, bob, carol]: [User; 3] = demo
            .try_into()
            .map_err(|_| anyhow::anyhow!("three demo users"))?;

        let membership = FakeMembership::start().await?;
        let chat_grpc = membership.grpc_url();

        let mut cfg = message_config(&env, &auth_grpc, &chat_grpc);
        tweak(&mut cfg);
        // Every consumer queue (registered for cleanup); alone, the relay need not declare them.
        for purpose in chorus_events::topology::purposes() {
            env.queue(purpose);
        }
        // Media is not ours to run here: no stickers, no files.
        let deps = Deps {
            media: Some(Arc::new(chorus_message::seams::NoMedia)),
            ..Deps::default()
        };
        let app = App::build(cfg.clone(), deps, shutdown.clone()).await?;
        let message_grpc = format!("http://{}", app.grpc_addr);
        let migrated = app.migrated.clone();
        let db = app.state.db.clone();
        let (base, task) = serve(app.router.clone(), app.health.clone(), shutdown.clone()).await?;
        servers.push(task);
        let stop = shutdown.clone();
        servers.push(tokio::spawn(async move {
            stop.cancelled().await;
            app.stopped().await;
        }));

        let events = Recorder::default();
        let probe = env.queue("probe");
        let h = Self {
            env,
            base,
            auth,
            message_grpc,
            http: reqwest::Client::new(),
            membership,
            db,
            events: events.clone(),
            alice,
            bob,
            carol,
            shutdown,
            servers,
        };
        eventually("message migrations", || async { migrated.is_done() }).await?;
        Consumer::new(
            h.db.clone(),
            cfg.amqp.clone(),
            ConsumerSpec {
                queue: probe,
                event_types: vec!["#".into()],
                single_active: false,
                ..Default::default()
            },
            Arc::new(events),
        )
        .spawn(h.shutdown.clone());
        h.probe_ready().await?;
        Ok(h)
    }

    /// Publishes pings through the service's outbox until the probe sees one,
    /// so no later event can be missed for want of a bound queue.
    async fn probe_ready(&self) -> anyhow::Result<()> {
        for _ in 0..100 {
            let mut tx = self.db.begin().await?;
            chorus_events::enqueue(
                &mut tx,
                "test",
                "test.ping",
                &chorus_proto::message::v1::MessageUnpinned::default(),
            )
            .await?;
            tx.commit().await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            if !self.events_of("test.ping").is_empty() {
                return Ok(());
            }
        }
        anyhow::bail!("the probe consumer never received an event")
    }

    /// Turns a user's read receipts on or off, as their settings would in auth.
    pub fn read_receipts(&self, user: &User, enabled: bool) -> anyhow::Result<()> {
        self.auth
            .update(user.id, |u| u.read_receipts_enabled = enabled)
    }

    /// Creates (or replaces) a chat in the fake chat service.
    pub fn chat(&self, id: i64, kind: &str, members: &[(&User, &str)]) {
        let members: Vec<(i64, &str)> = members.iter().map(|(u, role)| (u.id, *role)).collect();
        self.membership.chat(id, kind, &members);
    }

    pub fn remove_member(&self, chat: i64, user: &User) {
        self.membership.leave(chat, user.id);
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        user: &User,
        body: Option<Value>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&user.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        };
        Ok((status, value))
    }

    pub async fn get(&self, path: &str, user: &User) -> anyhow::Result<(StatusCode, Value)> {
        self.call(reqwest::Method::GET, path, user, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        user: &User,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        self.call(reqwest::Method::POST, path, user, Some(body))
            .await
    }

    /// Sends a text message and returns its id.
    pub async fn send(&self, chat: i64, user: &User, content: &str) -> anyhow::Result<i64> {
        let (status, body) = self
            .post(
                &format!("/chats/{chat}/messages"),
                user,
                json!({ "content": content }),
            )
            .await?;
        anyhow::ensure!(
            status == StatusCode::CREATED,
            "send failed: {status} {body}"
        );
        body["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no id in {body}"))
    }

    pub fn events_of(&self, event_type: &str) -> Vec<Envelope> {
        self.events
            .0
            .lock()
            .map(|seen| {
                seen.iter()
                    .filter(|e| e.r#type == event_type)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until `n` events of the type arrived, then a little longer to
    /// catch any extra one; returns what arrived.
    pub async fn expect_events(&self, event_type: &str, n: usize) -> anyhow::Result<Vec<Envelope>> {
        eventually(&format!("{n} {event_type} events"), || async {
            self.events_of(event_type).len() >= n
        })
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let seen = self.events_of(event_type);
        anyhow::ensure!(
            seen.len() == n,
            "expected exactly {n} {event_type} events, got {}",
            seen.len()
        );
        Ok(seen)
    }

    pub async fn count(&self, sql: &'static str) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(sql).fetch_one(&self.db).await?)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        for server in self.servers {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(&self.env.id));
        self.env.cleanup().await
    }
}

pub use chorus_testkit::eventually;
