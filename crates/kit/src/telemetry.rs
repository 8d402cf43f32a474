//! Tracing: `tracing-subscriber` to stderr (filter from `RUST_LOG`), plus OTLP
//! export when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. W3C trace context is carried
//! across HTTP headers, gRPC metadata and AMQP headers / event envelopes through
//! the helpers below, so one trace follows a change from request to delivery.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::collections::HashMap;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

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
/// later calls keep the first subscriber.
pub fn init(service: &str) -> TelemetryGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,lapin=error,fred=warn,h2=warn,tower=warn")
    });
    let fmt = tracing_subscriber::fmt::layer()
        .with_target(true)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());

    let provider = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .ok()
        .and_then(|_| {
            let exporter = opentelemetry_otlp::SpanExporter::builder()
                .with_tonic()
                .build();
            match exporter {
                Ok(exporter) => Some(
                    SdkTracerProvider::builder()
                        .with_batch_exporter(exporter)
                        .with_resource(
                            opentelemetry_sdk::Resource::builder()
                                .with_service_name(format!("chorus-{service}"))
                                .build(),
                        )
                        .build(),
                ),
                Err(err) => {
                    eprintln!("OTLP exporter disabled: {err}");
                    None
                }
            }
        });
    let otel = provider.as_ref().map(|p| {
        opentelemetry::global::set_tracer_provider(p.clone());
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("chorus"))
            .boxed()
    });
    let _ = tracing_subscriber::registry()
        .with(filter)
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

/// One span per HTTP request, continuing the caller's trace (`traceparent`).
pub async fn trace_http(req: Request, next: Next) -> Response {
    let span = tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), status = tracing::field::Empty);
    set_remote_parent(&span, &HeaderExtractor(req.headers()));
    let res = next.run(req).instrument(span.clone()).await;
    span.record("status", res.status().as_u16());
    res
}
