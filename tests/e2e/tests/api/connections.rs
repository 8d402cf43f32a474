//! The connection budget (issue: one `chorus all` held 53 connections after a
//! benchmark; two or three processes exhausted PostgreSQL's 100 and answered
//! 500 `pool timed out`). Two systems connect as one role limited to 40
//! connections — a server that small — and serve a burst without a 5xx.

use crate::harness::Server;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn burst(s: &Server) -> anyhow::Result<Vec<StatusCode>> {
    let (_, login) = s
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "bob", "password": "testpass"})),
        )
        .await?;
    let token = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let requests = (0..120).map(|i| {
        let token = token.clone();
        async move {
            let r = match i % 4 {
                0 => s.send(Method::GET, "/chats", Some(&token), None).await,
                1 => {
                    s.send(Method::GET, "/chats/1/messages", Some(&token), None)
                        .await
                }
                2 => {
                    let body = json!({ "content": format!("burst {i}") });
                    s.send(Method::POST, "/chats/1/messages", Some(&token), Some(body))
                        .await
                }
                _ => s.send(Method::GET, "/me", Some(&token), None).await,
            };
            r.map(|r| r.status())
        }
    });
    join_all(requests).await.into_iter().collect()
}

#[tokio::test]
async fn two_systems_on_a_forty_connection_server_serve_a_burst_without_a_5xx() -> anyhow::Result<()>
{
    let role = format!("chorus_t_role_{}", uuid::Uuid::new_v4().simple());
    chorus_testkit::create_limited_role(&role, 40).await?;
    let result = async {
        // Pools as large as a service alone may have; the budget must keep the
        // process within its share anyway.
        let start = || {
            Server::builder()
                .db_role(&role)
                .env("CHORUS__DB__MAX_CONNECTIONS", "16")
                .start()
        };
        let (a, b) = (start().await?, start().await?);
        let (in_a, in_b) = tokio::join!(burst(&a), burst(&b));
        let statuses: Vec<StatusCode> = in_a?.into_iter().chain(in_b?).collect();
        let failed: Vec<_> = statuses.iter().filter(|s| s.is_server_error()).collect();
        anyhow::ensure!(
            failed.is_empty(),
            "{} of {} failed: {failed:?}",
            failed.len(),
            statuses.len()
        );
        anyhow::ensure!(statuses.iter().all(|s| s.is_success()), "{statuses:?}");
        a.stop().await?;
        b.stop().await
    }
    .await;
    // The first failure wins (a role that still owns a database cannot go).
    let dropped = chorus_testkit::drop_role(&role).await;
    result.and(dropped)
}
