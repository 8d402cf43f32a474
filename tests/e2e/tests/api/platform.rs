//! §1, §15, §20.4: health, metrics, CORS and preflight, the /api alias, 404/405.

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn health_metrics_cors_and_the_api_alias_behave_as_specified() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (status, health) = s.call(Method::GET, "/health", None, None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert!(health["service"].is_string());

    let login = s
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": "bob", "password": "testpass"})),
        )
        .await?;
    assert_eq!(
        login.status(),
        StatusCode::OK,
        "every route also answers under /api"
    );
    assert_eq!(
        login.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let token = login.json::<serde_json::Value>().await?["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    s.call(Method::GET, "/users/1", Some(&token), None).await?;

    let metrics = s.http.get(s.url("/metrics")).send().await?;
    assert_eq!(
        metrics.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = metrics.text().await?;
    assert!(
        text.contains(
            r#"messenger_http_requests_total{method="POST",path="/auth/login",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(
        r#"messenger_http_requests_total{method="GET",path="/users/{id}",status="200"}"#
    ));
    assert!(text.contains("messenger_http_request_duration_seconds_bucket"));
    assert!(!text.contains(r#"path="/health""#), "health is not counted");

    let pre = s
        .http
        .request(Method::OPTIONS, s.url("/anything/at/all"))
        .header("origin", "http://localhost:5173")
        .send()
        .await?;
    assert_eq!(pre.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    assert_eq!(pre.headers()["access-control-allow-credentials"], "true");
    assert_eq!(
        pre.headers()["access-control-allow-methods"],
        "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    );
    assert_eq!(
        pre.headers()["access-control-allow-headers"],
        "Content-Type, Authorization, X-Requested-With"
    );
    assert_eq!(pre.headers()["access-control-max-age"], "86400");
    let foreign = s
        .http
        .get(s.url("/health"))
        .header("origin", "https://evil.example")
        .send()
        .await?;
    assert_eq!(
        foreign.headers()["access-control-allow-origin"],
        "https://localhost"
    );
    assert!(
        foreign
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let no_origin = s.http.get(s.url("/nope")).send().await?;
    assert_eq!(no_origin.headers()["access-control-allow-origin"], "*");

    assert_eq!(
        s.call(Method::GET, "/no/such/route", None, None).await?,
        (StatusCode::NOT_FOUND, error("Not found"))
    );
    assert_eq!(
        s.call(Method::DELETE, "/auth/login", None, None).await?.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    s.stop().await
}

/// §15.2: the WebSocket series the dashboards use, by their contract names.
#[tokio::test]
async fn the_websocket_metrics_have_the_contracts_names() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.demo_settled().await?;
    let token = s.demo_token("bob").await?;
    let opened = s.metric("messenger_ws_connections_total").await?;
    let ws = crate::ws::Ws::subscribed_ignoring_presence(&s.ws_url(), &token, &[]).await?;
    assert_eq!(s.metric("messenger_ws_connections_active").await?, 1.0);
    assert_eq!(
        s.metric("messenger_ws_connections_total").await?,
        opened + 1.0
    );
    drop(ws);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while s.metric("messenger_ws_connections_active").await? != 0.0 {
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the gauge did not go back to 0"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        s.metric("messenger_ws_connections_total").await?,
        opened + 1.0,
        "a counter never goes down"
    );
    s.stop().await
}

/// §15.2 and issue 15: `/metrics` is public, so no request may put a value it chose into
/// a label (invite tokens, usernames, unknown paths) nor add series at will.
#[tokio::test]
async fn no_request_can_put_its_own_values_into_the_metrics() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let series = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("messenger_http_requests_total{"))
            .count()
    };
    let chosen = |round: usize| {
        [
            format!("/invites/chosen-token-{round}/preview"),
            format!("/api/invites/chosen-token-{round}/preview"),
            format!("/users/by-username/chosen_user_{round}"),
            format!("/chats/by-name/chosen_chat_{round}"),
            format!("/chosen/path/{round}"),
            format!("/api/chosen-{round}"),
        ]
    };
    let mut before = 0;
    for round in 0..3 {
        for path in chosen(round) {
            s.http.get(s.url(&path)).send().await?;
        }
        let text = s.http.get(s.url("/metrics")).send().await?.text().await?;
        assert!(
            !text.contains("chosen"),
            "a chosen value reached a label:\n{text}"
        );
        if round == 0 {
            assert!(
                text.contains(r#"path="/invites/{token}/preview""#),
                "{text}"
            );
            assert!(text.contains(r#"path="unmatched""#), "{text}");
            before = series(&text);
        } else {
            assert_eq!(series(&text), before, "new values added series:\n{text}");
        }
    }
    s.stop().await
}

/// Issue 15: every internal gRPC server answers the standard health check (what
/// Consul's gRPC checks ask) and every call is measured on both ends per method.
#[tokio::test]
async fn grpc_servers_answer_health_checks_and_every_call_is_measured() -> anyhow::Result<()> {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let s = Server::builder().pin_grpc_ports().start().await?;
    let ports = s.grpc_ports().expect("pinned");
    for (service, port) in [
        ("auth", ports.auth),
        ("chat", ports.chat),
        ("message", ports.message),
        ("presence", ports.presence),
    ] {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))?
            .connect()
            .await?;
        let mut health = HealthClient::new(channel);
        for name in [String::new(), format!("chorus.{service}")] {
            let status = health
                .check(HealthCheckRequest {
                    service: name.clone(),
                })
                .await?
                .into_inner()
                .status;
            assert_eq!(status, ServingStatus::Serving as i32, "{service} {name:?}");
        }
        let unknown = health
            .check(HealthCheckRequest {
                service: "chorus.nothing".into(),
            })
            .await;
        assert_eq!(
            unknown.map_err(|s| s.code()).err(),
            Some(tonic::Code::NotFound)
        );
    }

    // GET /chats asks message's Unread over gRPC.
    s.demo_settled().await?;
    let token = s.demo_token("bob").await?;
    let (status, _) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(status, StatusCode::OK);
    let text = s.http.get(s.url("/metrics")).send().await?.text().await?;
    let server = r#"messenger_grpc_server_requests_total{code="0",method="chorus.message.v1.Unread/Summaries",service="message"}"#;
    let client = r#"messenger_grpc_client_requests_total{code="0",method="chorus.message.v1.Unread/Summaries",service="chorus.message.v1.Unread"}"#;
    assert!(text.contains(server), "{text}");
    assert!(text.contains(client), "{text}");
    assert!(text.contains("messenger_grpc_server_duration_seconds_bucket"));
    s.stop().await
}
