//! The edge's own Prometheus series (registered in the process registry).

use prometheus::{Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry};

#[derive(Clone)]
pub struct EdgeMetrics {
    /// Open authenticated connections (CONTRACT §15.2 `messenger_ws_connections_active`).
    pub connections: IntGauge,
    /// Connections ever opened (§15.2 `messenger_ws_connections_total`).
    pub opened: IntCounter,
    pub frames_sent: IntCounter,
    pub overflows: IntCounter,
    pub fanout_events: IntCounterVec,
    /// From a message's event to its frames queued to this node's sockets.
    pub fanout_lag: Histogram,
    /// Presence transitions dropped as older than one already delivered.
    pub presence_stale: IntCounter,
}

impl EdgeMetrics {
    pub fn new(registry: &Registry) -> Result<Self, prometheus::Error> {
        let connections = IntGauge::new(
            "messenger_ws_connections_active",
            "Authenticated WebSocket connections on this node",
        )?;
        let opened = IntCounter::new(
            "messenger_ws_connections_total",
            "Authenticated WebSocket connections ever opened on this node",
        )?;
        let frames_sent = IntCounter::new(
            "messenger_ws_frames_sent_total",
            "Event frames queued to WebSocket connections",
        )?;
        let overflows = IntCounter::new(
            "messenger_ws_send_queue_overflows_total",
            "Connections closed because their send queue was full",
        )?;
        let fanout_events = IntCounterVec::new(
            Opts::new(
                "messenger_fanout_events_total",
                "Domain events turned into WebSocket frames, by type",
            ),
            &["type"],
        )?;
        let fanout_lag = Histogram::with_opts(
            HistogramOpts::new(
                "messenger_fanout_lag_seconds",
                "From a message's event to its frames queued to this node's WebSocket connections",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ]),
        )?;
        let presence_stale = IntCounter::new(
            "messenger_ws_presence_stale_total",
            "Presence transitions dropped because a newer one of the same user was delivered first",
        )?;
        // A second edge in one process (tests) shares the registry: ignore
        // AlreadyReg and keep counting in the private collectors.
        for collector in [
            Box::new(connections.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(opened.clone()),
            Box::new(frames_sent.clone()),
            Box::new(overflows.clone()),
            Box::new(fanout_events.clone()),
            Box::new(fanout_lag.clone()),
            Box::new(presence_stale.clone()),
        ] {
            match registry.register(collector) {
                Ok(()) | Err(prometheus::Error::AlreadyReg) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(Self {
            connections,
            opened,
            frames_sent,
            overflows,
            fanout_events,
            fanout_lag,
            presence_stale,
        })
    }
}
