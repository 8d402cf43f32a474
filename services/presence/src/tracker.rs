//! The rules of CONTRACT §17 around the store: what each transition sets off
//! (a broadcast, a `presence.seen`), the offline timers firing, the edge
//! nodes that stopped beating and the broadcasts to attempt again. The
//! decisions themselves are made atomically in Redis (`lua/common.lua`); this
//! is what happens after them.

use crate::broadcast::Broadcaster;
use crate::metrics::PresenceMetrics;
use crate::seen::Seen;
use crate::store::{Change, Store, Transition};
use chorus_kit::Shutdown;
use std::time::Duration;

/// Timers (and broadcasts to retry) popped per script call.
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
            if let Some(online) = a.online {
                self.announce(online).await;
            }
        }
        Ok(())
    }

    async fn announce(&self, transition: Transition) {
        self.metrics
            .transitions
            .with_label_values(&[transition.status.label()])
            .inc();
        self.broadcaster.send(transition).await;
    }

    /// Records a node's heartbeat; true when it must resync.
    pub async fn heartbeat(&self, node: &str) -> Result<bool, fred::error::Error> {
        self.store.heartbeat(node).await.inspect_err(|_| {
            self.metrics.failed("redis");
        })
    }

    /// Fires the due offline timers, closes the connections of dead nodes,
    /// then broadcasts again the transitions whose broadcast did not succeed
    /// in time (a failed lookup or publish, a call or an instance that died
    /// between the decision and its broadcast).
    pub async fn tick(&self) -> Result<(), fred::error::Error> {
        loop {
            let offline = self.store.due_offline(TIMER_BATCH).await?;
            let now = now_micros();
            for transition in &offline {
                self.announce(*transition).await;
                self.seen.record(transition.user_id, now);
            }
            if offline.len() < TIMER_BATCH {
                break;
            }
        }
        while let Some((node, connections)) = self.store.reap().await? {
            self.metrics.nodes_reaped.inc();
            tracing::warn!(
                node,
                connections,
                "edge node stopped beating; its connections are closed"
            );
        }
        loop {
            let retries = self.store.due_retries(TIMER_BATCH).await?;
            if retries.given_up > 0 {
                tracing::warn!(
                    count = retries.given_up,
                    "presence broadcasts given up: they kept failing"
                );
            }
            for transition in &retries.due {
                self.metrics
                    .rebroadcasts
                    .with_label_values(&[transition.status.label()])
                    .inc();
                self.broadcaster.send(*transition).await;
            }
            if retries.due.len() < TIMER_BATCH {
                break;
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
