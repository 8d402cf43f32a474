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

    /// The text exposition of every registered collector.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            tracing::error!(%err, "cannot encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
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
/// Unrouted requests share one `path` label so scanners cannot explode cardinality.
pub async fn track_http(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let path = path
        .strip_prefix("/api")
        .filter(|p| p.starts_with('/'))
        .unwrap_or(path);
    if path == "/health" || path.starts_with("/health/") || path == "/metrics" {
        return next.run(req).await;
    }
    let label = if req.extensions().get::<MatchedPath>().is_some() {
        path_label(path)
    } else {
        "unmatched".to_string()
    };
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

/// The request path with every all-digit segment replaced by `{id}`.
pub fn path_label(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_segments_become_id() {
        assert_eq!(
            path_label("/chats/12/messages/7"),
            "/chats/{id}/messages/{id}"
        );
        assert_eq!(path_label("/users/search"), "/users/search");
        assert_eq!(path_label("/users/12a"), "/users/12a");
    }
}
