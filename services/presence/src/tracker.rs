//! The rules of CONTRACT §17 around the store: what each transition sets off
//! (a broadcast, a `presence.seen`), the offline timers firing and the edge
//! nodes that stopped beating. The decisions themselves are made atomically in
//! Redis (`lua/common.lua`); this is what happens after them.

use crate::broadcast::{Broadcaster, Status};
use crate::metrics::PresenceMetrics;
use crate::seen::Seen;
use crate::store::{Change, Store, Transition};
use chorus_kit::Shutdown;
use std::time::Duration;

/// Timers popped per script call.
const TIMER_BATCH: usize = 100;

/// One reported change: a state change, or an activity ping (no state, only
/// `last_activity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    State(Change),
    Activity { user_id: i64 },
}

#[derive(Clone)]
pub struct Tracker {
    pub store: Store,
    pub broadcaster: Broadcaster,
    pub seen: Seen,
    pub metrics: PresenceMetrics,
}

fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

impl Tracker {
    /// Applies one node's reports in order; broadcasts and `presence.seen`
    /// are queued, not awaited.
    pub async fn apply(&self, node: &str, reports: Vec<Report>) -> Result<(), fred::error::Error> {
        let mut changes = Vec::with_capacity(reports.len());
        let now = now_micros();
        for report in reports {
            match report {
                Report::State(change) => changes.push(change),
                Report::Activity { user_id } => self.seen.record(user_id, now),
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let applied = self.store.apply(node, &changes).await.inspect_err(|_| {
            self.metrics.failed("redis");
        })?;
        for a in applied {
            if a.opened {
                self.seen.record(a.user_id, now);
            }
            self.after(a.user_id, a.transition).await;
        }
        Ok(())
    }

    /// What a decided transition sets off.
    async fn after(&self, user_id: i64, transition: Transition) {
        if transition == Transition::Online {
            self.announce(user_id, Status::Online).await;
        }
    }

    async fn announce(&self, user_id: i64, status: Status) {
        self.metrics
            .transitions
            .with_label_values(&[status.label()])
            .inc();
        self.broadcaster.send(user_id, status).await;
    }

    /// Records a node's heartbeat; true when it must resync.
    pub async fn heartbeat(&self, node: &str) -> Result<bool, fred::error::Error> {
        self.store.heartbeat(node).await.inspect_err(|_| {
            self.metrics.failed("redis");
        })
    }

    /// Fires the due offline timers, then closes the connections of dead nodes.
    pub async fn tick(&self) -> Result<(), fred::error::Error> {
        loop {
            let offline = self.store.due_offline(TIMER_BATCH).await?;
            let now = now_micros();
            for user_id in &offline {
                self.announce(*user_id, Status::Offline).await;
                self.seen.record(*user_id, now);
            }
            if offline.len() < TIMER_BATCH {
                break;
            }
        }
        while let Some((node, closed)) = self.store.reap().await? {
            self.metrics.nodes_reaped.inc();
            tracing::warn!(
                node,
                connections = closed.len(),
                "edge node stopped beating; its connections are closed"
            );
            for (user_id, transition) in closed {
                self.after(user_id, transition).await;
            }
        }
        Ok(())
    }

    /// Runs [`Tracker::tick`] every `period` until `shutdown`; a Redis outage is
    /// logged once, not every tick.
    pub async fn run_ticks(self, period: Duration, shutdown: Shutdown) {
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = interval.tick() => {}
            }
            match self.tick().await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("presence timers running again");
                }
                Ok(()) => {}
                Err(err) => {
                    self.metrics.failed("redis");
                    if !failing {
                        failing = true;
                        tracing::warn!(error = %err, "presence timers cannot reach Redis");
                    }
                }
            }
        }
    }
}
