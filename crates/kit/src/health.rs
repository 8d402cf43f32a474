//! `/health`: `200 {"status":"ok","service":…}` when every dependency answers,
//! `503 {"status":"degraded",…}` otherwise, with a report per dependency.
//! `/health/live` answers 200 while the process runs (for restart decisions).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use futures_util::future::BoxFuture;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;

type Probe = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Named readiness probes of one process (all services' dependencies in `chorus all`).
#[derive(Clone, Default)]
pub struct Health {
    service: String,
    probes: Vec<(String, Probe)>,
}

impl Health {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            probes: Vec::new(),
        }
    }

    /// Adds a probe; names are reported as given (`auth.postgres`).
    pub fn add<F>(&mut self, name: impl Into<String>, probe: F)
    where
        F: Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync + 'static,
    {
        self.probes.push((name.into(), Arc::new(probe)));
    }

    /// `name`: PostgreSQL answers and the service's migrations are applied.
    pub fn add_postgres(
        &mut self,
        name: impl Into<String>,
        pool: sqlx::PgPool,
        migrated: crate::db::Migrated,
    ) {
        self.add(name, move || {
            let (pool, migrated) = (pool.clone(), migrated.clone());
            Box::pin(async move {
                sqlx::query("SELECT 1")
                    .execute(&pool)
                    .await
                    .map_err(|e| e.to_string())?;
                if migrated.is_done() {
                    Ok(())
                } else {
                    Err("migrations pending".into())
                }
            })
        });
    }

    /// `name`: Redis answers `PING`.
    pub fn add_redis(&mut self, name: impl Into<String>, client: fred::clients::Client) {
        self.add(name, move || {
            let client = client.clone();
            Box::pin(async move { crate::redis::ping(&client).await.map_err(|e| e.to_string()) })
        });
    }

    /// `name`: a state kept up to date elsewhere (a broker connection), reported
    /// as `down` while `is_up` says false.
    pub fn add_flag<F>(&mut self, name: impl Into<String>, is_up: F, down: &'static str)
    where
        F: Fn() -> bool + Send + Sync + 'static,
    {
        self.add(name, move || {
            let up = is_up();
            Box::pin(async move { if up { Ok(()) } else { Err(down.to_string()) } })
        });
    }

    pub fn merge(&mut self, other: Health) {
        self.probes.extend(other.probes);
    }

    /// Runs every probe concurrently, each bounded by two seconds.
    pub async fn report(&self) -> (bool, HealthReport) {
        let results =
            futures_util::future::join_all(self.probes.iter().map(|(name, probe)| async move {
                let outcome = match tokio::time::timeout(Duration::from_secs(2), probe()).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(err)) => Err(err),
                    Err(_) => Err("timed out".to_string()),
                };
                (name.clone(), outcome)
            }))
            .await;
        let healthy = results.iter().all(|(_, r)| r.is_ok());
        let checks = results
            .into_iter()
            .map(|(name, r)| {
                let check = match r {
                    Ok(()) => Check {
                        status: CheckStatus::Up,
                        error: None,
                    },
                    Err(error) => Check {
                        status: CheckStatus::Down,
                        error: Some(error),
                    },
                };
                (name, check)
            })
            .collect();
        let report = HealthReport {
            status: if healthy {
                HealthStatus::Ok
            } else {
                HealthStatus::Degraded
            },
            service: self.service.clone(),
            checks,
        };
        (healthy, report)
    }
}

/// The body of `/health`: every dependency's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthReport {
    pub status: HealthStatus,
    pub service: String,
    /// One entry per dependency, named `<service>.<dependency>`.
    pub checks: BTreeMap<String, Check>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    pub status: CheckStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Up,
    Down,
}

/// The body of `/health/live`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    pub status: HealthStatus,
    pub service: String,
}

/// Liveness and readiness with a report per dependency.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses(
        (status = 200, description = "Every dependency answers", body = HealthReport),
        (status = 503, description = "A dependency is down", body = HealthReport),
    )
)]
pub async fn health_handler(State(health): State<Health>) -> (StatusCode, Json<HealthReport>) {
    let (healthy, body) = health.report().await;
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// Answers 200 while the process runs (for restart decisions).
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "operations",
    responses((status = 200, description = "The process runs", body = Liveness))
)]
pub async fn live_handler(State(health): State<Health>) -> Json<Liveness> {
    Json(Liveness {
        status: HealthStatus::Ok,
        service: health.service.clone(),
    })
}
