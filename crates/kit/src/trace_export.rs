//! Spans exported under the service that made them, also inside `chorus all`
//! (one process, several services). OTLP names the service in the resource of a
//! batch, not per span, so this exporter keeps one OTLP exporter per service,
//! each with its own `service.name`, and sends each span to its service's.
//!
//! A span names its service with the `chorus.service` attribute where it is
//! known (HTTP routes, gRPC servers, consumers, relays, the edge); the others
//! (handlers, gRPC clients, SQL) take their parent's. Children end before their
//! parents, so the parent is looked up in the batch and then among the spans of
//! recent batches.

use opentelemetry::trace::SpanId;
use opentelemetry::{Key, Value};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SpanData, SpanExporter};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// The attribute naming a span's service.
pub const SERVICE_KEY: &str = "chorus.service";

/// Every service a process can run; an exporter is made for each at start
/// (inside the runtime, where the OTLP client must be built).
pub const SERVICES: &[&str] = &[
    "auth", "chat", "message", "media", "presence", "edge", "admin",
];

/// How many span→service answers are remembered for parents that end later.
const REMEMBERED: usize = 50_000;

#[derive(Debug)]
pub struct ByService {
    fallback: String,
    exporters: HashMap<String, opentelemetry_otlp::SpanExporter>,
    known: Mutex<Known>,
}

#[derive(Debug, Default)]
struct Known {
    by_span: HashMap<SpanId, String>,
    order: VecDeque<SpanId>,
}

impl Known {
    fn remember(&mut self, span: SpanId, service: &str) {
        if self.by_span.insert(span, service.to_owned()).is_none() {
            self.order.push_back(span);
            if self.order.len() > REMEMBERED
                && let Some(old) = self.order.pop_front()
            {
                self.by_span.remove(&old);
            }
        }
    }
}

impl ByService {
    /// `process` names spans of no known service (`chorus-all`, `chorus-auth`…).
    pub fn new(
        process: &str,
        make: impl Fn() -> Result<
            opentelemetry_otlp::SpanExporter,
            opentelemetry_otlp::ExporterBuildError,
        >,
    ) -> Result<Self, opentelemetry_otlp::ExporterBuildError> {
        let mut exporters = HashMap::new();
        for name in SERVICES.iter().copied().chain([process]) {
            let mut exporter = make()?;
            exporter.set_resource(&resource(&service_name(name)));
            exporters.insert(name.to_owned(), exporter);
        }
        Ok(Self {
            fallback: process.to_owned(),
            exporters,
            known: Mutex::new(Known::default()),
        })
    }

    /// Each span's service: its own attribute, else its parent's (in this batch
    /// or remembered), else the process's.
    fn attribute(&self, batch: &[SpanData]) -> Vec<String> {
        let key = Key::from_static_str(SERVICE_KEY);
        let own: Vec<Option<String>> = batch
            .iter()
            .map(|span| {
                span.attributes
                    .iter()
                    .find(|kv| kv.key == key)
                    .and_then(|kv| match &kv.value {
                        Value::String(s) => Some(s.as_str().to_owned()),
                        _ => None,
                    })
            })
            .collect();
        let Ok(mut known) = self.known.lock() else {
            return own
                .into_iter()
                .map(|s| s.unwrap_or_else(|| self.fallback.clone()))
                .collect();
        };
        for (span, service) in batch.iter().zip(&own) {
            if let Some(service) = service {
                known.remember(span.span_context.span_id(), service);
            }
        }
        // Parents may come after their children in a batch: resolve until stable.
        let index: HashMap<SpanId, usize> = batch
            .iter()
            .enumerate()
            .map(|(i, s)| (s.span_context.span_id(), i))
            .collect();
        let mut out = own;
        for _ in 0..8 {
            let mut changed = false;
            for i in 0..batch.len() {
                if out[i].is_some() {
                    continue;
                }
                let parent = batch[i].parent_span_id;
                let found = index
                    .get(&parent)
                    .and_then(|&p| out[p].clone())
                    .or_else(|| known.by_span.get(&parent).cloned());
                if let Some(service) = found {
                    known.remember(batch[i].span_context.span_id(), &service);
                    out[i] = Some(service);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        out.into_iter()
            .map(|s| s.unwrap_or_else(|| self.fallback.clone()))
            .collect()
    }
}

pub fn service_name(service: &str) -> String {
    format!("chorus-{service}")
}

pub fn resource(service_name: &str) -> Resource {
    Resource::builder()
        .with_service_name(service_name.to_owned())
        .build()
}

impl SpanExporter for ByService {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let services = self.attribute(&batch);
        let mut groups: HashMap<String, Vec<SpanData>> = HashMap::new();
        for (span, service) in batch.into_iter().zip(services) {
            let service = if self.exporters.contains_key(&service) {
                service
            } else {
                self.fallback.clone()
            };
            groups.entry(service).or_default().push(span);
        }
        let mut result = Ok(());
        for (service, spans) in groups {
            if let Some(exporter) = self.exporters.get(&service)
                && let Err(err) = exporter.export(spans).await
            {
                result = Err(err);
            }
        }
        result
    }

    fn shutdown_with_timeout(&self, timeout: std::time::Duration) -> OTelSdkResult {
        for exporter in self.exporters.values() {
            exporter.shutdown_with_timeout(timeout)?;
        }
        Ok(())
    }

    /// Each service's exporter keeps its own resource.
    fn set_resource(&mut self, _resource: &Resource) {}
}
