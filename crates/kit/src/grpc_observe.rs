//! What every internal gRPC call records, on both ends: a span named after the
//! method (`chorus.auth.v1.Users/GetMany`) of kind SERVER or CLIENT that carries
//! the W3C trace context in the request metadata, and RED metrics per service
//! and method (`messenger_grpc_{server,client}_*`).

use crate::telemetry::{HeaderExtractor, HeaderInjector, set_remote_parent};
use futures_util::future::BoxFuture;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts};
use std::sync::LazyLock;
use std::task::{Context, Poll};
use std::time::Instant;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;

const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

struct Red {
    requests: IntCounterVec,
    durations: HistogramVec,
}

impl Red {
    fn new(side: &str) -> Self {
        let requests = crate::metrics::global(IntCounterVec::new(
            Opts::new(
                format!("messenger_grpc_{side}_requests_total"),
                format!("gRPC calls ({side} side) by service, method and status code"),
            ),
            &["service", "method", "code"],
        ));
        let durations = crate::metrics::global(HistogramVec::new(
            HistogramOpts::new(
                format!("messenger_grpc_{side}_duration_seconds"),
                format!("gRPC call latency ({side} side)"),
            )
            .buckets(BUCKETS.to_vec()),
            &["service", "method"],
        ));
        Self {
            requests,
            durations,
        }
    }

    fn record(&self, service: &str, method: &str, code: &str, started: Instant) {
        self.requests
            .with_label_values(&[service, method, code])
            .inc();
        self.durations
            .with_label_values(&[service, method])
            .observe(started.elapsed().as_secs_f64());
    }
}

static SERVER: LazyLock<Red> = LazyLock::new(|| Red::new("server"));
static CLIENT: LazyLock<Red> = LazyLock::new(|| Red::new("client"));

/// `grpc-status` of a response that carries it in its headers (errors are sent
/// trailers-only); a unary success sends it in the trailers, as `0`.
fn status_code(headers: &http::HeaderMap) -> &str {
    headers
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("0")
}

/// `/pkg.Service/Method` without the leading slash.
fn method_of(uri: &http::Uri) -> &str {
    uri.path().trim_start_matches('/')
}

/// Which end of a call a wrapped service is.
#[derive(Clone, Copy)]
enum Side {
    /// A Chorus service's server (`service` names it in the metrics).
    Server(&'static str),
    Client,
}

impl Side {
    fn span(self, method: &str) -> tracing::Span {
        match self {
            Side::Server(service) => tracing::info_span!(
                "rpc.server",
                otel.name = %method,
                otel.kind = "server",
                rpc.system = "grpc",
                chorus.service = service,
                rpc.grpc.status_code = tracing::field::Empty,
            ),
            Side::Client => tracing::info_span!(
                "rpc.client",
                otel.name = %method,
                otel.kind = "client",
                rpc.system = "grpc",
                rpc.grpc.status_code = tracing::field::Empty,
            ),
        }
    }

    /// The server continues the caller's trace; the client passes its own on.
    fn propagate(self, span: &tracing::Span, headers: &mut http::HeaderMap) {
        match self {
            Side::Server(_) => set_remote_parent(span, &HeaderExtractor(headers)),
            Side::Client => TraceContextPropagator::new()
                .inject_context(&span.context(), &mut HeaderInjector(headers)),
        }
    }

    /// The code of a call that got no answer: the server's handler failed
    /// (UNKNOWN), or the client could not reach the peer (UNAVAILABLE).
    fn failed_code(self) -> &'static str {
        match self {
            Side::Server(_) => "2",
            Side::Client => "14",
        }
    }

    fn record(self, method: &str, code: &str, started: Instant) {
        match self {
            // A path no service answers (12, Unimplemented) is the caller's
            // choice: it shares one label value.
            Side::Server(service) => {
                let method = if code == "12" { "unknown" } else { method };
                SERVER.record(service, method, code, started);
            }
            Side::Client => {
                let service = method.split('/').next().unwrap_or_default();
                CLIENT.record(service, method, code, started);
            }
        }
    }
}

/// The server layer: one per Chorus service (`service` names it in the metrics).
#[derive(Clone, Copy)]
pub struct ServerLayer {
    pub service: &'static str,
}

impl<S> tower::Layer<S> for ServerLayer {
    type Service = Observed<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Observed {
            inner,
            side: Side::Server(self.service),
        }
    }
}

/// A client channel that records and propagates: the outgoing request carries
/// the current trace context (`traceparent`) under a CLIENT span.
pub fn client<S>(inner: S) -> Observed<S> {
    Observed {
        inner,
        side: Side::Client,
    }
}

/// A server wrapped by [`ServerLayer`] or a channel wrapped by [`client`].
#[derive(Clone)]
pub struct Observed<S> {
    inner: S,
    side: Side,
}

impl<S, B, R> tower::Service<http::Request<B>> for Observed<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<B>) -> Self::Future {
        let side = self.side;
        let method = method_of(req.uri()).to_owned();
        let span = side.span(&method);
        side.propagate(&span, req.headers_mut());
        let started = Instant::now();
        let call = self.inner.call(req);
        Box::pin(
            async move {
                let res = call.await;
                let code = match &res {
                    Ok(res) => status_code(res.headers()),
                    Err(_) => side.failed_code(),
                };
                tracing::Span::current().record("rpc.grpc.status_code", code);
                side.record(&method, code, started);
                res
            }
            .instrument(span),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_code_comes_from_the_headers_or_is_ok() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(status_code(&headers), "0");
        headers.insert("grpc-status", http::HeaderValue::from_static("5"));
        assert_eq!(status_code(&headers), "5");
        headers.insert("grpc-status", http::HeaderValue::from_static("chosen"));
        assert_eq!(status_code(&headers), "0", "never a value a peer chose");
    }

    #[test]
    fn the_collectors_are_valid() {
        SERVER.record("s", "m", "0", Instant::now());
        CLIENT.record("s", "m", "0", Instant::now());
    }
}
