//! One PostgreSQL connection budget for the services of `chorus all`.
//!
//! Each service keeps its own pool (its connections are bound to its schema),
//! so the process's connections are the sum of the pools. Sized by the services'
//! own defaults that was five pools of 16 — 80 of PostgreSQL's default 100 for
//! one process. Here the budget is split by weight, and no pool exceeds what its
//! service was configured with. Outbox relays hold one LISTEN connection each
//! beyond their pool.

use chorus_kit::db::DbConfig;

/// A service's share of the budget, relative to the others.
pub struct Share<'a> {
    pub service: &'static str,
    pub weight: u32,
    pub db: &'a mut DbConfig,
}

/// Caps every pool at its weighted part of `budget` (at least 2: migrations
/// hold one connection while they run on another).
pub fn split(budget: u32, shares: &mut [Share<'_>]) {
    let total: u32 = shares.iter().map(|s| s.weight).sum::<u32>().max(1);
    for share in shares.iter_mut() {
        let part = (budget * share.weight / total).max(2);
        share.db.max_connections = share.db.max_connections.min(part);
        tracing::debug!(
            service = share.service,
            max_connections = share.db.max_connections,
            "database pool"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(max_connections: u32) -> DbConfig {
        DbConfig {
            max_connections,
            ..DbConfig::default()
        }
    }

    #[test]
    fn the_pools_share_the_budget_by_weight_and_never_grow() {
        let (mut a, mut b, mut c) = (db(16), db(16), db(3));
        split(
            16,
            &mut [
                Share {
                    service: "a",
                    weight: 6,
                    db: &mut a,
                },
                Share {
                    service: "b",
                    weight: 2,
                    db: &mut b,
                },
                Share {
                    service: "c",
                    weight: 8,
                    db: &mut c,
                },
            ],
        );
        assert_eq!(
            (a.max_connections, b.max_connections, c.max_connections),
            (6, 2, 3)
        );
        let mut tiny = db(16);
        split(
            1,
            &mut [Share {
                service: "t",
                weight: 1,
                db: &mut tiny,
            }],
        );
        assert_eq!(tiny.max_connections, 2);
    }
}
