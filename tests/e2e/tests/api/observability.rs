//! Issue 15 §3: every metric a dashboard or an alert rule queries is exported.
//! A workload (a message sent and delivered over the WebSocket, a 404, a login)
//! runs against `chorus all`; then every `messenger_*` name in
//! `observability/grafana/dashboards/*.json` and `observability/prometheus/*.yml`
//! must be a family on `/metrics`. `apisix_*` and `rabbitmq_*` series come from
//! the gateway's and the broker's own exporters and are not ours to check here;
//! recording rules' names (`record:`) are defined by the rules themselves.

use crate::harness::Server;
use crate::ws::{Person, Ws, quiet_group, system};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files whose queries must be backed: dashboards and Prometheus rules.
fn query_files() -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for (dir, ext) in [
        ("observability/grafana/dashboards", "json"),
        ("observability/prometheus", "yml"),
    ] {
        for entry in std::fs::read_dir(repo().join(dir))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == ext) {
                files.push(path);
            }
        }
    }
    anyhow::ensure!(
        files.len() >= 3,
        "dashboards and rules not found: {files:?}"
    );
    Ok(files)
}

/// Every `messenger_…` token in `text` (letters, digits, `_`; a `:` ends it).
fn metric_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("messenger_") {
        let tail = &rest[at..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let preceded_by_word = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !preceded_by_word && !tail[len..].starts_with(':') {
            names.insert(tail[..len].to_string());
        }
        rest = &tail[len..];
    }
    names
}

/// The metric family a series name belongs to on `/metrics`.
fn family<'a>(name: &'a str, exported: &BTreeSet<String>) -> Option<&'a str> {
    if exported.contains(name) {
        return Some(name);
    }
    ["_bucket", "_count", "_sum"]
        .iter()
        .filter_map(|suffix| name.strip_suffix(suffix))
        .find(|base| exported.contains(*base))
}

#[tokio::test]
async fn every_metric_a_dashboard_or_rule_queries_is_exported() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let a = Person::new(&s, "obs_a").await?;
    let b = Person::new(&s, "obs_b").await?;
    let chat = quiet_group(&s, &a.token, "Watched", &[b.id]).await?;
    let mut ws = Ws::subscribed_ignoring_presence(&s.ws_url(), &b.token, &[chat]).await?;
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages"),
            Some(&a.token),
            Some(json!({"content": "measured"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    ws.recv_type("message").await?;
    s.http.get(s.url("/no/such/route")).send().await?;

    // The frame was written; the consumer's own bookkeeping may trail it a little.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.metric("messenger_fanout_lag_seconds_count").await? < 1.0
        || s.metric(r#"messenger_relay_published_total{service="message"}"#)
            .await?
            < 1.0
    {
        anyhow::ensure!(std::time::Instant::now() < deadline, "no fan-out recorded");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let text = s.http.get(s.url("/metrics")).send().await?.text().await?;
    let exported: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in query_files()? {
        let content = std::fs::read_to_string(&file)?;
        for name in metric_names(&content) {
            checked += 1;
            if family(&name, &exported).is_none() {
                missing.push(format!("{name} ({})", file.display()));
            }
        }
    }
    assert!(
        checked > 10,
        "only {checked} names found in the dashboards and rules"
    );
    assert!(
        missing.is_empty(),
        "queried but not exported: {missing:#?}\nexported: {exported:#?}"
    );
    s.stop().await
}

#[test]
fn metric_names_are_read_whole_and_recording_rules_are_skipped() {
    let names = metric_names(
        r#"sum(rate(messenger_http_requests_total{a="b"}[5m])) / messenger_http_errors:ratio5m + xmessenger_no"#,
    );
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        vec!["messenger_http_requests_total".to_string()]
    );
}
