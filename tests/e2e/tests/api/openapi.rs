//! The OpenAPI document (`/openapi.json`) against the routers that serve the
//! API, both ways: every route of CONTRACT §3 is documented, every documented
//! operation is served (routing reaches a handler instead of the 404/405
//! fallback), and no path answers a method the document does not list. `/docs`
//! serves the interactive reference. Validation against the OpenAPI 3.1 schema
//! and the fuzzer run from `make check-api` (Python tools).

use crate::harness::Server;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// CONTRACT §3, the public HTTP routes served by the services built so far
/// (the admin API, the web app and downloads come with their issues).
const CONTRACT_ROUTES: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/metrics"),
    ("POST", "/auth/register"),
    ("POST", "/auth/login"),
    ("POST", "/auth/refresh"),
    ("POST", "/auth/logout"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/me"),
    ("GET", "/users/search"),
    ("GET", "/users/by-username/{username}"),
    ("GET", "/users/{id}"),
    ("PUT", "/users/{id}"),
    ("GET", "/users/{id}/avatar"),
    ("PUT", "/users/me/avatar"),
    ("GET", "/settings"),
    ("PUT", "/settings"),
    ("POST", "/chats"),
    ("GET", "/chats"),
    ("GET", "/chats/{id}"),
    ("GET", "/chats/by-name/{public_name}"),
    ("PATCH", "/chats/{id}"),
    ("DELETE", "/chats/{id}"),
    ("POST", "/chats/{id}/avatar"),
    ("POST", "/chats/{id}/favorite"),
    ("DELETE", "/chats/{id}/favorite"),
    ("POST", "/chats/{id}/mute"),
    ("DELETE", "/chats/{id}/mute"),
    ("POST", "/chats/{id}/pin"),
    ("DELETE", "/chats/{id}/pin"),
    ("POST", "/chats/{id}/archive"),
    ("DELETE", "/chats/{id}/archive"),
    ("DELETE", "/chats/{id}/leave"),
    ("POST", "/chats/{id}/read"),
    ("GET", "/chats/{id}/read-receipts"),
    ("POST", "/chats/{id}/members/{userId}/promote"),
    ("POST", "/chats/{id}/members/{userId}/demote"),
    ("POST", "/chats/{id}/invites"),
    ("GET", "/chats/{id}/invites"),
    ("DELETE", "/invites/{token}"),
    ("GET", "/invites/{token}/preview"),
    ("POST", "/invites/{token}/join"),
    ("POST", "/chats/{id}/messages"),
    ("GET", "/chats/{id}/messages"),
    ("GET", "/chats/{id}/messages/search"),
    ("PUT", "/chats/{id}/messages/{messageId}"),
    ("DELETE", "/chats/{id}/messages/{messageId}"),
    ("POST", "/chats/{id}/messages/forward"),
    ("POST", "/chats/{id}/messages/{messageId}/pin"),
    ("DELETE", "/chats/{id}/messages/{messageId}/pin"),
    ("GET", "/chats/{id}/pinned-message"),
    ("POST", "/chats/{id}/messages/{messageId}/reactions"),
    ("GET", "/chats/{id}/reactions"),
    ("POST", "/files"),
    ("GET", "/files/{id}/download"),
    ("GET", "/stickers"),
    ("GET", "/stickers/{id}/image"),
    ("GET", "/ws"),
];

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The documented operations: path → methods (upper case).
fn operations(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let methods = item
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, _)| key.to_uppercase())
            .filter(|m| METHODS.contains(&m.as_str()))
            .collect();
        ops.insert(path.clone(), methods);
    }
    ops
}

/// A concrete URL for a templated path: ids as `1`, names and tokens as `x`.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{id}" | "{userId}" | "{messageId}" => "1",
            s if s.starts_with('{') => "x",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The router's own answer for a request that reached no handler.
async fn is_fallback(res: reqwest::Response) -> anyhow::Result<Option<String>> {
    let status = res.status();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        return Ok(Some("405".into()));
    }
    let body = res.text().await?;
    if status == StatusCode::NOT_FOUND && body == r#"{"error":"Not found"}"# {
        return Ok(Some("404 Not found".into()));
    }
    Ok(None)
}

#[tokio::test]
async fn the_document_and_the_routers_describe_the_same_api() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let res = s.http.get(s.url("/openapi.json")).send().await?;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await?;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let ops = operations(&doc);

    let mut missing = Vec::new();
    for (method, path) in CONTRACT_ROUTES {
        if !ops.get(*path).is_some_and(|m| m.contains(*method)) {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "contract routes not documented: {missing:?}"
    );

    // Requests carry no token and no body: a handler answers (401, 400, 404
    // with its own text, …) — never the router's fallback — and nothing changes.
    let mut unserved = Vec::new();
    let mut undocumented = Vec::new();
    for (path, methods) in &ops {
        let url = s.url(&concrete(path));
        for method in METHODS {
            let res = s
                .http
                .request(Method::from_bytes(method.as_bytes())?, &url)
                .send()
                .await?;
            let fallback = is_fallback(res).await?;
            match (methods.contains(*method), fallback) {
                (true, Some(answer)) => unserved.push(format!("{method} {path}: {answer}")),
                (false, None) => undocumented.push(format!("{method} {path}")),
                _ => {}
            }
        }
    }
    assert!(
        unserved.is_empty(),
        "documented but not served: {unserved:?}"
    );
    assert!(
        undocumented.is_empty(),
        "served but not documented: {undocumented:?}"
    );

    let docs = s.http.get(s.url("/docs/")).send().await?;
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await?.contains("swagger-ui"));
    s.stop().await
}

#[tokio::test]
async fn every_operation_documents_its_errors_in_the_contract_shape() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let doc: Value = s
        .http
        .get(s.url("/openapi.json"))
        .send()
        .await?
        .json()
        .await?;
    let mut gaps = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.to_uppercase().as_str()) {
                continue;
            }
            let responses = op["responses"].as_object().cloned().unwrap_or_default();
            if responses.is_empty() {
                gaps.push(format!("{method} {path}: no responses"));
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured && !responses.contains_key("401") {
                gaps.push(format!("{method} {path}: secured without a 401"));
            }
            for (status, response) in &responses {
                if status.starts_with('4') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    if schema != "#/components/schemas/ErrorBody" {
                        gaps.push(format!("{method} {path}: {status} is not an ErrorBody"));
                    }
                }
            }
        }
    }
    assert!(gaps.is_empty(), "{gaps:#?}");
    s.stop().await
}
