//! Bodies that are JSON but not objects, and the served API description.

use crate::helpers::Harness;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_are_not_objects_are_invalid_json_or_absent() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let first = h.send(10, &h.alice, "hello").await?;
    let invalid = (StatusCode::BAD_REQUEST, json!({"error": "Invalid JSON"}));
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/chats/10/messages/{first}"),
            json!(["edited"]),
        ),
        (
            Method::POST,
            "/chats/10/messages/forward".into(),
            json!([10, [first]]),
        ),
        (
            Method::POST,
            format!("/chats/10/messages/{first}/reactions"),
            json!(["👍"]),
        ),
        (Method::POST, "/chats/10/messages".into(), json!("hello")),
    ] {
        let got = h.call(method.clone(), &path, &h.alice, Some(body)).await?;
        assert_eq!(got, invalid, "{method} {path}");
    }
    // Delete's body is optional: one that is not an object counts as absent,
    // so the message is hidden for the caller only.
    let (status, _) = h
        .call(
            Method::DELETE,
            &format!("/chats/10/messages/{first}"),
            &h.alice,
            Some(json!([{"for_everyone": true}])),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = h.get("/chats/10/messages", &h.bob).await?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    // A wrongly typed field is coerced or refused with its own text.
    let (status, body) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": {"text": "hi"}}),
        )
        .await?;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({"error": "Invalid content"}))
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_describes_the_message_routes() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let doc: Value = h
        .http
        .get(format!("{}/openapi.json", h.base))
        .send()
        .await?
        .json()
        .await?;
    let paths = &doc["paths"];
    assert!(paths["/chats/{id}/messages"]["post"].is_object(), "{doc}");
    assert!(paths["/chats/{id}/messages/{messageId}"]["delete"].is_object());
    assert!(paths["/chats/{id}/read-receipts"]["get"].is_object());
    let message = &doc["components"]["schemas"]["Message"];
    assert!(message["properties"]["seq"].is_object());
    h.stop().await
}
