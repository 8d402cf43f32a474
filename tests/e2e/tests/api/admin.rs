//! The admin API (CONTRACT §14) against a real system: every route's rules and
//! texts, the audit log, the 1 s revocation of a blocked user's socket and
//! token, and peer failures answering in the contract's shape.

use crate::harness::{Server, error, is_contract_ts};
use crate::ws::Ws;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ROUTES: [(&str, &str); 11] = [
    ("GET", "/admin-api/stats"),
    ("GET", "/admin-api/users"),
    ("GET", "/admin-api/users/1"),
    ("POST", "/admin-api/users/1/block"),
    ("GET", "/admin-api/messages"),
    ("DELETE", "/admin-api/messages/1"),
    ("GET", "/admin-api/support/users"),
    ("GET", "/admin-api/support/chats"),
    ("GET", "/admin-api/support/messages"),
    ("POST", "/admin-api/support/send"),
    ("GET", "/admin-api/audit"),
];

async fn get(s: &Server, token: &str, path: &str) -> anyhow::Result<Value> {
    let (status, body) = s.call(Method::GET, path, Some(token), None).await?;
    anyhow::ensure!(status == StatusCode::OK, "{path}: {status} {body}");
    Ok(body)
}

async fn post(s: &Server, token: &str, path: &str) -> anyhow::Result<(StatusCode, Value)> {
    s.call(Method::POST, path, Some(token), None).await
}

#[tokio::test]
async fn every_route_is_for_admins_only_in_the_contracts_words() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.demo_settled().await?;
    let bob = s.demo_token("bob").await?;
    for (method, path) in ROUTES {
        let method = Method::from_bytes(method.as_bytes())?;
        let (status, body) = s.call(method.clone(), path, None, None).await?;
        assert_eq!(
            (status, &body),
            (
                StatusCode::UNAUTHORIZED,
                &error("Missing Authorization header")
            ),
            "{path}"
        );
        let (status, body) = s.call(method.clone(), path, Some("nope"), None).await?;
        assert_eq!(
            (status, &body),
            (StatusCode::UNAUTHORIZED, &error("Invalid or expired token")),
            "{path}"
        );
        let (status, body) = s.call(method, path, Some(&bob), None).await?;
        assert_eq!(
            (status, &body),
            (StatusCode::FORBIDDEN, &error("Admin access required")),
            "{path}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn stats_users_and_detail_match_the_data() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.demo_settled().await?;
    let admin = s.demo_token("alice").await?;
    let before = get(&s, &admin, "/admin-api/stats").await?;
    // Demo data: support, alice, bob, carol; the Dev Team group.
    assert_eq!(before["total_users"], 4);
    assert_eq!(before["new_users_today"], 4);
    assert_eq!(before["chats_by_type"], json!({"group": 1}));

    let (u1, t1, _) = s.user("stat").await?;
    let (u2, _, _) = s.user("stat").await?;
    let dm = s
        .create_chat(&t1, json!({"type": "direct", "member_ids": [u2]}))
        .await?;
    let ch = s
        .create_chat(&t1, json!({"type": "channel", "title": "News"}))
        .await?;
    let mut sent = Vec::new();
    for text in ["one", "two", "three needle"] {
        sent.push(
            s.send_text(&t1, dm, text).await?["id"]
                .as_i64()
                .unwrap_or_default(),
        );
    }
    s.send_text(&t1, ch, "news").await?;
    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/chats/{dm}/messages/{}", sent[0]),
            Some(&t1),
            Some(json!({"for_everyone": true})),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let stats = get(&s, &admin, "/admin-api/stats").await?;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(stats["total_users"], 6);
    assert_eq!(stats["new_users_today"], 6);
    assert_eq!(stats["blocked_users"], 0);
    assert_eq!(stats["total_chats"], 3);
    assert_eq!(
        stats["chats_by_type"],
        json!({"direct": 1, "group": 1, "channel": 1})
    );
    // Deleted messages still count (§14.1).
    assert_eq!(stats["total_messages"], 4);
    assert_eq!(stats["messages_today"], 4);
    assert_eq!(stats["msg_trend"], json!([{"day": today, "count": 4}]));
    assert_eq!(stats["reg_trend"], json!([{"day": today, "count": 6}]));
    // Logged in over HTTP only: last_activity is set by sockets and pings.
    assert!(stats["dau"].as_i64().is_some() && stats["wau"].as_i64() >= stats["dau"].as_i64());

    // Users: newest first, paging, q, status.
    let page = get(&s, &admin, "/admin-api/users?per_page=2&page=1").await?;
    assert_eq!(
        (
            page["total"].clone(),
            page["total_pages"].clone(),
            page["per_page"].clone()
        ),
        (json!(6), json!(3), json!(2))
    );
    assert_eq!(page["users"][0]["id"], u2);
    assert_eq!(page["users"][1]["id"], u1);
    let keys: Vec<&String> = page["users"][0]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 9, "{keys:?}");
    assert!(is_contract_ts(&page["users"][0]["created_at"]));
    let clamped = get(&s, &admin, "/admin-api/users?per_page=500&page=0").await?;
    assert_eq!(
        (clamped["per_page"].clone(), clamped["page"].clone()),
        (json!(100), json!(1))
    );
    let found = get(&s, &admin, "/admin-api/users?q=ALI").await?;
    assert_eq!(found["total"], 1);
    assert_eq!(found["users"][0]["username"], "alice");
    let admins = get(&s, &admin, "/admin-api/users?status=admin").await?;
    assert_eq!(admins["total"], 2, "alice and chorus_support");
    let empty = get(&s, &admin, "/admin-api/users?q=nobody-like-this").await?;
    assert_eq!(
        (empty["total"].clone(), empty["total_pages"].clone()),
        (json!(0), json!(1))
    );

    // Detail: profile, chats with roles (joined_at desc), recent messages (deleted included).
    let detail = get(&s, &admin, &format!("/admin-api/users/{u1}")).await?;
    assert_eq!(detail["user"]["id"], u1);
    assert!(
        detail["user"]["email"]
            .as_str()
            .is_some_and(|e| e.ends_with("@example.org"))
    );
    assert_eq!(detail["message_count"], 4);
    let chats: Vec<(i64, String)> = detail["chats"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["id"].as_i64().unwrap_or_default(),
                        c["role"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        chats,
        [(ch, "owner".to_string()), (dm, "owner".to_string())]
    );
    assert_eq!(detail["chats"][0]["member_count"], 1);
    assert_eq!(detail["messages"].as_array().map(Vec::len), Some(4));
    assert_eq!(detail["messages"][0]["content"], "news");
    assert_eq!(detail["messages"][0]["chat_type"], "channel");
    assert_eq!(detail["messages"][3]["id"], sent[0]);
    assert_eq!(detail["messages"][3]["is_deleted"], true);

    for path in ["/admin-api/users/999999", "/admin-api/users/abc"] {
        let (status, body) = s.call(Method::GET, path, Some(&admin), None).await?;
        assert_eq!(
            (status, body),
            (StatusCode::NOT_FOUND, error("User not found")),
            "{path}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn actions_refuse_self_targets_and_block_ends_sessions_within_a_second() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    s.demo_settled().await?;
    let admin = s.demo_token("alice").await?;
    let me = get(&s, &admin, "/me").await?["id"]
        .as_i64()
        .unwrap_or_default();
    for (action, text) in [
        ("block", "Cannot block yourself"),
        ("soft-delete", "Cannot delete yourself"),
        ("toggle-admin", "Cannot change your own admin status"),
    ] {
        let (status, body) = post(&s, &admin, &format!("/admin-api/users/{me}/{action}")).await?;
        assert_eq!(
            (status, body),
            (StatusCode::BAD_REQUEST, error(text)),
            "{action}"
        );
    }
    let (status, _) = post(&s, &admin, &format!("/admin-api/users/{me}/unblock")).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in [
        "/admin-api/users/999999/block",
        "/admin-api/users/abc/toggle-admin",
    ] {
        let (status, body) = post(&s, &admin, path).await?;
        assert_eq!(
            (status, body),
            (StatusCode::NO_CONTENT, Value::Null),
            "{path}"
        );
    }
    let (status, body) = post(&s, &admin, "/admin-api/users/3/explode").await?;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, error("Not found")));

    // Block: the open socket closes and the unexpired token is refused within 1 s.
    let (victim, token, _) = s.user("victim").await?;
    let name = get(&s, &token, "/me").await?["username"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut ws = Ws::subscribed_ignoring_presence(&s.ws_url(), &token, &[]).await?;
    let started = Instant::now();
    let (status, _) = post(&s, &admin, &format!("/admin-api/users/{victim}/block")).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let closed = tokio::time::timeout(Duration::from_secs(1), ws.recv_until(|_| false)).await;
    assert!(
        matches!(closed, Ok(Err(_))),
        "the socket must close within 1 s: {closed:?}"
    );
    let (status, body) = s.call(Method::GET, "/me", Some(&token), None).await?;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, error("Invalid or expired token"))
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // §2.4: everywhere, not only on auth's routes — chat, message and media too.
    for path in [
        "/chats",
        "/chats/1/messages",
        "/stickers",
        "/files/1/download",
    ] {
        let (status, body) = s.call(Method::GET, path, Some(&token), None).await?;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, error("Invalid or expired token")),
            "{path}"
        );
    }
    let (status, _) = s
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": name, "password": "password123"})),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&s, &admin, "/admin-api/stats").await?["blocked_users"],
        1
    );
    let blocked = get(&s, &admin, "/admin-api/users?status=blocked").await?;
    assert_eq!(blocked["users"][0]["id"], victim);

    post(&s, &admin, &format!("/admin-api/users/{victim}/unblock")).await?;
    let fresh = s.login(&name, "password123").await?;
    let fresh = fresh["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    get(&s, &fresh, "/me").await?;

    // toggle-admin shows in tokens issued afterwards.
    post(
        &s,
        &admin,
        &format!("/admin-api/users/{victim}/toggle-admin"),
    )
    .await?;
    let (status, _) = s
        .call(Method::GET, "/admin-api/stats", Some(&fresh), None)
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the old token has no admin claim"
    );
    let promoted = s.login(&name, "password123").await?;
    get(
        &s,
        promoted["access_token"].as_str().unwrap_or_default(),
        "/admin-api/stats",
    )
    .await?;

    // Soft-delete: inactive and blocked; login refused as invalid credentials.
    let total = get(&s, &admin, "/admin-api/stats").await?["total_users"].as_i64();
    post(
        &s,
        &admin,
        &format!("/admin-api/users/{victim}/soft-delete"),
    )
    .await?;
    let (status, body) = s
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": name, "password": "password123"})),
        )
        .await?;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, error("Invalid credentials"))
    );
    let detail = get(&s, &admin, &format!("/admin-api/users/{victim}")).await?;
    assert_eq!(
        (
            detail["user"]["is_active"].clone(),
            detail["user"]["is_blocked"].clone()
        ),
        (json!(false), json!(true))
    );
    let stats = get(&s, &admin, "/admin-api/stats").await?;
    assert_eq!(stats["total_users"].as_i64(), total.map(|t| t - 1));
    let inactive = get(&s, &admin, "/admin-api/users?status=inactive").await?;
    assert_eq!(inactive["total"], 1);

    // Every action is in the audit log, newest first, with who and from where.
    let audit = get(&s, &admin, &format!("/admin-api/audit?target_id={victim}")).await?;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, ["soft-delete", "toggle-admin", "unblock", "block"]);
    let entry = &audit["entries"][3];
    assert_eq!(
        (
            entry["admin_id"].clone(),
            entry["admin_username"].clone(),
            entry["target_type"].clone()
        ),
        (json!(me), json!("alice"), json!("user"))
    );
    assert_eq!(entry["ip"], "127.0.0.1");
    assert!(is_contract_ts(&entry["created_at"]));
    let only_blocks = get(&s, &admin, "/admin-api/audit?action=block").await?;
    assert_eq!(only_blocks["total"], 2, "the victim and the unknown id");
    s.stop().await
}

#[tokio::test]
async fn messages_support_and_moderation_deletes() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.demo_settled().await?;
    let admin = s.demo_token("alice").await?;
    let (u1, t1, _) = s.user("msg").await?;
    let (u2, t2, _) = s.user("msg").await?;
    let group = s
        .create_chat(
            &t1,
            json!({"type": "group", "title": "Room", "member_ids": [u2]}),
        )
        .await?;
    let first = s.send_text(&t1, group, "Hello NEEDLE 100%").await?["id"]
        .as_i64()
        .unwrap_or_default();
    s.send_text(&t2, group, "reply from two").await?;

    let page = get(&s, &admin, &format!("/admin-api/messages?chat_id={group}")).await?;
    assert_eq!(
        (page["total"].clone(), page["per_page"].clone()),
        (json!(2), json!(50))
    );
    let m = &page["messages"][1];
    assert_eq!(m["id"], first);
    assert_eq!(
        (
            m["sender_id"].clone(),
            m["chat_type"].clone(),
            m["message_type"].clone()
        ),
        (json!(u1), json!("group"), json!("text"))
    );
    assert!(
        m["sender_username"]
            .as_str()
            .is_some_and(|n| n.starts_with("msg"))
    );
    assert_eq!(m["chat_name"], "", "the raw stored name");
    let by_text = get(&s, &admin, "/admin-api/messages?q=needle 100%").await?;
    assert_eq!(by_text["total"], 1);
    let by_user = get(
        &s,
        &admin,
        &format!("/admin-api/messages?user_id={u2}&chat_id=abc"),
    )
    .await?;
    assert_eq!(
        by_user["total"], 1,
        "a chat_id that is not an integer is ignored"
    );
    let paged = get(&s, &admin, "/admin-api/messages?per_page=1&page=2").await?;
    assert_eq!(paged["messages"][0]["id"], first);

    // Support send: every 400, then to a chat (support joins as admin) and to a user.
    for (body, text) in [
        (json!({"content": "", "chat_id": group}), "content required"),
        (
            json!({"content": "x".repeat(10_001), "chat_id": group}),
            "Message too long",
        ),
        (
            json!({"content": "hi", "target_user_id": 0, "chat_id": null}),
            "target_user_id or chat_id required",
        ),
    ] {
        let (status, reply) = s
            .call(
                Method::POST,
                "/admin-api/support/send",
                Some(&admin),
                Some(body),
            )
            .await?;
        assert_eq!((status, reply), (StatusCode::BAD_REQUEST, error(text)));
    }
    let res = s
        .http
        .post(s.url("/admin-api/support/send"))
        .bearer_auth(&admin)
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await?, error("Invalid JSON"));
    let (status, reply) = s
        .call(
            Method::POST,
            "/admin-api/support/send",
            Some(&admin),
            Some(json!({"content": "hi", "chat_id": 999999})),
        )
        .await?;
    assert_eq!(
        (status, reply),
        (StatusCode::NOT_FOUND, error("Chat not found"))
    );

    let mut ws2 = Ws::subscribed_ignoring_presence(&s.ws_url(), &t2, &[group]).await?;
    let (status, sent) = s
        .call(
            Method::POST,
            "/admin-api/support/send",
            Some(&admin),
            Some(json!({"content": "to the room", "chat_id": group})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["chat_id"], group);
    assert!(is_contract_ts(&sent["created_at"]));
    let frame = ws2.recv_type("message").await?;
    assert_eq!(frame["content"], "[SUPPORT] to the room");
    assert_eq!(frame["id"], sent["id"]);

    // To a user: a new direct chat, announced to them live.
    let (status, dm) = s
        .call(
            Method::POST,
            "/admin-api/support/send",
            Some(&admin),
            Some(json!({"content": "hello", "target_user_id": u2, "chat_id": group})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{dm}");
    let created = ws2.recv_type("chat_created").await?;
    assert_eq!(
        (created["chat_id"].clone(), created["chat_type"].clone()),
        (dm["chat_id"].clone(), json!("direct"))
    );
    assert_ne!(dm["chat_id"], group, "target_user_id takes precedence");
    let (status, again) = s
        .call(
            Method::POST,
            "/admin-api/support/send",
            Some(&admin),
            Some(json!({"content": "again", "target_user_id": u2})),
        )
        .await?;
    assert_eq!(
        (status, again["chat_id"].clone()),
        (StatusCode::CREATED, dm["chat_id"].clone()),
        "the direct chat is reused"
    );
    let history = get(&s, &t2, &format!("/chats/{}/messages", dm["chat_id"])).await?;
    let texts: Vec<&str> = history
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["content"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(texts, ["[SUPPORT] hello", "[SUPPORT] again"]);

    let chats = get(&s, &admin, "/admin-api/support/chats").await?;
    assert_eq!(
        chats["chats"][0]["id"], dm["chat_id"],
        "most recently updated first"
    );
    assert_eq!(chats["chats"][1]["id"], group);
    assert_eq!(chats["chats"][1]["member_count"], 3);
    let recent = get(&s, &admin, "/admin-api/support/messages").await?;
    assert_eq!(recent["messages"][0]["content"], "[SUPPORT] again");
    assert_eq!(recent["messages"][2]["chat_type"], "group");
    let users = get(&s, &admin, "/admin-api/support/users").await?;
    let names: Vec<&str> = users["users"]
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["username"].as_str()).collect())
        .unwrap_or_default();
    assert!(!names.contains(&"chorus_support"));
    assert!(
        names.windows(2).all(|w| w[0] <= w[1]),
        "by username: {names:?}"
    );
    assert_eq!(users["users"].as_array().map(Vec::len), Some(5));

    // Moderation delete: gone for the members at once, audited; twice is 404.
    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/admin-api/messages/{first}"),
            Some(&admin),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let gone = ws2.recv_type("message_deleted").await?;
    assert_eq!(
        (gone["message_id"].clone(), gone["chat_id"].clone()),
        (json!(first), json!(group))
    );
    for path in [
        format!("/admin-api/messages/{first}"),
        "/admin-api/messages/x".to_string(),
    ] {
        let (status, body) = s.call(Method::DELETE, &path, Some(&admin), None).await?;
        assert_eq!(
            (status, body),
            (StatusCode::NOT_FOUND, error("Message not found"))
        );
    }
    let page = get(&s, &admin, &format!("/admin-api/messages?chat_id={group}")).await?;
    let deleted = page["messages"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["id"] == first))
        .cloned()
        .unwrap_or_default();
    assert_eq!(deleted["is_deleted"], true, "deleted messages stay listed");
    let audit = get(&s, &admin, "/admin-api/audit?action=support-send").await?;
    assert_eq!(audit["total"], 3);
    assert_eq!(audit["entries"][0]["detail"]["content"], "again");

    // Without the support account, support answers the contract's 500.
    let (status, _) = post(&s, &admin, "/admin-api/users/1/soft-delete").await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in ["/admin-api/support/chats", "/admin-api/support/messages"] {
        let (status, body) = s.call(Method::GET, path, Some(&admin), None).await?;
        assert_eq!(
            (status, body),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                error("chorus_support user not found")
            ),
            "{path}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn a_peer_that_is_down_answers_a_500_in_the_contracts_shape() -> anyhow::Result<()> {
    let s = Server::builder()
        .env("CHORUS_ADMIN__CHAT_GRPC_URL", "http://127.0.0.1:1")
        .start()
        .await?;
    s.demo_settled().await?;
    let admin = s.demo_token("alice").await?;
    for path in ["/admin-api/stats", "/admin-api/support/chats"] {
        let (status, body) = s.call(Method::GET, path, Some(&admin), None).await?;
        assert_eq!(
            (status, body),
            (StatusCode::INTERNAL_SERVER_ERROR, error("Internal error")),
            "{path}"
        );
    }
    // What needs no chat service still works.
    get(&s, &admin, "/admin-api/users").await?;
    s.stop().await
}
