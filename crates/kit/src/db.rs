//! PostgreSQL: a pool bound to the service's own schema, created lazily so a
//! service starts while the database is down, and migrations applied under an
//! advisory lock as soon as the database is reachable.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, migrate::Migrator};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DbConfig {
    /// `postgres://user[:password]@host:port/database`
    #[serde(serialize_with = "expose")]
    pub url: SecretString,
    pub max_connections: u32,
    /// Seconds to wait for a pooled connection before failing the request.
    pub acquire_timeout_secs: u64,
    /// PostgreSQL itself when `url` is a transaction-mode pooler (PgBouncer):
    /// migrations (session advisory locks) and the outbox relay's LISTEN need a
    /// real session. Unset ⇒ they use `url`.
    #[serde(serialize_with = "expose_opt")]
    pub direct_url: Option<SecretString>,
}

fn expose_opt<S: serde::Serializer>(
    secret: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => s.serialize_some(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

fn expose<S: serde::Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

impl Default for DbConfig {
    fn default() -> Self {
        Self {
            url: SecretString::from("postgres://postgres@127.0.0.1:5432/chorus"),
            max_connections: 10,
            acquire_timeout_secs: 3,
            direct_url: None,
        }
    }
}

/// A pool whose connections use `search_path = <schema>, public` and UTC, so
/// timestamps render as the contract wants and each service sees only its tables.
/// JIT is off: these are short OLTP queries, and on a batched query (the chat
/// list's summaries over 500 chats) the planner's JIT compilation cost more than
/// the query itself.
pub fn connect_lazy(cfg: &DbConfig, schema: &str) -> Result<PgPool, sqlx::Error> {
    let opts = options(cfg, schema)?;
    let pool = PgPoolOptions::new()
        .max_connections(cfg.max_connections)
        .acquire_timeout(Duration::from_secs(cfg.acquire_timeout_secs))
        .connect_lazy_with(opts);
    crate::pool_metrics::watch_pool(schema, &pool);
    Ok(pool)
}

/// What every connection of a service's pools sets at connect (see
/// [`connect_lazy`]; PgBouncer's `connect_query` must match, README).
fn session_settings(schema: &str) -> [(&'static str, String); 3] {
    [
        ("search_path", format!("{schema},public")),
        ("timezone", "UTC".into()),
        ("jit", "off".into()),
    ]
}

fn options(cfg: &DbConfig, schema: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(cfg.url.expose_secret())?
        .options(session_settings(schema))
        .application_name(&format!("chorus-{schema}")))
}

/// A pool of tokio-postgres clients with the session settings of
/// [`connect_lazy`], for the hottest statement of the system (the message
/// service's send): through it, chorus spent 0.23–0.27 ms of CPU per durable
/// send, through a sqlx pool 0.29–0.37 ms. Connections open on first use, up
/// to `max_connections`; one the server closed is replaced when next taken.
pub fn connect_tokio_postgres(
    cfg: &DbConfig,
    schema: &str,
) -> Result<deadpool_postgres::Pool, TokioPostgresPoolError> {
    let mut pg = tokio_postgres::Config::from_str(cfg.url.expose_secret())?;
    let settings: Vec<String> = session_settings(schema)
        .iter()
        .map(|(name, value)| format!("-c {name}={value}"))
        .collect();
    pg.options(settings.join(" "))
        .application_name(format!("chorus-{schema}"));
    let manager = deadpool_postgres::Manager::from_config(
        pg,
        tokio_postgres::NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    let timeout = Some(Duration::from_secs(cfg.acquire_timeout_secs));
    Ok(deadpool_postgres::Pool::builder(manager)
        .max_size(cfg.max_connections as usize)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .build()?)
}

#[derive(Debug, thiserror::Error)]
pub enum TokioPostgresPoolError {
    #[error("database url: {0}")]
    Url(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Build(#[from] deadpool_postgres::BuildError),
}

/// The pool for work that needs a real session (migrations, LISTEN): `pool`
/// itself unless `direct_url` is set, else two lazy connections to it that close
/// when idle.
pub fn connect_direct(cfg: &DbConfig, schema: &str, pool: &PgPool) -> Result<PgPool, sqlx::Error> {
    let Some(direct) = &cfg.direct_url else {
        return Ok(pool.clone());
    };
    let direct = DbConfig {
        url: direct.clone(),
        max_connections: 2,
        acquire_timeout_secs: cfg.acquire_timeout_secs,
        direct_url: None,
    };
    let opts = options(&direct, schema)?;
    Ok(PgPoolOptions::new()
        .max_connections(2)
        .min_connections(0)
        .idle_timeout(Duration::from_secs(30))
        .acquire_timeout(Duration::from_secs(direct.acquire_timeout_secs))
        .connect_lazy_with(opts))
}

/// Creates the schema and applies the service's migrations, serialised across
/// instances and services by one session-level advisory lock (extensions are
/// database-wide, so two services creating them at once would collide).
pub async fn migrate(pool: &PgPool, schema: &str, migrator: &Migrator) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    // Polled rather than blocking in `pg_advisory_lock`: waiting for another
    // service's migrations is normal, not a slow statement worth a warning.
    while !sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock(hashtext('chorus.migrate'))")
        .fetch_one(&mut *conn)
        .await?
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Identifiers cannot be bound; the schema name is a compile-time constant of the service.
    let ddl = format!(
        "CREATE EXTENSION IF NOT EXISTS citext SCHEMA public; \
         CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; \
         CREATE SCHEMA IF NOT EXISTS \"{}\";",
        schema.replace('"', "")
    );
    let mut result = sqlx::raw_sql(sqlx::AssertSqlSafe(ddl))
        .execute(&mut *conn)
        .await
        .map(|_| ());
    if result.is_ok() {
        // The pool's connections resolve unqualified names in the service schema,
        // so the migrations and their bookkeeping table land there.
        result = migrator.run(pool).await.map_err(sqlx::Error::from);
    }
    let unlock = sqlx::query("SELECT pg_advisory_unlock(hashtext('chorus.migrate'))")
        .execute(&mut *conn)
        .await;
    result?;
    unlock?;
    Ok(())
}

/// Whether the schema is migrated; readiness reports it, handlers may check it,
/// and background work that needs the tables waits for it.
#[derive(Debug, Clone, Default)]
pub struct Migrated {
    done: Arc<AtomicBool>,
    finished: Arc<tokio::sync::Notify>,
}

impl Migrated {
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Resolves once the migrations are applied.
    pub async fn wait(&self) {
        loop {
            // Registered before the check, so a completion in between still wakes it.
            let finished = self.finished.notified();
            if self.is_done() {
                return;
            }
            finished.await;
        }
    }

    fn mark_done(&self) {
        self.done.store(true, Ordering::Release);
        self.finished.notify_waiters();
    }
}

/// Runs [`migrate`] until it succeeds, retrying with backoff while the database
/// is unreachable, so a service started before its database recovers by itself.
pub fn migrate_in_background(
    pool: PgPool,
    schema: &'static str,
    migrator: &'static Migrator,
) -> Migrated {
    let migrated = Migrated::default();
    let flag = migrated.clone();
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(200);
        loop {
            match migrate(&pool, schema, migrator).await {
                Ok(()) => {
                    flag.mark_done();
                    tracing::info!(schema, "migrations applied");
                    return;
                }
                Err(err) => {
                    tracing::warn!(schema, error = %err, retry_in_ms = delay.as_millis() as u64, "migrations not applied yet");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
    migrated
}

/// Is this error a violation of the named unique constraint?
/// `q` as an `ILIKE` pattern matching it as a plain substring: its own `%`,
/// `_` and `\` match literally (PostgreSQL's default escape is `\`).
pub fn ilike_substring(q: &str) -> String {
    let mut pattern = String::with_capacity(q.len() + 2);
    pattern.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub fn is_unique_violation(err: &sqlx::Error, constraint: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() && db.constraint() == Some(constraint)
        }
        _ => false,
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::ilike_substring;

    #[test]
    fn wildcards_in_the_query_match_literally() {
        assert_eq!(ilike_substring("a_b%c\\"), "%a\\_b\\%c\\\\%");
        assert_eq!(ilike_substring(""), "%%");
        assert_eq!(ilike_substring("5%_\\"), "%5\\%\\_\\\\%");
    }
}
