//! Connection-pool and Redis-client health as metrics: every pool made by
//! [`crate::db`] is read at scrape time (`messenger_db_pool_connections` by
//! service and state, `messenger_db_pool_max`), and Redis connection errors and
//! reconnects are counted (`messenger_redis_errors_total`).

use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntCounterVec, IntGaugeVec, Opts};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

/// The pools of this process, by the service (schema) they serve.
static POOLS: LazyLock<Mutex<Vec<(String, PgPool)>>> = LazyLock::new(|| {
    if let Some(collector) = PoolCollector::new() {
        crate::metrics::register_global(Box::new(collector));
    }
    Mutex::new(Vec::new())
});

/// Reads `pool` at every scrape, as `service`'s (pools of one service add up).
pub fn watch_pool(service: &str, pool: &PgPool) {
    if let Ok(mut pools) = POOLS.lock() {
        pools.retain(|(_, p)| !p.is_closed());
        pools.push((service.to_owned(), pool.clone()));
    }
}

struct PoolCollector {
    connections: IntGaugeVec,
    max: IntGaugeVec,
}

impl PoolCollector {
    fn new() -> Option<Self> {
        Some(Self {
            connections: IntGaugeVec::new(
                Opts::new(
                    "messenger_db_pool_connections",
                    "PostgreSQL pool connections by state (in_use, idle)",
                ),
                &["service", "state"],
            )
            .ok()?,
            max: IntGaugeVec::new(
                Opts::new("messenger_db_pool_max", "PostgreSQL pool size limit"),
                &["service"],
            )
            .ok()?,
        })
    }
}

impl Collector for PoolCollector {
    fn desc(&self) -> Vec<&Desc> {
        let mut desc = self.connections.desc();
        desc.extend(self.max.desc());
        desc
    }

    fn collect(&self) -> Vec<MetricFamily> {
        // (size, idle, max) per service.
        let mut by_service: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
        if let Ok(pools) = POOLS.try_lock() {
            for (service, pool) in pools.iter().filter(|(_, p)| !p.is_closed()) {
                let entry = by_service.entry(service.clone()).or_default();
                entry.0 += i64::from(pool.size());
                entry.1 += pool.num_idle() as i64;
                entry.2 += i64::from(pool.options().get_max_connections());
            }
        }
        self.connections.reset();
        self.max.reset();
        for (service, (size, idle, max)) in by_service {
            self.connections
                .with_label_values(&[service.as_str(), "in_use"])
                .set((size - idle).max(0));
            self.connections
                .with_label_values(&[service.as_str(), "idle"])
                .set(idle);
            self.max.with_label_values(&[service.as_str()]).set(max);
        }
        let mut families = self.connections.collect();
        families.extend(self.max.collect());
        families
    }
}

static REDIS_ERRORS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let c = crate::metrics::global(IntCounterVec::new(
        Opts::new(
            "messenger_redis_errors_total",
            "Redis client connection errors and reconnects",
        ),
        &["kind"],
    ));
    for kind in ["connection", "reconnect"] {
        c.with_label_values(&[kind]);
    }
    c
});

/// Counts `client`'s connection errors and reconnects (needs a Tokio runtime;
/// outside one nothing is counted).
pub fn watch_redis(client: &fred::prelude::Client) {
    use fred::interfaces::EventInterface;
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let errors = REDIS_ERRORS.clone();
    client.on_error(move |_| {
        errors.with_label_values(&["connection"]).inc();
        async { Ok(()) }
    });
    let reconnects = REDIS_ERRORS.clone();
    client.on_reconnect(move |_| {
        reconnects.with_label_values(&["reconnect"]).inc();
        async { Ok(()) }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collectors_are_valid() {
        assert!(PoolCollector::new().is_some());
        REDIS_ERRORS.with_label_values(&["connection"]).inc();
    }
}
