//! Test isolation against the real PostgreSQL, Redis and RabbitMQ: every test gets
//! its own database, its own Redis key prefix and its own exchange and queue names,
//! all starting with `chorus_t_`, and removes them in [`TestEnv::cleanup`]
//! (`scripts/purge-test-leftovers.sh` sweeps whatever a failed test left).
//! Also a [`TcpGate`] that cuts, stalls and restores a dependency's
//! connections, and fakes of our own gRPC services so a service's tests need
//! not run its peers: [`FakeAuth`] (token issuer, `Keys` and `Users`),
//! [`FakeMembership`] (chat's `Membership`) and [`FakeUnread`] (message's
//! `Unread`). Each fake is checked against the real service by one contract
//! run against both. [`servers`] runs a RabbitMQ node of a test's own.

mod auth;
mod gate;
mod in_process;
mod membership;
pub mod servers;
mod unread;

pub use auth::{ACCESS_TTL_SECS, FakeAuth, TestUser, TokenIssuer};
pub use gate::TcpGate;
pub use membership::FakeMembership;
pub use servers::PrivateRabbit;
pub use unread::{FakeUnread, MAX_SUMMARY_CHATS};

use fred::prelude::*;
use lapin::options::{ExchangeDeleteOptions, QueueDeleteOptions};
use sqlx::{Connection, PgConnection};
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

/// Polls `check` every 50 ms until it holds, for up to a minute (a broker or
/// database restart included); the error names `what` was waited for.
pub async fn eventually<F, Fut>(what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !check().await {
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// Base URLs of the shared servers (the Makefile sets them; defaults match it).
pub fn admin_database_url() -> String {
    env_or(
        "CHORUS_TEST_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    )
}
pub fn redis_url() -> String {
    env_or("CHORUS_TEST_REDIS_URL", "redis://127.0.0.1:6379")
}
pub fn amqp_url() -> String {
    env_or(
        "CHORUS_TEST_AMQP_URL",
        "amqp://guest:guest@127.0.0.1:5672/%2f",
    )
}

/// A login role (not a superuser: superusers ignore connection limits) that
/// may hold at most `limit` connections at once, across databases. Trust
/// authentication on the test server is assumed, as for the admin URL.
pub async fn create_limited_role(name: &str, limit: u32) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(&admin_database_url()).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE ROLE {name} LOGIN NOSUPERUSER CONNECTION LIMIT {limit}"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// Drops a role made by [`create_limited_role`] (after its databases are gone).
pub async fn drop_role(name: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(&admin_database_url()).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP ROLE IF EXISTS {name}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// One test's private slice of every shared server.
pub struct TestEnv {
    /// `chorus_t_<hex>`: database name, key prefix and exchange name all derive from it.
    pub id: String,
    pub database_url: String,
    pub redis_url: String,
    pub redis_prefix: String,
    pub amqp_url: String,
    pub exchange: String,
    queues: Mutex<Vec<String>>,
}

impl TestEnv {
    /// Creates a fresh, empty database for this test.
    pub async fn new() -> anyhow::Result<Self> {
        let id = format!("chorus_t_{}", uuid::Uuid::new_v4().simple());
        let admin = admin_database_url();
        let mut conn = PgConnection::connect(&admin).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {id}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let database_url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{id}"),
            None => anyhow::bail!("CHORUS_TEST_DATABASE_URL has no database path"),
        };
        Ok(Self {
            database_url,
            redis_url: redis_url(),
            redis_prefix: format!("{id}:"),
            amqp_url: amqp_url(),
            exchange: format!("{id}.events"),
            queues: Mutex::new(Vec::new()),
            id,
        })
    }

    /// Hands the test's database to `role` (which must exist) and returns the URL
    /// that connects as that role: its connection limit then applies.
    pub async fn database_as(&self, role: &str) -> anyhow::Result<String> {
        let mut conn = PgConnection::connect(&admin_database_url()).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {} OWNER TO {role}",
            self.id
        )))
        .execute(&mut conn)
        .await?;
        conn.close().await?;
        let (scheme, rest) = self
            .database_url
            .split_once("://")
            .ok_or_else(|| anyhow::anyhow!("database URL without a scheme"))?;
        let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
        Ok(format!("{scheme}://{role}@{host}"))
    }

    /// A queue name unique to this test, remembered for cleanup (with its `.dlq`).
    pub fn queue(&self, purpose: &str) -> String {
        let name = format!("{}.{purpose}", self.id);
        if let Ok(mut queues) = self.queues.lock() {
            queues.push(name.clone());
        }
        name
    }

    /// Drops the database (closing any connection still open), deletes the Redis
    /// keys under the prefix and the test's exchanges and queues.
    pub async fn cleanup(self) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect(&admin_database_url()).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.id
        )))
        .execute(&mut conn)
        .await?;
        conn.close().await?;

        let redis = Client::new(Config::from_url(&self.redis_url)?, None, None, None);
        redis.init().await?;
        let keys: Vec<String> = redis
            .custom(fred::cmd!("KEYS"), vec![format!("{}*", self.redis_prefix)])
            .await?;
        if !keys.is_empty() {
            redis.del::<(), _>(keys).await?;
        }
        redis.quit().await?;

        let amqp =
            lapin::Connection::connect(&self.amqp_url, lapin::ConnectionProperties::default())
                .await?;
        let channel = amqp.create_channel().await?;
        let queues = self.queues.lock().map(|q| q.clone()).unwrap_or_default();
        for queue in queues {
            for name in [queue.clone(), format!("{queue}.dlq")] {
                channel
                    .queue_delete(name.as_str().into(), QueueDeleteOptions::default())
                    .await?;
            }
        }
        for exchange in [self.exchange.clone(), format!("{}.dlx", self.exchange)] {
            channel
                .exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default())
                .await?;
        }
        amqp.close(0, "test done".into()).await?;
        Ok(())
    }
}
