//! The event pipeline's metrics, process-wide and labelled by service (the
//! outbox's schema) or queue: outbox backlog and age, relay publishes and
//! confirm latency, consumer processing time, lag, outcomes and redeliveries.

use chorus_kit::metrics::global;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts};
use std::sync::LazyLock;

const LATENCY: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

fn counter(name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    global(IntCounterVec::new(Opts::new(name, help), labels))
}

fn gauge(name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    global(IntGaugeVec::new(Opts::new(name, help), labels))
}

fn histogram(name: &str, help: &str, labels: &[&str]) -> HistogramVec {
    global(HistogramVec::new(
        HistogramOpts::new(name, help).buckets(LATENCY.to_vec()),
        labels,
    ))
}

pub(crate) struct Pipeline {
    pub outbox_backlog: IntGaugeVec,
    pub outbox_oldest_age: IntGaugeVec,
    pub relay_published: IntCounterVec,
    pub relay_returned: IntCounterVec,
    pub relay_publish_seconds: HistogramVec,
    pub consumer_events: IntCounterVec,
    pub consumer_redeliveries: IntCounterVec,
    pub consumer_dead_letters: IntCounterVec,
    pub consumer_processing_seconds: HistogramVec,
    pub consumer_lag_seconds: HistogramVec,
    pub processed_events_swept: IntCounterVec,
}

pub(crate) static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| Pipeline {
    outbox_backlog: gauge(
        "messenger_outbox_backlog",
        "Outbox rows not yet published (counted up to 100 000)",
        &["service"],
    ),
    outbox_oldest_age: gauge(
        "messenger_outbox_oldest_age_seconds",
        "Age of the oldest unpublished outbox row",
        &["service"],
    ),
    relay_published: counter(
        "messenger_relay_published_total",
        "Events the relay published and the broker confirmed",
        &["service"],
    ),
    relay_returned: counter(
        "messenger_relay_returned_total",
        "Events the broker returned as unroutable (no queue binds their type; the log names it)",
        &["service"],
    ),
    relay_publish_seconds: histogram(
        "messenger_relay_publish_seconds",
        "From publishing a batch to the broker's last confirm",
        &["service"],
    ),
    consumer_events: counter(
        "messenger_consumer_events_total",
        "Deliveries handled, by outcome (ack, dead_letter, retry)",
        &["queue", "outcome"],
    ),
    consumer_redeliveries: counter(
        "messenger_consumer_redeliveries_total",
        "Deliveries the broker marked as redelivered",
        &["queue"],
    ),
    consumer_dead_letters: counter(
        "messenger_consumer_dead_letters_total",
        "Deliveries sent to the dead-letter queue",
        &["queue"],
    ),
    consumer_processing_seconds: histogram(
        "messenger_consumer_processing_seconds",
        "Time to apply one delivery",
        &["queue"],
    ),
    consumer_lag_seconds: histogram(
        "messenger_consumer_lag_seconds",
        "From the event's occurrence to the start of its processing",
        &["queue"],
    ),
    processed_events_swept: counter(
        "messenger_processed_events_swept_total",
        "processed_events rows deleted by the retention sweep",
        &["queue"],
    ),
});

/// Unused singletons would never appear; these are touched at start so the
/// dashboards find every series (at zero) before the first event.
pub fn touch(service: &str) {
    let p = &*PIPELINE;
    p.outbox_backlog.with_label_values(&[service]);
    p.outbox_oldest_age.with_label_values(&[service]);
    p.relay_published.with_label_values(&[service]);
    p.relay_returned.with_label_values(&[service]);
    p.relay_publish_seconds.with_label_values(&[service]);
}

pub(crate) fn touch_queue(queue: &str) {
    let p = &*PIPELINE;
    for outcome in ["ack", "dead_letter", "retry"] {
        p.consumer_events.with_label_values(&[queue, outcome]);
    }
    p.consumer_redeliveries.with_label_values(&[queue]);
    p.consumer_dead_letters.with_label_values(&[queue]);
    p.consumer_processing_seconds.with_label_values(&[queue]);
    p.consumer_lag_seconds.with_label_values(&[queue]);
}

/// How many deliveries of `queue` ended with `outcome` (`ack`, `dead_letter`,
/// `retry`) in this process: what tests and health reports read.
pub fn handled(queue: &str, outcome: &str) -> u64 {
    PIPELINE
        .consumer_events
        .with_label_values(&[queue, outcome])
        .get()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_collectors_are_valid() {
        super::touch("svc");
        super::touch_queue("svc.purpose");
        assert_eq!(super::handled("svc.purpose", "ack"), 0);
    }
}
