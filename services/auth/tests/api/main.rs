//! The auth service in-process against the real PostgreSQL, Redis and RabbitMQ:
//! moderation through gRPC and its effect on HTTP, batched lookups, start-up
//! with the database down, and `presence.seen` moving `last_activity`.

use chorus_auth::{App, AuthConfig};
use chorus_kit::metrics::Metrics;
use chorus_proto::auth::v1 as pb;
use chorus_testkit::{TcpGate, TestEnv, eventually};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

struct Harness {
    env: TestEnv,
    base: String,
    grpc: String,
    http: reqwest::Client,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<()>,
}

fn config(env: &TestEnv, db_url: &str) -> AuthConfig {
    let mut cfg = AuthConfig {
        http_addr: "127.0.0.1:0".into(),
        grpc_addr: "127.0.0.1:0".into(),
        ..AuthConfig::default()
    };
    cfg.db.url = db_url.to_string().into();
    cfg.redis.url = env.redis_url.clone();
    cfg.redis.prefix = env.redis_prefix.clone();
    cfg.amqp.url = env.amqp_url.clone();
    cfg.amqp.exchange = env.exchange.clone();
    // The presence.seen consumer's queue is the test's own (and removed with it).
    cfg.amqp.queue_prefix = format!("{}.", env.id);
    cfg.amqp.declare_topology = false;
    // Every consumer queue (registered for cleanup); alone, the relay need not declare them.
    for purpose in chorus_events::topology::purposes() {
        env.queue(purpose);
    }
    cfg.jwt.dev_key_dir = Some(std::env::temp_dir().join(&env.id));
    cfg
}

impl Harness {
    async fn start_with(env: TestEnv, db_url: &str) -> anyhow::Result<Self> {
        let cfg = config(&env, db_url);
        let shutdown = CancellationToken::new();
        // Media is not ours to run here: no file exists.
        let seams = chorus_auth::app::Seams {
            media: Some(std::sync::Arc::new(chorus_auth::seams::NoMedia)),
            ..Default::default()
        };
        let app = App::build(cfg.clone(), seams, true, shutdown.clone()).await?;
        let grpc = format!("http://{}", app.grpc_addr);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let router = chorus_kit::http::public_router(
            app.router.clone(),
            chorus_auth::openapi(),
            app.health.clone(),
            Metrics::new()?,
            &cfg.public,
        );
        let stop = shutdown.clone();
        let server = tokio::spawn(async move {
            let _ = chorus_kit::http::serve(listener, router, stop).await;
            app.stopped().await;
        });
        Ok(Self {
            env,
            base,
            grpc,
            http: reqwest::Client::new(),
            shutdown,
            server,
        })
    }

    async fn start() -> anyhow::Result<Self> {
        let env = TestEnv::new().await?;
        let url = env.database_url.clone();
        let h = Self::start_with(env, &url).await?;
        eventually("the demo users exist", || async {
            h.get("/users/by-username/carol", None).await.map(|r| r.0) == Ok(StatusCode::OK)
        })
        .await?;
        Ok(h)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<(StatusCode, Value), String> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        Ok((status, res.json().await.unwrap_or(Value::Null)))
    }

    async fn post(&self, path: &str, body: Value) -> anyhow::Result<(StatusCode, Value)> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await?;
        let status = res.status();
        Ok((status, res.json().await.unwrap_or(Value::Null)))
    }

    async fn login(&self, username: &str) -> anyhow::Result<(StatusCode, Value)> {
        self.post(
            "/auth/login",
            json!({"username": username, "password": "testpass"}),
        )
        .await
    }

    async fn accounts(
        &self,
    ) -> anyhow::Result<pb::accounts_client::AccountsClient<tonic::transport::Channel>> {
        Ok(pb::accounts_client::AccountsClient::connect(self.grpc.clone()).await?)
    }

    async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.server).await;
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(&self.env.id));
        self.env.cleanup().await
    }
}

fn user_id(login: &Value) -> i64 {
    login["user_id"].as_i64().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_refuses_login_tokens_and_sessions_at_once_and_unblocking_restores_login()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (_, login) = h.login("bob").await?;
    let access = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let refresh = login["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        h.get("/me", Some(&access)).await.map(|r| r.0),
        Ok(StatusCode::OK)
    );

    h.accounts()
        .await?
        .set_blocked(pb::SetBlockedRequest {
            user_id: user_id(&login),
            blocked: true,
        })
        .await?;

    let invalid = (
        StatusCode::UNAUTHORIZED,
        json!({"error": "Invalid or expired token"}),
    );
    assert_eq!(
        h.get("/me", Some(&access)).await,
        Ok(invalid.clone()),
        "an unexpired access token stops working"
    );
    assert_eq!(h.get("/settings", Some(&access)).await, Ok(invalid));
    assert_eq!(
        h.post("/auth/refresh", json!({"refresh_token": refresh}))
            .await?,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid or expired refresh token"})
        )
    );
    let blocked = (
        StatusCode::FORBIDDEN,
        json!({"error": "Account blocked. Contact support."}),
    );
    assert_eq!(h.login("bob").await?, blocked.clone());
    assert_eq!(
        h.post(
            "/auth/login",
            json!({"username": "bob", "password": "wrong"})
        )
        .await?,
        blocked,
        "blocked is checked before the password"
    );

    h.accounts()
        .await?
        .set_blocked(pb::SetBlockedRequest {
            user_id: user_id(&login),
            blocked: false,
        })
        .await?;
    let (status, again) = h.login("bob").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        h.get("/me", again["access_token"].as_str())
            .await
            .map(|r| r.0),
        Ok(StatusCode::OK)
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soft_deleted_user_disappears_from_lookups_and_cannot_log_in() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (_, login) = h.login("carol").await?;
    let access = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (_, bob) = h.login("bob").await?;
    let bob_access = bob["access_token"].as_str().unwrap_or_default().to_string();
    let id = user_id(&login);

    h.accounts()
        .await?
        .soft_delete(pb::SoftDeleteRequest { user_id: id })
        .await?;

    assert_eq!(
        h.login("carol").await?,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid credentials"})
        )
    );
    assert_eq!(
        h.get("/me", Some(&access)).await.map(|r| r.0),
        Ok(StatusCode::UNAUTHORIZED)
    );
    let not_found = (StatusCode::NOT_FOUND, json!({"error": "User not found"}));
    assert_eq!(
        h.get(&format!("/users/{id}"), Some(&bob_access)).await,
        Ok(not_found.clone())
    );
    assert_eq!(h.get("/users/by-username/carol", None).await, Ok(not_found));
    let (_, found) = h
        .get("/users/search?q=carol", Some(&bob_access))
        .await
        .map_err(anyhow::Error::msg)?;
    assert_eq!(found, json!([]));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_services_get_keys_and_users_in_one_batched_call() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let jwks = pb::keys_client::KeysClient::connect(h.grpc.clone())
        .await?
        .get_jwks(pb::GetJwksRequest {})
        .await?
        .into_inner();
    let (_, http_jwks) = h
        .get("/.well-known/jwks.json", None)
        .await
        .map_err(anyhow::Error::msg)?;
    assert_eq!(jwks.keys.len(), 1);
    assert_eq!(json!(jwks.keys[0].kid), http_jwks["keys"][0]["kid"]);
    assert_eq!(json!(jwks.keys[0].x), http_jwks["keys"][0]["x"]);

    let mut users = pb::users_client::UsersClient::connect(h.grpc.clone()).await?;
    let many = users
        .get_many(pb::GetManyUsersRequest {
            ids: vec![1, 2, 3, 2, 999_999],
        })
        .await?
        .into_inner();
    let mut names: Vec<String> = many.users.iter().map(|u| u.username.clone()).collect();
    names.sort();
    assert_eq!(names, ["alice", "bob", "chorus_support"]);
    let support = many
        .users
        .iter()
        .find(|u| u.id == 1)
        .map(|u| (u.is_admin, u.last_seen_visibility.clone()));
    assert_eq!(support, Some((true, "everyone".to_string())));
    let too_many = users
        .get_many(pb::GetManyUsersRequest {
            ids: (1..=1001).collect(),
        })
        .await;
    assert_eq!(
        too_many.map(|_| ()).map_err(|s| s.code()),
        Err(tonic::Code::InvalidArgument)
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_database_down_the_service_starts_degraded_and_recovers_by_itself()
-> anyhow::Result<()> {
    let env = TestEnv::new().await?;
    let gate = TcpGate::start("127.0.0.1:5432".parse()?).await?;
    gate.close();
    let url = env
        .database_url
        .replace("127.0.0.1:5432", &gate.addr.to_string());
    let h = Harness::start_with(env, &url).await?;

    let (status, health) = h.get("/health", None).await.map_err(anyhow::Error::msg)?;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["checks"]["auth.postgres"]["status"], "down");
    let (status, body) = h.login("bob").await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "Internal error"})
        )
    );

    gate.open();
    eventually("auth is healthy again", || async {
        h.get("/health", None).await.map(|r| r.0) == Ok(StatusCode::OK)
    })
    .await?;
    eventually("bob can log in again", || async {
        h.login("bob").await.map(|r| r.0).ok() == Some(StatusCode::OK)
    })
    .await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_seen_moves_last_activity_forward_but_never_backwards() -> anyhow::Result<()> {
    use chorus_proto::presence::v1::UserSeen;
    let h = Harness::start().await?;
    let amqp = chorus_events::AmqpConfig {
        url: h.env.amqp_url.clone(),
        exchange: h.env.exchange.clone(),
        ..Default::default()
    };
    let presence = chorus_events::Publisher::new(amqp, "presence");
    let users = pb::users_client::UsersClient::connect(h.grpc.clone()).await?;
    let id_of = |name: &str| {
        let (mut users, username) = (users.clone(), name.to_string());
        async move {
            let req = pb::GetByUsernameRequest { username };
            anyhow::Ok(users.get_by_username(req).await?.into_inner().id)
        }
    };
    let (carol, bob) = (id_of("carol").await?, id_of("bob").await?);
    let activity = |id: i64| {
        let mut users = users.clone();
        async move {
            let reply = users
                .get_many(pb::GetManyUsersRequest { ids: vec![id] })
                .await
                .ok()?;
            reply.into_inner().users.first()?.last_activity_micros
        }
    };
    // 2030, so newer than anything the demo data or a login wrote.
    let later = 1_900_000_000_000_000;
    let earlier = later - 3_600_000_000;

    // Re-published until applied: the consumer declares its queue after the migrations.
    eventually("the seen event is applied", || async {
        let seen = UserSeen {
            user_id: carol,
            at_micros: later,
        };
        let _ = presence.publish("presence.seen", &seen).await;
        activity(carol).await == Some(later)
    })
    .await?;

    let older = UserSeen {
        user_id: carol,
        at_micros: earlier,
    };
    presence.publish("presence.seen", &older).await?;
    // Events are applied in order: once bob's (published after) is in, carol's was handled.
    let marker = UserSeen {
        user_id: bob,
        at_micros: later,
    };
    presence.publish("presence.seen", &marker).await?;
    eventually("bob's last activity moved", || async {
        activity(bob).await == Some(later)
    })
    .await?;
    assert_eq!(activity(carol).await, Some(later), "never moves backwards");
    h.stop().await
}
