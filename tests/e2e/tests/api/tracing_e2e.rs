//! Issue 15 §1: one trace per message, end to end. `chorus all` exports to an
//! OTLP receiver in this test; a message is posted with a `traceparent` and the
//! spans of that trace must form one tree: HTTP server → send → gRPC client →
//! gRPC server (another service) … → relay publish → each consumer → the edge's
//! dispatch → the frame written to the socket, each under its own service name.

use crate::harness::{Server, free_port};
use crate::ws::{Person, Ws, quiet_group, system};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Span {
    service: String,
    name: String,
    kind: i32,
    id: Vec<u8>,
    parent: Vec<u8>,
    trace: Vec<u8>,
}

#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<Span>>>);

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut spans = self
            .0
            .lock()
            .map_err(|_| tonic::Status::internal("poisoned"))?;
        for rs in request.into_inner().resource_spans {
            let service = rs
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|kv| kv.key == "service.name")
                .and_then(|kv| kv.value.as_ref()?.value.as_ref())
                .map(|v| match v {
                    AnyValue::StringValue(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .unwrap_or_default();
            for span in rs.scope_spans.into_iter().flat_map(|s| s.spans) {
                spans.push(Span {
                    service: service.clone(),
                    name: span.name,
                    kind: span.kind,
                    id: span.span_id,
                    parent: span.parent_span_id,
                    trace: span.trace_id,
                });
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

const SERVER: i32 = 2;
const CLIENT: i32 = 3;
const PRODUCER: i32 = 4;
const CONSUMER: i32 = 5;

fn kind(k: i32) -> &'static str {
    match k {
        1 => "internal",
        SERVER => "server",
        CLIENT => "client",
        PRODUCER => "producer",
        CONSUMER => "consumer",
        _ => "unspecified",
    }
}

fn print_tree(spans: &[Span], parent: &[u8], depth: usize, out: &mut String) {
    for span in spans.iter().filter(|s| s.parent == parent) {
        out.push_str(&format!(
            "{}{} [{}] ({})\n",
            "  ".repeat(depth),
            span.name,
            kind(span.kind),
            span.service
        ));
        print_tree(spans, &span.id, depth + 1, out);
    }
}

/// The chain of ancestors of `span`, nearest first.
fn ancestors<'a>(spans: &'a [Span], span: &'a Span) -> Vec<&'a Span> {
    let by_id: HashMap<&[u8], &Span> = spans.iter().map(|s| (s.id.as_slice(), s)).collect();
    let mut chain = Vec::new();
    let mut at = span;
    while let Some(parent) = by_id.get(at.parent.as_slice()) {
        chain.push(*parent);
        at = parent;
    }
    chain
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_message_is_one_trace_from_the_post_to_the_socket_write() -> anyhow::Result<()> {
    let receiver = Receiver::default();
    let port = free_port()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let serving = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(receiver.clone()))
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    let s = system(
        Server::builder()
            .env(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                format!("http://127.0.0.1:{port}"),
            )
            .env("OTEL_BSP_SCHEDULE_DELAY", 100),
    )
    .await?;
    let a = Person::new(&s, "tr_a").await?;
    let b = Person::new(&s, "tr_b").await?;
    let chat = quiet_group(&s, &a.token, "Traced", &[b.id]).await?;
    let mut ws = Ws::subscribed_ignoring_presence(&s.ws_url(), &b.token, &[chat]).await?;

    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let caller_span = "00f067aa0ba902b7";
    let res = s
        .http
        .post(s.url(&format!("/chats/{chat}/messages")))
        .bearer_auth(&a.token)
        .header("traceparent", format!("00-{trace_id}-{caller_span}-01"))
        .json(&json!({"content": "traced"}))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        res.headers()
            .get("x-trace-id")
            .and_then(|v| v.to_str().ok()),
        Some(trace_id),
        "the answer names the trace"
    );
    ws.recv_type("message").await?;

    let wanted = hex(trace_id);
    let deadline = Instant::now() + Duration::from_secs(15);
    let spans = loop {
        let spans: Vec<Span> = receiver
            .0
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .iter()
            .filter(|s| s.trace == wanted)
            .cloned()
            .collect();
        let complete = spans.iter().any(|s| s.name == "ws send")
            && spans
                .iter()
                .any(|s| s.service == "chorus-media" && s.kind == CONSUMER);
        if complete || Instant::now() > deadline {
            break spans;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut tree = String::new();
    print_tree(&spans, &hex(caller_span), 0, &mut tree);
    println!("the trace of one message:\n{tree}");

    let root = spans
        .iter()
        .find(|s| s.parent == hex(caller_span))
        .ok_or_else(|| anyhow::anyhow!("no span continues the caller's:\n{tree}"))?;
    assert_eq!(root.name, "POST /chats/{id}/messages", "{tree}");
    assert_eq!(
        (root.kind, root.service.as_str()),
        (SERVER, "chorus-message"),
        "{tree}"
    );
    let write = spans
        .iter()
        .find(|s| s.name == "ws send")
        .ok_or_else(|| anyhow::anyhow!("no socket write in the trace:\n{tree}"))?;
    assert_eq!(write.service, "chorus-edge", "{tree}");
    // From the write back to the request, through every hop.
    let chain: Vec<(&str, i32, &str)> = ancestors(&spans, write)
        .iter()
        .map(|s| (s.name.as_str(), s.kind, s.service.as_str()))
        .collect();
    let position = |pred: &dyn Fn(&(&str, i32, &str)) -> bool, what: &str| {
        chain
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("no {what} between the write and the request:\n{tree}"))
    };
    let dispatch = position(
        &|s| s.0 == "edge dispatch" && s.1 == CONSUMER,
        "edge dispatch",
    );
    let consumed = position(
        &|s| s.1 == CONSUMER && s.0.ends_with(" process") && s.2 == "chorus-edge",
        "edge consumer",
    );
    let published = position(
        &|s| s.1 == PRODUCER && s.0.ends_with(" publish") && s.2 == "chorus-message",
        "relay publish",
    );
    let request = position(&|s| s.0 == "POST /chats/{id}/messages", "HTTP request");
    assert!(
        dispatch < consumed && consumed < published && published < request,
        "{tree}"
    );
    assert!(chain.iter().any(|s| s.0 == "send"), "the send span: {tree}");

    // A gRPC call of the send continues in the service that answers it.
    let calls: Vec<&Span> = spans.iter().filter(|s| s.kind == CLIENT).collect();
    assert!(!calls.is_empty(), "no gRPC call in the trace:\n{tree}");
    for call in calls {
        let answered = spans
            .iter()
            .find(|s| s.parent == call.id && s.kind == SERVER)
            .unwrap_or_else(|| panic!("{} has no server span:\n{tree}", call.name));
        assert_eq!(answered.name, call.name);
        assert_ne!(answered.service, call.service, "{tree}");
    }
    // The consumers of the event are in the tree, under the relay's publish: the
    // edge's, and not media's, whose queue binds only messages with a file.
    let consumers: Vec<&str> = spans
        .iter()
        .filter(|s| s.kind == CONSUMER && s.name.ends_with(" process"))
        .map(|s| s.service.as_str())
        .collect();
    assert!(consumers.contains(&"chorus-edge"), "{tree}");
    assert!(
        !consumers.contains(&"chorus-media"),
        "a text message reached media's usage consumer: {tree}"
    );

    s.stop().await?;
    serving.abort();
    Ok(())
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
        .collect()
}
