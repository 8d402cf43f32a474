//! Prometheus metrics (CONTRACT §15.2): request counts by method, path and status,
//! latency histograms, rendered in the text exposition format 0.0.4.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use std::time::Instant;

const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's metric registry plus the HTTP metrics every service records.
/// Cheap to clone; services register their own collectors in [`Metrics::registry`].
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "messenger_http_requests_total",
                "HTTP requests by method, path and status",
            ),
            &["method", "path", "status"],
        )?;
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "messenger_http_request_duration_seconds",
                "HTTP request latency",
            )
            .buckets(BUCKETS.to_vec()),
            &["method", "path"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(durations.clone()))?;
        Ok(Self {
            registry,
            requests,
            durations,
        })
    }

    /// The text exposition of every registered collector: the service's own and
    /// the process-wide ones (gRPC, event pipeline, pools).
    pub fn render(&self) -> String {
        let mut families = self.registry.gather();
        families.extend(prometheus::default_registry().gather());
        let mut buf = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&families, &mut buf) {
            tracing::error!(%err, "cannot encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// Registers a process-wide collector (created once, in a `LazyLock`): series of
/// shared code (gRPC, the event pipeline) whose labels name the service.
pub fn register_global(collector: Box<dyn prometheus::core::Collector>) {
    if let Err(err) = prometheus::default_registry().register(collector) {
        tracing::error!(%err, "cannot register a metric");
    }
}

/// A collector of shared code, made once (in a `LazyLock`) and registered
/// process-wide. Names and labels are constants of this code base, so making
/// one fails only for an invalid name: the tests of each module force their
/// collectors, so such a typo fails a test, not a server.
#[allow(clippy::expect_used)]
pub fn global<C: prometheus::core::Collector + Clone + 'static>(
    made: Result<C, prometheus::Error>,
) -> C {
    let collector = made.expect("metric names and labels are valid constants");
    register_global(Box::new(collector.clone()));
    collector
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
pub async fn metrics_handler(State(metrics): State<Metrics>) -> Response {
    let mut res = metrics.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

/// Middleware recording every request except `/health` and `/metrics`.
/// The `path` label is the matched route's template (`/invites/{token}/preview`),
/// never the raw path: a raw segment would publish invite tokens and usernames on
/// `/metrics`, and every distinct one would add series forever. Unrouted requests
/// share one value.
pub async fn track_http(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let raw = req.uri().path();
    if is_ops_path(without_api_prefix(raw)) {
        return next.run(req).await;
    }
    let label = path_label(req.extensions().get::<MatchedPath>().map(|m| m.as_str())).to_owned();
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics
        .requests
        .with_label_values(&[method.as_str(), label.as_str(), status.as_str()])
        .inc();
    metrics
        .durations
        .with_label_values(&[method.as_str(), label.as_str()])
        .observe(start.elapsed().as_secs_f64());
    res
}

fn without_api_prefix(path: &str) -> &str {
    path.strip_prefix("/api")
        .filter(|p| p.starts_with('/'))
        .unwrap_or(path)
}

fn is_ops_path(path: &str) -> bool {
    path == "/health" || path.starts_with("/health/") || path == "/metrics"
}

/// The `path` label: the route template the request matched (the `/api` alias folded
/// into the plain route), or `unmatched`. Only values the code defines can appear.
pub fn path_label(matched: Option<&str>) -> &str {
    matched.map(without_api_prefix).unwrap_or("unmatched")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_is_the_route_template_never_the_raw_path() {
        assert_eq!(
            path_label(Some("/invites/{token}/preview")),
            "/invites/{token}/preview"
        );
        assert_eq!(path_label(Some("/api/chats/{id}")), "/chats/{id}");
        assert_eq!(path_label(Some("/apix")), "/apix");
        assert_eq!(path_label(None), "unmatched");
    }
}
