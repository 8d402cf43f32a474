//! Tracing: `tracing-subscriber` to stderr (filter from `RUST_LOG`), plus OTLP
//! export when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. W3C trace context is carried
//! across HTTP headers, gRPC metadata and AMQP headers / event envelopes through
//! the helpers below, so one trace follows a change from request to delivery.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{TraceContextExt as _, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

static EXPORTING: AtomicBool = AtomicBool::new(false);

/// Whether spans leave the process (OTLP configured). Per-message work that
/// only serves traces (context in fan-out payloads, spans per socket write)
/// is skipped when they do not.
pub fn exporting() -> bool {
    EXPORTING.load(Ordering::Relaxed)
}

/// Keeps the exporter alive; flushes pending spans when dropped.
pub struct TelemetryGuard(Option<SdkTracerProvider>);

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.0.take()
            && let Err(err) = provider.shutdown()
        {
            tracing::warn!(%err, "trace exporter did not shut down cleanly");
        }
    }
}

/// Installs the global subscriber once per process. Safe to call again (tests):
/// later calls keep the first subscriber. Logs and traces are filtered apart:
/// `RUST_LOG` quiets the logs without losing spans, `OTEL_TRACES_FILTER`
/// (same syntax, default `info` for our crates) chooses the exported spans.
pub fn init(service: &str) -> TelemetryGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,lapin=error,fred=warn,h2=warn,tower=warn")
    });
    let fmt = tracing_subscriber::fmt::layer()
        .with_target(true)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .with_filter(filter);
    let traces_filter = std::env::var("OTEL_TRACES_FILTER")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("warn,chorus=info,chorus_kit=info,chorus_events=info,chorus_auth=info,chorus_chat=info,chorus_message=info,chorus_media=info,chorus_edge=info,chorus_presence=info,chorus_admin=info"));
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());

    let provider = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .ok()
        .and_then(|_| {
            let make = || {
                opentelemetry_otlp::SpanExporter::builder()
                    .with_tonic()
                    .build()
            };
            match crate::trace_export::ByService::new(service, make) {
                Ok(exporter) => Some(
                    SdkTracerProvider::builder()
                        .with_batch_exporter(exporter)
                        .with_resource(crate::trace_export::resource(
                            &crate::trace_export::service_name(service),
                        ))
                        .build(),
                ),
                Err(err) => {
                    eprintln!("OTLP exporter disabled: {err}");
                    None
                }
            }
        });
    EXPORTING.store(provider.is_some(), Ordering::Relaxed);
    let otel = provider.as_ref().map(|p| {
        opentelemetry::global::set_tracer_provider(p.clone());
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("chorus"))
            .with_filter(traces_filter)
            .boxed()
    });
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(otel)
        .try_init();
    TelemetryGuard(provider)
}

/// The current span's W3C trace context, for an outgoing message or call.
pub fn current_context() -> HashMap<String, String> {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&tracing::Span::current().context(), &mut carrier);
    carrier
}

/// Makes `span` a child of the remote context in `carrier` (if any).
pub fn set_remote_parent(span: &tracing::Span, carrier: &dyn Extractor) {
    let cx = TraceContextPropagator::new().extract(carrier);
    let _ = span.set_parent(cx);
}

/// Reads the trace context from HTTP (and gRPC) request headers.
pub struct HeaderExtractor<'a>(pub &'a axum::http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// Writes the trace context into HTTP (and gRPC) request headers.
pub struct HeaderInjector<'a>(pub &'a mut axum::http::HeaderMap);

impl opentelemetry::propagation::Injector for HeaderInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(key.as_bytes()),
            axum::http::HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// One SERVER span per HTTP request, continuing the caller's trace
/// (`traceparent`); named `METHOD /route/{template}` once routed (see
/// [`owned_by`]). The answer carries the trace id (`X-Trace-Id`) so that a
/// user's report can be found.
pub async fn trace_http(req: Request, next: Next) -> Response {
    let span = tracing::info_span!(
        "http.server",
        otel.name = %req.method(),
        otel.kind = "server",
        http.request.method = %req.method(),
        url.path = %req.uri().path(),
        http.route = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        chorus.service = tracing::field::Empty,
    );
    set_remote_parent(&span, &HeaderExtractor(req.headers()));
    let mut res = next.run(req).instrument(span.clone()).await;
    span.record("http.response.status_code", res.status().as_u16());
    let trace_id = span.context().span().span_context().trace_id();
    if trace_id != opentelemetry::trace::TraceId::INVALID
        && let Ok(value) = axum::http::HeaderValue::from_str(&trace_id.to_string())
    {
        res.headers_mut().insert("x-trace-id", value);
    }
    res
}

/// Marks the routes of `router` as `service`'s: the request's span gets its
/// service and route (`POST /chats/{id}/messages`).
pub fn owned_by(service: &'static str, router: axum::Router) -> axum::Router {
    router.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| async move {
            let span = tracing::Span::current();
            span.record("chorus.service", service);
            if let Some(route) = req.extensions().get::<axum::extract::MatchedPath>() {
                // The template the metrics label too (the `/api` alias folded in).
                let route = crate::metrics::path_label(Some(route.as_str()));
                span.record("http.route", route);
                // The span has started (it continues the caller's context):
                // renamed on the OpenTelemetry span itself.
                span.context()
                    .span()
                    .update_name(format!("{} {route}", req.method()));
            }
            next.run(req).await
        },
    ))
}

/// The W3C `traceparent` of `span`, when it belongs to an exported trace.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    if !exporting() {
        return None;
    }
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    carrier.remove("traceparent")
}

/// Makes `span` a child of the context in a `traceparent` value.
pub fn set_traceparent(span: &tracing::Span, traceparent: &str) {
    let carrier = HashMap::from([("traceparent".to_string(), traceparent.to_string())]);
    set_remote_parent(span, &carrier);
}
