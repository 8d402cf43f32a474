//! GET /chats (§7.3): shape, ordering, archive, and the batched peer calls.

use crate::helpers::{Harness, Options};
use chorus_proto::message::v1::ChatSummary;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_i64())
        .collect()
}

fn find(list: &Value, id: i64) -> Value {
    list.as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == json!(id))
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_shows_every_key_and_orders_newest_first() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    h.presence
        .0
        .lock()
        .map_err(|_| anyhow::anyhow!("lock"))?
        .insert(bob.id);
    let (_, dm) = h
        .post("/chats", &alice, json!({"member_ids": [bob.id]}))
        .await?;
    let (_, own) = h
        .post("/chats", &alice, json!({"member_ids": [alice.id]}))
        .await?;
    let group = h.group(&alice, "Team", &[&bob]).await?;
    let (dm, own) = (
        dm["id"].as_i64().unwrap_or_default(),
        own["id"].as_i64().unwrap_or_default(),
    );

    let (status, list) = h.get("/chats", &alice).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&list), vec![group, own, dm], "newest first");

    let mut direct = find(&list, dm);
    assert!(
        direct["updated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with("+00"))
    );
    direct["updated_at"] = Value::Null;
    assert_eq!(
        direct,
        json!({"id": dm, "type": "direct", "name": "", "title": "", "description": "", "public_name": null,
               "updated_at": null, "last_message": null, "last_at": null, "is_favorite": false,
               "is_muted": false, "is_pinned": false, "is_archived": false, "unread_count": 0,
               "other_user_id": bob.id, "other_username": "bob", "other_display_name": "Bob",
               "other_avatar_url": null, "other_is_online": true, "avatar_url": null, "member_count": 2})
    );
    let own_chat = find(&list, own);
    assert_eq!(own_chat["other_user_id"], json!(null));
    assert_eq!(own_chat["other_username"], json!(null));
    assert_eq!(own_chat["member_count"], json!(1));
    assert!(
        own_chat.get("other_is_online").is_none(),
        "absent without another member"
    );
    let team = find(&list, group);
    assert!(team.get("other_is_online").is_none());
    assert_eq!(
        (&team["title"], &team["member_count"]),
        (&json!("Team"), &json!(2))
    );

    let (_, bobs) = h.get("/chats", &bob).await?;
    assert_eq!(
        find(&bobs, dm)["other_is_online"],
        json!(false),
        "alice is offline"
    );
    assert_eq!(find(&bobs, dm)["other_display_name"], json!("Alice"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_chats_come_first_then_favorites_then_the_latest_activity() -> anyhow::Result<()> {
    let h = Harness::start_with(Options {
        ..Default::default()
    })
    .await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    let a = h.group(&alice, "A", &[&bob]).await?;
    let b = h.group(&alice, "B", &[&bob]).await?;
    let c = h.group(&alice, "C", &[&bob]).await?;
    let d = h.group(&alice, "D", &[&bob]).await?;
    assert_eq!(ids(&h.get("/chats", &alice).await?.1), vec![d, c, b, a]);

    // A message in `a` (from the message service) makes it the most recent chat.
    let last_at = chrono::Utc::now().timestamp_micros() + 1_000_000;
    // Both members see it (the message service answers per user).
    for member in [&alice, &bob] {
        h.unread.set(
            member.id,
            ChatSummary {
                chat_id: a,
                unread_count: 3,
                last_message: Some("hi".into()),
                last_at_micros: Some(last_at),
            },
        );
    }
    let (_, list) = h.get("/chats", &alice).await?;
    assert_eq!(ids(&list), vec![a, d, c, b]);
    let first = find(&list, a);
    assert_eq!(
        (&first["unread_count"], &first["last_message"]),
        (&json!(3), &json!("hi"))
    );
    assert_eq!(
        first["last_at"], first["updated_at"],
        "updated_at follows the last message"
    );
    let calls = h.unread.calls();
    let last_call = calls.last().cloned().unwrap_or_default();
    assert_eq!(last_call.user_id, alice.id);
    let mut asked = last_call.chat_ids.clone();
    asked.sort_unstable();
    assert_eq!(asked, vec![a, b, c, d], "one call for every chat");
    assert_eq!(calls.len(), 2, "one Summaries call per list");

    // PATCH bumps updated_at.
    h.patch(
        &format!("/chats/{b}"),
        &alice,
        json!({"description": "new"}),
    )
    .await?;
    assert_eq!(ids(&h.get("/chats", &alice).await?.1), vec![a, b, d, c]);

    h.post_empty(&format!("/chats/{c}/favorite"), &alice)
        .await?;
    h.post_empty(&format!("/chats/{d}/pin"), &alice).await?;
    let (_, list) = h.get("/chats", &alice).await?;
    assert_eq!(ids(&list), vec![d, c, a, b]);
    assert_eq!(
        (&find(&list, d)["is_pinned"], &find(&list, c)["is_favorite"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        ids(&h.get("/chats", &bob).await?.1),
        vec![a, b, d, c],
        "flags are per user"
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archived_chats_disappear_from_the_list_until_unarchived() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    let a = h.group(&alice, "A", &[&bob]).await?;
    let b = h.group(&alice, "B", &[&bob]).await?;
    let none = h
        .call(
            Method::DELETE,
            &format!("/chats/{a}/archive"),
            Some(&alice.token),
            None,
        )
        .await?;
    assert_eq!(none.0, StatusCode::NO_CONTENT);
    assert_eq!(
        h.post_empty(&format!("/chats/{a}/archive"), &alice).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        h.post_empty(&format!("/chats/{a}/archive"), &alice)
            .await?
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(ids(&h.get("/chats", &alice).await?.1), vec![b]);
    assert_eq!(ids(&h.get("/chats", &bob).await?.1), vec![b, a]);
    assert_eq!(
        h.get(&format!("/chats/{a}"), &alice).await?.0,
        StatusCode::OK,
        "still a member"
    );
    h.delete(&format!("/chats/{a}/archive"), &alice).await?;
    let (_, list) = h.get("/chats", &alice).await?;
    assert_eq!(ids(&list), vec![b, a]);
    assert_eq!(find(&list, a)["is_archived"], json!(false));

    let (status, empty) = h.get("/chats", &h.register("newcomer").await?).await?;
    assert_eq!((status, empty), (StatusCode::OK, json!([])));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_fails_as_internal_error_when_the_message_service_is_unreachable()
-> anyhow::Result<()> {
    let h = Harness::start_with(Options {
        no_message_service: true,
        ..Default::default()
    })
    .await?;
    let alice = h.login("alice").await?;
    h.group(&alice, "Team", &[]).await?;
    // Showing every chat as read (and misordered) would be a plausible lie.
    let (status, body) = h.get("/chats", &alice).await?;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, json!({"error": "Internal error"}));
    h.stop().await
}
