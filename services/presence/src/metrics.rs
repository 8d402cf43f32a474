//! The service's own Prometheus counters. They are created with the app and
//! registered in the process registry by whoever serves `/metrics`
//! ([`crate::App::register_metrics`]).

use prometheus::{IntCounter, IntCounterVec, Opts, Registry};

#[derive(Clone)]
pub struct PresenceMetrics {
    /// Announced transitions by `status` (`online` / `offline`).
    pub transitions: IntCounterVec,
    /// Broadcasts sent by the subject's `visibility`.
    pub broadcasts: IntCounterVec,
    /// Transitions broadcast again (the first attempt had not succeeded), by `status`.
    pub rebroadcasts: IntCounterVec,
    /// Failed steps by `op` (`redis`, `users`, `membership`, `publish`, `seen`).
    pub failures: IntCounterVec,
    /// `presence.seen` events dropped because the queue to the publisher was full.
    pub seen_dropped: IntCounter,
    /// Edge nodes declared dead.
    pub nodes_reaped: IntCounter,
}

impl PresenceMetrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        Ok(Self {
            transitions: IntCounterVec::new(
                Opts::new(
                    "messenger_presence_transitions_total",
                    "Presence transitions announced, by status",
                ),
                &["status"],
            )?,
            broadcasts: IntCounterVec::new(
                Opts::new(
                    "messenger_presence_broadcasts_total",
                    "Presence broadcasts published, by the subject's visibility",
                ),
                &["visibility"],
            )?,
            rebroadcasts: IntCounterVec::new(
                Opts::new(
                    "messenger_presence_rebroadcasts_total",
                    "Presence transitions broadcast again because the first attempt had not succeeded, by status",
                ),
                &["status"],
            )?,
            failures: IntCounterVec::new(
                Opts::new(
                    "messenger_presence_failures_total",
                    "Failed presence steps, by operation",
                ),
                &["op"],
            )?,
            seen_dropped: IntCounter::new(
                "messenger_presence_seen_dropped_total",
                "presence.seen events dropped because the publisher fell behind",
            )?,
            nodes_reaped: IntCounter::new(
                "messenger_presence_nodes_reaped_total",
                "Edge nodes declared dead after missing their heartbeats",
            )?,
        })
    }

    pub fn register(&self, registry: &Registry) -> Result<(), prometheus::Error> {
        // Every operation's series exists (at zero) before its first failure.
        for op in ["redis", "users", "membership", "publish", "seen"] {
            self.failures.with_label_values(&[op]);
        }
        registry.register(Box::new(self.transitions.clone()))?;
        registry.register(Box::new(self.broadcasts.clone()))?;
        registry.register(Box::new(self.rebroadcasts.clone()))?;
        registry.register(Box::new(self.failures.clone()))?;
        registry.register(Box::new(self.seen_dropped.clone()))?;
        registry.register(Box::new(self.nodes_reaped.clone()))?;
        Ok(())
    }

    pub fn failed(&self, op: &str) {
        self.failures.with_label_values(&[op]).inc();
    }
}
