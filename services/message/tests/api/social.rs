//! Forward, pins and reactions.

use crate::helpers::Harness;
use chorus_proto::message::v1 as pb;
use prost::Message as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_copies_live_messages_in_ascending_order_with_attribution() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(20, "group", &[(&h.bob, "owner")]);
    h.chat(30, "channel", &[(&h.bob, "member"), (&h.alice, "owner")]);
    h.chat(40, "group", &[(&h.alice, "owner")]);
    let a1 = h.send(10, &h.alice, "first").await?;
    let a2 = h.send(10, &h.alice, "second").await?;
    let gone = h.send(10, &h.alice, "gone").await?;
    let foreign = h.send(40, &h.alice, "foreign").await?;
    h.call(
        Method::DELETE,
        &format!("/chats/10/messages/{gone}"),
        &h.alice,
        Some(json!({"for_everyone": true})),
    )
    .await?;
    let fwd = |target: &str, body: Value| {
        let path = format!("/chats/{target}/messages/forward");
        let h = &h;
        async move { h.post(&path, &h.bob, body).await }
    };
    let err = |s: StatusCode, e: &str| (s, json!({ "error": e }));
    assert_eq!(
        fwd("20", json!("x")).await?,
        err(StatusCode::BAD_REQUEST, "Invalid JSON")
    );
    assert_eq!(
        fwd("20", json!({"message_ids": [a1]})).await?,
        err(StatusCode::BAD_REQUEST, "from_chat_id required")
    );
    assert_eq!(
        fwd("20", json!({"from_chat_id": -1, "message_ids": [a1]})).await?,
        err(StatusCode::BAD_REQUEST, "from_chat_id required")
    );
    assert_eq!(
        fwd("20", json!({"from_chat_id": 10, "message_ids": []})).await?,
        err(StatusCode::BAD_REQUEST, "message_ids array required")
    );
    assert_eq!(
        fwd("20", json!({"from_chat_id": 10, "message_ids": "1,2"})).await?,
        err(StatusCode::BAD_REQUEST, "message_ids array required")
    );
    let many: Vec<i64> = (1..=101).collect();
    assert_eq!(
        fwd("20", json!({"from_chat_id": 10, "message_ids": many})).await?,
        err(StatusCode::BAD_REQUEST, "Maximum 100 messages per forward")
    );
    assert_eq!(
        fwd("20", json!({"from_chat_id": 40, "message_ids": [foreign]})).await?,
        err(StatusCode::FORBIDDEN, "Not a member of source chat")
    );
    assert_eq!(
        fwd("40", json!({"from_chat_id": 10, "message_ids": [a1]})).await?,
        err(StatusCode::FORBIDDEN, "Not a member of target chat")
    );
    assert_eq!(
        fwd("abc", json!({"from_chat_id": 10, "message_ids": [a1]})).await?,
        err(StatusCode::FORBIDDEN, "Not a member of target chat")
    );
    assert_eq!(
        fwd("30", json!({"from_chat_id": 10, "message_ids": [a1]})).await?,
        err(StatusCode::FORBIDDEN, "Only admins can post in channels")
    );
    assert_eq!(
        fwd(
            "20",
            json!({"from_chat_id": 10, "message_ids": [gone, foreign, "x"]})
        )
        .await?,
        err(StatusCode::NOT_FOUND, "No valid messages found")
    );
    assert_eq!(
        h.count("SELECT count(*) FROM messages WHERE chat_id = 20")
            .await?,
        0
    );

    let (status, body) = fwd(
        "20",
        json!({"from_chat_id": 10, "message_ids": [a2, foreign, gone, a1, a1]}),
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    let list = body.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2);
    let (_, users) = h.get("/chats/10/messages?limit=1", &h.alice).await?;
    let alice_name = users[0]["sender_display_name"].clone();
    for (copy, (orig, content, seq)) in list.iter().zip([(a1, "first", 1), (a2, "second", 2)]) {
        assert_eq!(copy["chat_id"], 20);
        assert_eq!(copy["sender_id"], h.bob.id);
        assert_eq!(copy["content"], content);
        assert_eq!(copy["message_type"], "text");
        assert_eq!(copy["seq"], seq);
        assert_eq!(copy["forwarded_from_chat_id"], 10);
        assert_eq!(copy["forwarded_from_message_id"], orig);
        assert_eq!(copy["forwarded_from_user_id"], h.alice.id);
        assert_eq!(copy["forwarded_from_display_name"], alice_name);
        assert!(copy["created_at"].is_string());
    }
    let (_, listed) = h.get("/chats/20/messages", &h.bob).await?;
    assert_eq!(listed[0]["forwarded_from_user_id"], h.alice.id);
    assert_eq!(listed[1]["forwarded_from_message_id"], a2);
    // Two copies: two created events beyond the four originals.
    h.expect_events("message.created", 6).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_message_is_pinned_per_chat_with_history_and_channel_rules() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(30, "channel", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let m1 = h.send(10, &h.alice, "one").await?;
    let m2 = h.send(10, &h.bob, "two").await?;
    let c1 = h.send(30, &h.alice, "news").await?;
    assert_eq!(
        h.get("/chats/10/pinned-message", &h.bob).await?,
        (StatusCode::OK, Value::Null)
    );
    let err = |s: StatusCode, e: &str| (s, json!({ "error": e }));
    let pin = |chat: i64, id: String, user: &crate::helpers::User, method: Method| {
        let path = format!("/chats/{chat}/messages/{id}/pin");
        let user = user.clone();
        let h = &h;
        async move { h.call(method, &path, &user, None).await }
    };
    assert_eq!(
        pin(10, m1.to_string(), &h.carol, Method::POST).await?,
        err(StatusCode::FORBIDDEN, "Not a member of this chat")
    );
    assert_eq!(
        pin(30, c1.to_string(), &h.bob, Method::POST).await?,
        err(StatusCode::FORBIDDEN, "Only admins can pin in channels")
    );
    assert_eq!(
        pin(10, c1.to_string(), &h.bob, Method::POST).await?,
        err(StatusCode::NOT_FOUND, "Message not found")
    );
    assert_eq!(
        pin(10, "x".into(), &h.bob, Method::POST).await?,
        err(StatusCode::NOT_FOUND, "Message not found")
    );

    let (status, first) = pin(10, m1.to_string(), &h.bob, Method::POST).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["pinned_message_id"], m1);
    assert_eq!(first["pinned_by"], h.bob.id);
    assert_eq!(first["message"]["id"], m1);
    assert_eq!(first["message"]["sender_username"], "alice");
    let (status, second) = pin(10, m2.to_string(), &h.alice, Method::POST).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        h.count("SELECT count(*) FROM pinned_messages WHERE chat_id = 10")
            .await?,
        2
    );
    assert_eq!(
        h.count("SELECT count(*) FROM pinned_messages WHERE chat_id = 10 AND unpinned_at IS NULL")
            .await?,
        1
    );

    let (status, current) = h.get("/chats/10/pinned-message", &h.bob).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        current,
        json!({"message": second["message"], "pinned_at": second["pinned_at"], "pinned_by": h.alice.id})
    );
    // Still shown after deletion for everyone; no longer pinnable.
    h.call(
        Method::DELETE,
        &format!("/chats/10/messages/{m2}"),
        &h.bob,
        Some(json!({"for_everyone": true})),
    )
    .await?;
    // ...without its text (§9.9).
    let (_, current) = h.get("/chats/10/pinned-message", &h.bob).await?;
    let shown = &current["message"];
    assert_eq!(shown["id"], m2);
    for key in [
        "content",
        "attachment_url",
        "attachment_filename",
        "attachment_mime_type",
        "sticker_url",
        "sticker_label",
    ] {
        assert_eq!(shown[key], Value::Null, "{key}");
    }
    assert!(shown.get("reply_to_content").is_none());
    assert_eq!(
        pin(10, m2.to_string(), &h.bob, Method::POST).await?,
        err(StatusCode::NOT_FOUND, "Message not found")
    );
    assert_eq!(
        h.get("/chats/10/pinned-message", &h.carol).await?,
        err(StatusCode::FORBIDDEN, "Not a member of this chat")
    );

    let none = err(StatusCode::NOT_FOUND, "No pinned message found");
    assert_eq!(pin(10, m1.to_string(), &h.bob, Method::DELETE).await?, none);
    assert_eq!(pin(10, "x".into(), &h.bob, Method::DELETE).await?, none);
    assert_eq!(
        pin(30, c1.to_string(), &h.bob, Method::DELETE).await?,
        err(StatusCode::FORBIDDEN, "Only admins can unpin in channels")
    );
    assert_eq!(
        pin(10, m2.to_string(), &h.carol, Method::DELETE).await?,
        err(StatusCode::FORBIDDEN, "Not a member of this chat")
    );
    assert_eq!(
        pin(10, m2.to_string(), &h.bob, Method::DELETE).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        h.get("/chats/10/pinned-message", &h.bob).await?,
        (StatusCode::OK, Value::Null)
    );
    assert_eq!(pin(10, m2.to_string(), &h.bob, Method::DELETE).await?, none);

    let pinned = h.expect_events("message.pinned", 2).await?;
    let ev = pb::MessagePinned::decode(pinned[0].payload.as_slice())?;
    assert_eq!(
        (ev.chat_id, ev.message_id, ev.pinned_by),
        (10, m1, h.bob.id)
    );
    let enriched: Value = serde_json::from_str(&ev.enriched_json)?;
    assert_eq!(enriched, first["message"]);
    let unpinned = h.expect_events("message.unpinned", 1).await?;
    let ev = pb::MessageUnpinned::decode(unpinned[0].payload.as_slice())?;
    assert_eq!((ev.chat_id, ev.message_id), (10, m2));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_toggle_and_the_batch_map_groups_by_first_reaction() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(
        10,
        "channel",
        &[
            (&h.alice, "owner"),
            (&h.bob, "member"),
            (&h.carol, "member"),
        ],
    );
    h.chat(40, "group", &[(&h.alice, "owner")]);
    let m1 = h.send(10, &h.alice, "one").await?;
    let m2 = h.send(10, &h.alice, "two").await?;
    let foreign = h.send(40, &h.alice, "x").await?;
    let react = |id: String, user: &crate::helpers::User, body: Value| {
        let path = format!("/chats/10/messages/{id}/reactions");
        let user = user.clone();
        let h = &h;
        async move { h.post(&path, &user, body).await }
    };
    let err = |s: StatusCode, e: &str| (s, json!({ "error": e }));
    let bad = err(StatusCode::BAD_REQUEST, "emoji required (max 32 chars)");
    assert_eq!(
        react(m1.to_string(), &h.bob, json!(null)).await?,
        err(StatusCode::BAD_REQUEST, "Invalid JSON")
    );
    assert_eq!(react(m1.to_string(), &h.bob, json!({})).await?, bad);
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": ""})).await?,
        bad
    );
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": 5})).await?,
        bad
    );
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": "x".repeat(33)})).await?,
        bad
    );
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": "👍".repeat(9)})).await?,
        bad
    );
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": "a\u{0}"})).await?,
        bad
    );
    h.remove_member(10, &h.carol);
    assert_eq!(
        react(m1.to_string(), &h.carol, json!({"emoji": "👍"})).await?,
        err(StatusCode::FORBIDDEN, "Not a member of this chat")
    );
    h.chat(
        10,
        "channel",
        &[
            (&h.alice, "owner"),
            (&h.bob, "member"),
            (&h.carol, "member"),
        ],
    );
    let missing = err(StatusCode::NOT_FOUND, "Message not found in this chat");
    assert_eq!(
        react(foreign.to_string(), &h.bob, json!({"emoji": "👍"})).await?,
        missing
    );
    assert_eq!(
        react("x".into(), &h.bob, json!({"emoji": "👍"})).await?,
        missing
    );
    assert_eq!(h.count("SELECT count(*) FROM message_reactions").await?, 0);

    // Subscribers of a channel may react.
    assert_eq!(
        react(m1.to_string(), &h.bob, json!({"emoji": "🔥"})).await?,
        (
            StatusCode::OK,
            json!({"message_id": m1, "emoji": "🔥", "action": "added"})
        )
    );
    react(m1.to_string(), &h.carol, json!({"emoji": "👍"})).await?;
    react(m1.to_string(), &h.bob, json!({"emoji": "👍"})).await?;
    react(m2.to_string(), &h.carol, json!({"emoji": "x"})).await?;
    assert_eq!(
        react(m2.to_string(), &h.carol, json!({"emoji": "x"})).await?,
        (
            StatusCode::OK,
            json!({"message_id": m2, "emoji": "x", "action": "removed"})
        )
    );
    let (status, map) = h
        .get(
            &format!("/chats/10/reactions?message_ids={m1},{m2},{foreign},abc,-3"),
            &h.bob,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        map,
        json!({ m1.to_string(): [
            {"emoji": "🔥", "count": 1, "me": true},
            {"emoji": "👍", "count": 2, "me": true},
        ]})
    );
    let (_, for_alice) = h
        .get(&format!("/chats/10/reactions?message_ids={m2}"), &h.alice)
        .await?;
    assert_eq!(for_alice, json!({}));

    let batch = |q: &str| {
        let path = format!("/chats/10/reactions{q}");
        let h = &h;
        async move { h.get(&path, &h.carol).await }
    };
    assert_eq!(
        batch("").await?,
        err(StatusCode::BAD_REQUEST, "message_ids required")
    );
    assert_eq!(
        batch("?message_ids=").await?,
        err(StatusCode::BAD_REQUEST, "message_ids required")
    );
    let invalid = err(
        StatusCode::BAD_REQUEST,
        "message_ids: 1-200 valid IDs required",
    );
    assert_eq!(batch("?message_ids=a,0,-1").await?, invalid);
    let many: Vec<String> = (1..=201).map(|i| i.to_string()).collect();
    assert_eq!(
        batch(&format!("?message_ids={}", many.join(","))).await?,
        invalid
    );
    h.remove_member(10, &h.carol);
    assert_eq!(
        batch(&format!("?message_ids={m1}")).await?,
        err(StatusCode::FORBIDDEN, "Not a member of this chat")
    );
    let changed = h.expect_events("reaction.changed", 5).await?;
    let ev = pb::ReactionChanged::decode(changed[0].payload.as_slice())?;
    assert_eq!(
        (
            ev.chat_id,
            ev.message_id,
            ev.user_id,
            ev.emoji.as_str(),
            ev.action.as_str()
        ),
        (10, m1, h.bob.id, "🔥", "added")
    );
    h.stop().await
}
