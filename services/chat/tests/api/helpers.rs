//! The harness: the chat service in process against the real PostgreSQL, Redis
//! and RabbitMQ (one `TestEnv` per test) behind the public router; fakes for
//! what is not ours to run (auth's tokens, keys and `Users` from testkit's
//! `FakeAuth`, presence, media, the message service's `Unread` from testkit's
//! `FakeUnread`); and an event probe on the test's exchange.

use crate::fakes::{FakeMedia, FakePresence};
use crate::probe::{Collect, Probe};
use chorus_chat::{App, ChatConfig, Deps};
use chorus_events::{Consumer, ConsumerSpec, Envelope};
use chorus_kit::metrics::Metrics;
use chorus_testkit::{FakeAuth, FakeUnread, TestEnv};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The chat event types the probe listens to.
pub const CHAT_EVENTS: [&str; 6] = [
    "chat.created",
    "chat.updated",
    "chat.deleted",
    "member.joined",
    "member.left",
    "member.role_changed",
];
pub const SENTINEL: &str = "probe.sentinel";

#[derive(Default)]
pub struct Options {
    pub load_demo: bool,
    /// Leave the message service unreachable (no fake `Unread` server).
    pub no_message_service: bool,
    /// Use the default seams (nobody online, no files) instead of the fakes.
    pub default_seams: bool,
}

pub struct User {
    pub id: i64,
    pub token: String,
}

pub struct Harness {
    pub env: TestEnv,
    pub base: String,
    pub chat_grpc: String,
    pub http: reqwest::Client,
    pub pool: PgPool,
    pub presence: FakePresence,
    pub unread: FakeUnread,
    pub cfg: ChatConfig,
    /// Issues the tokens; answers `Keys` and `Users` in place of the auth service.
    pub auth: FakeAuth,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<()>,
}

impl Harness {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let shutdown = CancellationToken::new();
        let auth = FakeAuth::start().await?;
        // The demo accounts (CONTRACT §19.1): alice (a global admin), bob and carol.
        for (username, display_name, is_admin) in [
            ("alice", "Alice", true),
            ("bob", "Bob", false),
            ("carol", "Carol", false),
        ] {
            auth.add_user_with(username, |u| {
                u.display_name = Some(display_name.into());
                u.is_admin = is_admin;
            })?;
        }

        let unread = FakeUnread::start().await?;
        let message_grpc_url = if !opts.no_message_service {
            unread.grpc_url()
        } else {
            // Nothing listens on the discard port: the message service is down.
            "http://127.0.0.1:9".to_string()
        };
        let mut cfg = ChatConfig {
            http_addr: "127.0.0.1:0".into(),
            grpc_addr: "127.0.0.1:0".into(),
            auth_grpc_url: auth.grpc_url(),
            message_grpc_url,
            // The default seams (when used) find no media service there.
            media_grpc_url: "http://127.0.0.1:9".into(),
            ..Default::default()
        };
        cfg.db.url = env.database_url.clone().into();
        cfg.redis.url = env.redis_url.clone();
        cfg.redis.prefix = env.redis_prefix.clone();
        cfg.amqp.url = env.amqp_url.clone();
        cfg.amqp.exchange = env.exchange.clone();
        cfg.amqp.queue_prefix = format!("{}.", env.id);
        cfg.amqp.declare_topology = false;
        // Every consumer queue (registered for cleanup); alone, the relay need not declare them.
        for purpose in chorus_events::topology::purposes() {
            env.queue(purpose);
        }

        let presence = FakePresence::default();
        let deps = if opts.default_seams {
            Deps {
                load_demo: opts.load_demo,
                ..Default::default()
            }
        } else {
            Deps {
                load_demo: opts.load_demo,
                presence: Some(Arc::new(presence.clone())),
                media: Some(Arc::new(FakeMedia)),
                ..Default::default()
            }
        };
        let chat = App::build(cfg.clone(), deps, shutdown.clone()).await?;
        let chat_grpc = format!("http://{}", chat.grpc_addr);
        let migrated = chat.migrated.clone();

        let router = chorus_kit::http::public_router(
            chat.router.clone(),
            chorus_chat::openapi(),
            chat.health.clone(),
            Metrics::new()?,
            &cfg.public,
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let stop = shutdown.clone();
        let server = tokio::spawn(async move {
            let _ = chorus_kit::http::serve(listener, router, stop).await;
            chat.stopped().await;
        });
        let pool = chorus_kit::db::connect_lazy(&cfg.db, "chat")?;
        let h = Self {
            env,
            base,
            chat_grpc,
            http: reqwest::Client::new(),
            pool,
            presence,
            unread,
            cfg,
            auth,
            shutdown,
            server,
        };
        chorus_testkit::eventually("the migrations ran", || async { migrated.is_done() }).await?;
        Ok(h)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.server).await;
        drop(self.auth);
        self.pool.close().await;
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(&self.env.id));
        self.env.cleanup().await
    }

    /// One JSON request; the body is `null` when the answer has none.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
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

    /// A request with a raw body and content type (bad-input tests).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: &str,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let res = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await?;
        let status = res.status();
        Ok((status, res.json().await.unwrap_or(Value::Null)))
    }

    pub async fn get(&self, path: &str, u: &User) -> anyhow::Result<(StatusCode, Value)> {
        self.call(Method::GET, path, Some(&u.token), None).await
    }
    pub async fn post(
        &self,
        path: &str,
        u: &User,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        self.call(Method::POST, path, Some(&u.token), Some(body))
            .await
    }
    /// POST without a body.
    pub async fn post_empty(&self, path: &str, u: &User) -> anyhow::Result<(StatusCode, Value)> {
        self.call(Method::POST, path, Some(&u.token), None).await
    }
    pub async fn patch(
        &self,
        path: &str,
        u: &User,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        self.call(Method::PATCH, path, Some(&u.token), Some(body))
            .await
    }
    pub async fn delete(&self, path: &str, u: &User) -> anyhow::Result<(StatusCode, Value)> {
        self.call(Method::DELETE, path, Some(&u.token), None).await
    }

    /// A fresh access token for a user of the fake directory (the demo users
    /// are there from the start), as `POST /auth/login` would give it.
    pub async fn login(&self, username: &str) -> anyhow::Result<User> {
        let u = self.auth.login(username)?;
        Ok(User {
            id: u.id,
            token: u.token,
        })
    }

    /// Adds a fresh user (display name = username, as registration without
    /// one) and returns them with a token.
    pub async fn register(&self, username: &str) -> anyhow::Result<User> {
        let u = self.auth.add_user(username)?;
        Ok(User {
            id: u.id,
            token: u.token,
        })
    }

    /// Creates a group owned by `owner` with `members`; returns its id.
    pub async fn group(&self, owner: &User, title: &str, members: &[&User]) -> anyhow::Result<i64> {
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let (status, body) = self
            .post(
                "/chats",
                owner,
                json!({"type": "group", "title": title, "member_ids": ids}),
            )
            .await?;
        anyhow::ensure!(status == StatusCode::CREATED, "group: {status} {body}");
        body["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no id in {body}"))
    }

    /// Rows of a chat-schema table, to check that failures write nothing.
    pub async fn count(&self, table: &str) -> anyhow::Result<i64> {
        let sql = match table {
            "chats" => "SELECT count(*) FROM chats",
            "chat_members" => "SELECT count(*) FROM chat_members",
            "invites" => "SELECT count(*) FROM invites",
            other => anyhow::bail!("unknown table {other}"),
        };
        Ok(sqlx::query_scalar(sql).fetch_one(&self.pool).await?)
    }

    /// Starts consuming the chat events of this test's exchange.
    pub async fn probe(&self) -> anyhow::Result<Probe> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let queue = self.env.queue("probe");
        let mut event_types: Vec<String> = CHAT_EVENTS.iter().map(|t| t.to_string()).collect();
        event_types.push(SENTINEL.into());
        Consumer::new(
            self.pool.clone(),
            self.cfg.amqp.clone(),
            ConsumerSpec {
                queue,
                event_types,
                single_active: false,
                ..Default::default()
            },
            Arc::new(Collect(seen.clone())),
        )
        .spawn(self.shutdown.clone());
        let probe = Probe {
            seen,
            pool: self.pool.clone(),
        };
        // Until the queue is bound nothing reaches it: announce until a sentinel arrives.
        probe.settle().await?;
        Ok(probe)
    }
}

/// Decodes the payload of the only event of `event_type` in `events`.
pub fn only<M: prost::Message + Default>(
    events: &[Envelope],
    event_type: &str,
) -> anyhow::Result<M> {
    let matching: Vec<&Envelope> = events.iter().filter(|e| e.r#type == event_type).collect();
    anyhow::ensure!(
        matching.len() == 1,
        "expected exactly one {event_type}, got {}: {:?}",
        matching.len(),
        events.iter().map(|e| e.r#type.as_str()).collect::<Vec<_>>()
    );
    let envelope = matching[0];
    anyhow::ensure!(
        envelope.producer == "chat",
        "producer {}",
        envelope.producer
    );
    Ok(M::decode(envelope.payload.as_slice())?)
}

/// `{"error": text}` with its status.
pub fn err(status: StatusCode, text: &str) -> (StatusCode, Value) {
    (status, json!({ "error": text }))
}
