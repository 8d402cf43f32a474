//! Read state, and the gRPC services (History, Unread), and chat deletion.

use crate::helpers::Harness;
use chorus_proto::message::v1 as pb;
use prost::Message as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_read_moves_forward_only_and_emits_receipts_when_enabled() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(
        10,
        "group",
        &[
            (&h.alice, "owner"),
            (&h.bob, "member"),
            (&h.carol, "member"),
        ],
    );
    h.chat(11, "group", &[(&h.bob, "owner")]);
    let read = |chat: &str, user: &crate::helpers::User| {
        let path = format!("/chats/{chat}/read");
        let user = user.clone();
        let h = &h;
        async move { h.call(Method::POST, &path, &user, None).await }
    };
    let forbidden = (
        StatusCode::FORBIDDEN,
        json!({"error": "Not a member of this chat"}),
    );
    assert_eq!(read("11", &h.alice).await?, forbidden);
    assert_eq!(read("x", &h.alice).await?, forbidden);
    assert_eq!(h.get("/chats/11/read-receipts", &h.alice).await?, forbidden);
    // An empty chat: 204, position 0, no receipt.
    assert_eq!(
        read("11", &h.bob).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );

    let m1 = h.send(10, &h.alice, "one").await?;
    let m2 = h.send(10, &h.alice, "two").await?;
    assert_eq!(read("10", &h.bob).await?.0, StatusCode::NO_CONTENT);
    assert_eq!(read("10", &h.bob).await?.0, StatusCode::NO_CONTENT);
    let receipts = h.expect_events("receipt.read", 2).await?;
    let ev = pb::ReceiptRead::decode(receipts[0].payload.as_slice())?;
    assert_eq!(
        (ev.chat_id, ev.user_id, ev.last_read_msg_id),
        (10, h.bob.id, m2)
    );

    // Alice's own sends advanced her position (without a receipt).
    let (status, list) = h.get("/chats/10/read-receipts", &h.carol).await?;
    assert_eq!(status, StatusCode::OK);
    let mut list = list.as_array().cloned().unwrap_or_default();
    list.sort_by_key(|r| r["user_id"].as_i64());
    assert_eq!(list.len(), 2);
    assert_eq!(
        (
            list[0]["user_id"].as_i64(),
            list[0]["last_read_msg_id"].as_i64()
        ),
        (Some(h.alice.id), Some(m2))
    );
    assert_eq!(
        (
            list[1]["user_id"].as_i64(),
            list[1]["last_read_msg_id"].as_i64()
        ),
        (Some(h.bob.id), Some(m2))
    );
    assert!(
        list[1]["read_at"]
            .as_str()
            .is_some_and(|t| t.ends_with("+00"))
    );
    assert!(m1 < m2);

    // Bob disables read receipts: he sees [] and others no longer see him; no more events.
    // (In auth that is `PUT /settings`; message reads the flag from `Users.GetMany`.)
    h.read_receipts(&h.bob, false)?;
    assert_eq!(
        h.get("/chats/10/read-receipts", &h.bob).await?,
        (StatusCode::OK, json!([]))
    );
    let (_, for_carol) = h.get("/chats/10/read-receipts", &h.carol).await?;
    assert_eq!(for_carol.as_array().map(Vec::len), Some(1));
    h.send(10, &h.alice, "three").await?;
    assert_eq!(read("10", &h.bob).await?.0, StatusCode::NO_CONTENT);
    // A member who left is no longer listed.
    h.remove_member(10, &h.alice);
    assert_eq!(
        h.get("/chats/10/read-receipts", &h.carol).await?,
        (StatusCode::OK, json!([]))
    );
    h.expect_events("receipt.read", 2).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_summaries_and_history_catch_up_over_grpc() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(11, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let m1 = h.send(10, &h.alice, "one").await?;
    let m2 = h.send(10, &h.bob, "two").await?;
    let m3 = h.send(10, &h.alice, "three").await?;
    let (_, img) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": "pic", "type": "image"}),
        )
        .await?;
    h.call(
        Method::DELETE,
        &format!("/chats/10/messages/{m1}"),
        &h.alice,
        Some(json!({"for_everyone": true})),
    )
    .await?;
    h.call(
        Method::DELETE,
        &format!("/chats/10/messages/{m3}"),
        &h.bob,
        None,
    )
    .await?;

    // Chat 12's newest messages are deleted, for everyone and for bob: the list
    // previews what bob may still read (§7.3).
    h.chat(12, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.send(12, &h.alice, "still visible").await?;
    let secret = h.send(12, &h.alice, "secret").await?;
    let hidden = h.send(12, &h.alice, "hidden from bob").await?;
    for (id, body) in [(secret, json!({"for_everyone": true})), (hidden, json!({}))] {
        let (status, _) = h
            .call(
                Method::DELETE,
                &format!("/chats/12/messages/{id}"),
                if id == secret { &h.alice } else { &h.bob },
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    let mut unread = pb::unread_client::UnreadClient::connect(h.message_grpc.clone()).await?;
    let reply = unread
        .summaries(pb::SummariesRequest {
            user_id: h.bob.id,
            chat_ids: vec![10, 11, 10, 12],
        })
        .await?
        .into_inner();
    let mut s = reply.summaries;
    s.sort_by_key(|x| x.chat_id);
    assert_eq!(s.len(), 3);
    assert_eq!(s[2].last_message.as_deref(), Some("still visible"));
    // Bob's own send moved his position past m1: m3 and the image remain (deleted ones count).
    assert_eq!(
        (
            s[0].chat_id,
            s[0].unread_count,
            s[0].last_message.as_deref()
        ),
        (10, 2, Some(""))
    );
    assert!(s[0].last_at_micros.is_some());
    assert_eq!(
        (s[1].chat_id, s[1].unread_count, s[1].last_message.clone()),
        (11, 0, None)
    );

    let mut history = pb::history_client::HistoryClient::connect(h.message_grpc.clone()).await?;
    let page = history
        .after(pb::HistoryRequest {
            chat_id: 10,
            user_id: h.bob.id,
            after_seq: 0,
            limit: 2,
        })
        .await?
        .into_inner();
    let seqs: Vec<(i64, bool)> = page
        .messages
        .iter()
        .map(|m| (m.seq, m.is_deleted))
        .collect();
    assert_eq!(seqs, [(1, true), (2, false)]);
    assert!(page.has_more);
    let enriched: Value = serde_json::from_str(&page.enriched_json[1])?;
    assert_eq!(
        (enriched["id"].as_i64(), enriched["seq"].as_i64()),
        (Some(m2), Some(2))
    );
    let rest = history
        .after(pb::HistoryRequest {
            chat_id: 10,
            user_id: h.bob.id,
            after_seq: 2,
            limit: 0,
        })
        .await?
        .into_inner();
    // m3 was deleted for bob only: skipped.
    let ids: Vec<i64> = rest.messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, [img["id"].as_i64().unwrap_or_default()]);
    assert!(!rest.has_more);
    let denied = history
        .after(pb::HistoryRequest {
            chat_id: 10,
            user_id: h.carol.id,
            after_seq: 0,
            limit: 10,
        })
        .await;
    assert_eq!(
        denied.map(|_| ()).map_err(|s| s.code()),
        Err(tonic::Code::PermissionDenied)
    );
    h.stop().await
}
