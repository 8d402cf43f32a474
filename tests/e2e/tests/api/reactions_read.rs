//! §10 reactions and §11 read state: toggles, the batch map, mark-read, read
//! receipts with their privacy switch, and unread counts in the chat list.

use crate::chats::find;
use crate::harness::{Server, error, is_contract_ts};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn reactions_toggle_and_the_batch_map_groups_them_by_first_use() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a, _) = s.user("a").await?;
    let (b_id, b, _) = s.user("b").await?;
    let chat = s
        .create_chat(
            &a,
            json!({"type": "group", "title": "R", "member_ids": [b_id]}),
        )
        .await?;
    let m1 = s.send_text(&a, chat, "one").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let m2 = s.send_text(&a, chat, "two").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let react = |token: &str, m: i64, emoji: &str| {
        let (token, emoji) = (token.to_owned(), emoji.to_owned());
        let s = &s;
        async move {
            s.call(
                Method::POST,
                &format!("/chats/{chat}/messages/{m}/reactions"),
                Some(&token),
                Some(json!({"emoji": emoji})),
            )
            .await
        }
    };
    assert_eq!(
        react(&a, m1, "🔥").await?,
        (
            StatusCode::OK,
            json!({"message_id": m1, "emoji": "🔥", "action": "added"})
        )
    );
    react(&b, m1, "👍").await?;
    react(&a, m1, "👍").await?;
    react(&b, m1, "🔥").await?;
    react(&b, m1, "🔥").await?; // toggled off again
    assert_eq!(react(&b, m2, "x").await?.1["action"], "added");
    assert_eq!(
        react(&b, m2, "x").await?,
        (
            StatusCode::OK,
            json!({"message_id": m2, "emoji": "x", "action": "removed"})
        )
    );

    let (status, map) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/reactions?message_ids={m1},{m2},abc,-3,999999999"),
            Some(&a),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        map,
        json!({ m1.to_string(): [ {"emoji": "🔥", "count": 1, "me": true}, {"emoji": "👍", "count": 2, "me": true} ] }),
        "messages without reactions are absent"
    );
    let (_, b_view) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/reactions?message_ids={m2}"),
            Some(&b),
            None,
        )
        .await?;
    assert_eq!(b_view, json!({}));

    assert_eq!(
        react(&a, m1, "").await?,
        (
            StatusCode::BAD_REQUEST,
            error("emoji required (max 32 chars)")
        )
    );
    assert_eq!(
        react(&a, m1, &"😀".repeat(9)).await?,
        (
            StatusCode::BAD_REQUEST,
            error("emoji required (max 32 chars)")
        )
    );
    assert_eq!(
        react(&a, 999_999_999, "x").await?,
        (
            StatusCode::NOT_FOUND,
            error("Message not found in this chat")
        )
    );
    let (_, stranger, _) = s.user("x").await?;
    assert_eq!(
        react(&stranger, m1, "x").await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    let batch = |q: &str, token: &str| {
        let (q, token) = (q.to_owned(), token.to_owned());
        let s = &s;
        async move {
            s.call(
                Method::GET,
                &format!("/chats/{chat}/reactions{q}"),
                Some(&token),
                None,
            )
            .await
        }
    };
    assert_eq!(
        batch("", &a).await?,
        (StatusCode::BAD_REQUEST, error("message_ids required"))
    );
    assert_eq!(
        batch("?message_ids=", &a).await?,
        (StatusCode::BAD_REQUEST, error("message_ids required"))
    );
    assert_eq!(
        batch("?message_ids=a,b", &a).await?,
        (
            StatusCode::BAD_REQUEST,
            error("message_ids: 1-200 valid IDs required")
        )
    );
    let many = (1..=201)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        batch(&format!("?message_ids={many}"), &a).await?,
        (
            StatusCode::BAD_REQUEST,
            error("message_ids: 1-200 valid IDs required")
        )
    );
    assert_eq!(
        batch("?message_ids=1", &stranger).await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    s.stop().await
}

#[tokio::test]
async fn unread_counts_read_positions_and_receipts_follow_the_readers_settings()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a_id, a, _) = s.user("a").await?;
    let (b_id, b, _) = s.user("b").await?;
    let (c_id, c, _) = s.user("c").await?;
    let chat = s
        .create_chat(
            &a,
            json!({"type": "group", "title": "U", "member_ids": [b_id, c_id]}),
        )
        .await?;
    for i in 0..3 {
        s.send_text(&a, chat, &format!("from a {i}")).await?;
    }
    let last = s.send_text(&b, chat, "from b").await?["id"]
        .as_i64()
        .unwrap_or_default();

    let unread = |token: &str| {
        let token = token.to_owned();
        let s = &s;
        async move {
            let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
            anyhow::Ok(find(&list, chat)?["unread_count"].clone())
        }
    };
    assert_eq!(unread(&a).await?, 1, "own messages excluded");
    assert_eq!(
        unread(&b).await?,
        0,
        "sending advanced b's read position past everything before"
    );
    assert_eq!(unread(&c).await?, 4);

    let receipts = format!("/chats/{chat}/read-receipts");
    // Only b has a position so far (sending advances the sender's).
    let (_, early) = s.call(Method::GET, &receipts, Some(&a), None).await?;
    assert_eq!(
        early
            .as_array()
            .map(|l| l.iter().map(|r| r["user_id"].clone()).collect::<Vec<_>>()),
        Some(vec![json!(b_id)])
    );
    assert_eq!(
        s.call(Method::POST, &format!("/chats/{chat}/read"), Some(&c), None)
            .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(unread(&c).await?, 0);
    let (status, list) = s.call(Method::GET, &receipts, Some(&a), None).await?;
    assert_eq!(status, StatusCode::OK);
    let rows = list.as_array().cloned().unwrap_or_default();
    assert!(
        rows.iter().all(|r| r["user_id"] != a_id),
        "the caller is never listed"
    );
    let c_row = rows
        .iter()
        .find(|r| r["user_id"] == c_id)
        .cloned()
        .unwrap_or_default();
    assert_eq!(c_row["last_read_msg_id"], last);
    assert!(is_contract_ts(&c_row["read_at"]));
    // b's own send recorded a read position too.
    assert!(rows.iter().any(|r| r["user_id"] == b_id));

    // c hides receipts: omitted for others, and c sees none.
    s.call(
        Method::PUT,
        "/settings",
        Some(&c),
        Some(json!({"read_receipts_enabled": false})),
    )
    .await?;
    let (_, list) = s.call(Method::GET, &receipts, Some(&a), None).await?;
    assert!(
        list.as_array()
            .is_some_and(|l| l.iter().all(|r| r["user_id"] != c_id)),
        "{list}"
    );
    assert_eq!(
        s.call(Method::GET, &receipts, Some(&c), None).await?,
        (StatusCode::OK, json!([]))
    );

    let (_, stranger, _) = s.user("x").await?;
    for (method, path) in [
        (Method::POST, format!("/chats/{chat}/read")),
        (Method::GET, receipts.clone()),
    ] {
        assert_eq!(
            s.call(method, &path, Some(&stranger), None).await?,
            (StatusCode::FORBIDDEN, error("Not a member of this chat"))
        );
    }
    // Reading an empty chat is fine.
    let empty = s
        .create_chat(&a, json!({"type": "group", "title": "E"}))
        .await?;
    assert_eq!(
        s.call(
            Method::POST,
            &format!("/chats/{empty}/read"),
            Some(&a),
            None
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    s.stop().await
}
