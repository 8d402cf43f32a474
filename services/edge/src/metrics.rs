//! The edge's own Prometheus series (registered in the process registry).

use prometheus::{IntCounter, IntCounterVec, IntGauge, Opts, Registry};

#[derive(Clone)]
pub struct EdgeMetrics {
    /// Open authenticated connections (CONTRACT §15.2 `messenger_ws_connections_active`).
    pub connections: IntGauge,
    /// Connections ever opened (§15.2 `messenger_ws_connections_total`).
    pub opened: IntCounter,
    pub frames_sent: IntCounter,
    pub overflows: IntCounter,
    pub fanout_events: IntCounterVec,
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
        // A second edge in one process (tests) shares the registry: ignore
        // AlreadyReg and keep counting in the private collectors.
        for collector in [
            Box::new(connections.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(opened.clone()),
            Box::new(frames_sent.clone()),
            Box::new(overflows.clone()),
            Box::new(fanout_events.clone()),
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
        })
    }
}
