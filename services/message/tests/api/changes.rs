//! Changing messages: edit and delete (for me, for everyone).

use crate::helpers::Harness;
use chorus_proto::message::v1 as pb;
use prost::Message as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn is_ts(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() >= 22 && s.ends_with("+00") && s.as_bytes()[10] == b' ')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_changes_only_own_live_text_messages() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(12, "group", &[(&h.alice, "owner")]);
    let id = h.send(10, &h.alice, "before").await?;
    let elsewhere = h.send(12, &h.alice, "x").await?;
    let (_, img) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": "pic", "type": "image"}),
        )
        .await?;
    let put = |path: String, user: &crate::helpers::User, body: Value| {
        let user = user.clone();
        let h = &h;
        async move { h.call(Method::PUT, &path, &user, Some(body)).await }
    };
    let not_editable = (
        StatusCode::FORBIDDEN,
        json!({"error": "Message not found or not editable"}),
    );
    assert_eq!(
        put(format!("/chats/10/messages/{id}"), &h.alice, json!({})).await?,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "content required"})
        )
    );
    assert_eq!(
        put(
            format!("/chats/10/messages/{id}"),
            &h.alice,
            json!({"content": "x".repeat(10_001)})
        )
        .await?,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "Message too long"})
        )
    );
    assert_eq!(
        put(
            format!("/chats/10/messages/{id}"),
            &h.carol,
            json!({"content": "x"})
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Not a member of this chat"})
        )
    );
    assert_eq!(
        put(
            format!("/chats/10/messages/{id}"),
            &h.bob,
            json!({"content": "x"})
        )
        .await?,
        not_editable
    );
    assert_eq!(
        put(
            format!("/chats/10/messages/{elsewhere}"),
            &h.alice,
            json!({"content": "x"})
        )
        .await?,
        not_editable
    );
    assert_eq!(
        put(
            format!("/chats/10/messages/{}", img["id"]),
            &h.alice,
            json!({"content": "x"})
        )
        .await?,
        not_editable
    );
    assert_eq!(
        put(
            "/chats/10/messages/abc".into(),
            &h.alice,
            json!({"content": "x"})
        )
        .await?,
        not_editable
    );

    let (status, body) = put(
        format!("/chats/10/messages/{id}"),
        &h.alice,
        json!({"content": "after"}),
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["id"].as_i64(), &body["content"], &body["is_edited"]),
        (Some(id), &json!("after"), &json!(true))
    );
    assert!(is_ts(&body["updated_at"]));
    let (_, list) = h.get("/chats/10/messages", &h.bob).await?;
    assert_eq!(list[0]["content"], "after");
    assert_eq!(list[0]["is_edited"], true);
    assert_eq!(list[0]["updated_at"], body["updated_at"]);
    assert!(list[1].get("updated_at").is_none());

    let (status, _) = h
        .call(
            Method::DELETE,
            &format!("/chats/10/messages/{id}"),
            &h.alice,
            Some(json!({"for_everyone": true})),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        put(
            format!("/chats/10/messages/{id}"),
            &h.alice,
            json!({"content": "again"})
        )
        .await?,
        not_editable
    );
    let updated = h.expect_events("message.updated", 1).await?;
    let ev = pb::MessageUpdated::decode(updated[0].payload.as_slice())?;
    assert_eq!(
        (ev.chat_id, ev.message_id, ev.content.as_str()),
        (10, id, "after")
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_for_me_hides_privately_and_for_everyone_follows_the_sender_admin_and_48h_rules()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(
        10,
        "group",
        &[(&h.alice, "owner"), (&h.bob, "member"), (&h.carol, "admin")],
    );
    let a = h.send(10, &h.alice, "a").await?;
    let b = h.send(10, &h.bob, "b").await?;
    let old = h.send(10, &h.bob, "old").await?;
    sqlx::query("UPDATE messages SET created_at = now() - interval '48 hours' WHERE id = $1")
        .bind(old)
        .execute(&h.db)
        .await?;
    let del = |id: i64, user: &crate::helpers::User, everyone: Option<bool>| {
        let user = user.clone();
        let h = &h;
        async move {
            h.call(
                Method::DELETE,
                &format!("/chats/10/messages/{id}"),
                &user,
                everyone.map(|e| json!({"for_everyone": e})),
            )
            .await
        }
    };
    h.remove_member(10, &h.carol);
    assert_eq!(
        del(a, &h.carol, None).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Not a member of this chat"})
        )
    );
    h.chat(
        10,
        "group",
        &[(&h.alice, "owner"), (&h.bob, "member"), (&h.carol, "admin")],
    );

    assert_eq!(
        del(a, &h.bob, Some(true)).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Only sender or admin can delete for everyone"})
        )
    );
    assert_eq!(
        del(old, &h.bob, Some(true)).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Cannot delete for everyone after 48 hours"})
        )
    );
    assert_eq!(
        del(999_999, &h.bob, None).await?,
        (StatusCode::NOT_FOUND, json!({"error": "Message not found"}))
    );

    // For me: bob no longer sees a, alice still does; idempotent; no event.
    assert_eq!(del(a, &h.bob, Some(false)).await?.0, StatusCode::NO_CONTENT);
    assert_eq!(del(a, &h.bob, None).await?.0, StatusCode::NO_CONTENT);
    let ids = |v: &Value| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m["id"].as_i64())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&h.get("/chats/10/messages", &h.bob).await?.1), [old, b]);
    assert_eq!(
        ids(&h.get("/chats/10/messages", &h.alice).await?.1),
        [old, a, b]
    );

    // For everyone by a chat admin, then it is gone for all and cannot be deleted again.
    assert_eq!(
        del(b, &h.carol, Some(true)).await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        del(b, &h.bob, Some(true)).await?,
        (StatusCode::NOT_FOUND, json!({"error": "Message not found"}))
    );
    assert_eq!(
        del(b, &h.bob, None).await?,
        (StatusCode::NOT_FOUND, json!({"error": "Message not found"}))
    );
    assert_eq!(
        ids(&h.get("/chats/10/messages", &h.alice).await?.1),
        [old, a]
    );
    let deleted = h.expect_events("message.deleted", 1).await?;
    let ev = pb::MessageDeleted::decode(deleted[0].payload.as_slice())?;
    assert_eq!(
        (ev.chat_id, ev.message_id, ev.deleted_by),
        (10, b, h.carol.id)
    );
    h.stop().await
}
