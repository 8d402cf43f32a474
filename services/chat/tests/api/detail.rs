//! One chat: GET (§7.4), by public name (§7.5), PATCH (§7.6), DELETE (§7.7), avatar (§7.8).

use crate::helpers::{Harness, Options, err, only};
use chorus_proto::chat::v1::{ChatDeleted, ChatUpdated};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn is_ts(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() >= 22 && s.ends_with("+00") && s.as_bytes().get(10) == Some(&b' '))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sees_the_chat_with_its_members_and_others_get_404() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    let (status, mut body) = h.get(&format!("/chats/{id}"), &bob).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(is_ts(&body["created_at"]), "{body}");
    let members = body["members"].take();
    body["created_at"] = Value::Null;
    assert_eq!(
        body,
        json!({"id": id, "type": "group", "name": "", "title": "Team", "description": "",
               "public_name": null, "owner_id": alice.id, "created_at": null, "avatar_url": null,
               "members": null, "member_count": 2, "my_role": "member"})
    );
    let Value::Array(mut members) = members else {
        panic!("members is not an array")
    };
    for m in &mut members {
        assert!(is_ts(&m["joined_at"]), "{m}");
        m["joined_at"] = Value::Null;
    }
    members.sort_by_key(|m| m["id"].as_i64());
    assert_eq!(
        members,
        vec![
            json!({"id": alice.id, "username": "alice", "display_name": "Alice", "role": "owner", "joined_at": null, "avatar_url": null}),
            json!({"id": bob.id, "username": "bob", "display_name": "Bob", "role": "member", "joined_at": null, "avatar_url": null}),
        ]
    );

    let denied = err(StatusCode::NOT_FOUND, "Chat not found or access denied");
    assert_eq!(h.get(&format!("/chats/{id}"), &carol).await?, denied);
    assert_eq!(h.get("/chats/987654", &alice).await?, denied);
    assert_eq!(h.get("/chats/abc", &alice).await?, denied);
    assert_eq!(h.get("/chats/99999999999999999999", &alice).await?, denied);
    let anonymous = h
        .call(Method::GET, &format!("/chats/{id}"), None, None)
        .await?;
    assert_eq!(
        anonymous,
        err(StatusCode::UNAUTHORIZED, "Missing Authorization header")
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_chat_is_found_by_name_without_authentication_case_insensitively()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    let (_, body) = h
        .post("/chats", &alice, json!({"type": "channel", "title": "News", "description": "Daily", "public_name": "Daily News", "member_ids": [bob.id]}))
        .await?;
    let id = body["id"].as_i64().unwrap_or_default();
    let (status, mut found) = h
        .call(Method::GET, "/chats/by-name/daily%20NEWS", None, None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(is_ts(&found["created_at"]));
    found["created_at"] = Value::Null;
    assert_eq!(
        found,
        json!({"id": id, "type": "channel", "name": "News", "title": "News", "description": "Daily",
               "public_name": "Daily News", "created_at": null, "member_count": 2})
    );
    let missing = err(StatusCode::NOT_FOUND, "Chat not found");
    for path in [
        "/chats/by-name/nothing",
        "/chats/by-name/a%00b",
        "/chats/by-name/%FF",
    ] {
        assert_eq!(
            h.call(Method::GET, path, None, None).await?,
            missing,
            "{path}"
        );
    }
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_and_admins_update_title_description_and_public_name() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    h.post(
        "/chats",
        &carol,
        json!({"type": "group", "title": "Other", "public_name": "taken"}),
    )
    .await?;
    probe.settle().await?;
    let path = format!("/chats/{id}");

    let updated = h
        .patch(
            &path,
            &alice,
            json!({"title": "Crew", "public_name": "Crew", "name": "ignored", "x": 1}),
        )
        .await?;
    assert_eq!(
        updated,
        (
            StatusCode::OK,
            json!({"id": id, "type": "group", "name": "", "title": "Crew", "description": "", "public_name": "Crew"})
        )
    );
    let event: ChatUpdated = only(&probe.settle().await?, "chat.updated")?;
    assert_eq!(
        event,
        ChatUpdated {
            chat_id: id,
            title: Some("Crew".into()),
            description: Some(String::new()),
            public_name: Some("Crew".into()),
            avatar_changed: false,
            avatar_file_id: None,
            avatar_url: None,
        }
    );

    let coerced = h
        .patch(&path, &alice, json!({"description": 42, "public_name": ""}))
        .await?;
    assert_eq!(coerced.1["description"], json!("42"));
    assert_eq!(
        coerced.1["public_name"],
        json!(null),
        "an empty public_name clears it"
    );
    assert_eq!(
        coerced.1["title"],
        json!("Crew"),
        "absent keys keep their values"
    );
    probe.settle().await?;

    let cases = [
        (
            &alice,
            json!({}),
            err(StatusCode::BAD_REQUEST, "No fields to update"),
        ),
        (
            &alice,
            json!({"name": "x"}),
            err(StatusCode::BAD_REQUEST, "No fields to update"),
        ),
        (
            &alice,
            json!({"public_name": "TAKEN"}),
            err(StatusCode::CONFLICT, "public_name already taken"),
        ),
        (
            &alice,
            json!({"title": "nul\u{0}"}),
            err(
                StatusCode::BAD_REQUEST,
                "title must not contain NUL characters",
            ),
        ),
        (
            &bob,
            json!({"title": "Mine"}),
            err(StatusCode::FORBIDDEN, "Only owner or admin can update chat"),
        ),
        (
            &carol,
            json!({"title": "Mine"}),
            err(StatusCode::NOT_FOUND, "Chat not found or access denied"),
        ),
        (
            &alice,
            json!("title"),
            err(StatusCode::BAD_REQUEST, "Invalid JSON"),
        ),
    ];
    for (user, body, expected) in cases {
        assert_eq!(
            h.patch(&path, user, body.clone()).await?,
            expected,
            "{body}"
        );
    }
    assert_eq!(
        h.patch("/chats/nope", &alice, json!({"title": "x"}))
            .await?,
        err(StatusCode::NOT_FOUND, "Chat not found or access denied")
    );
    let not_json = h
        .raw(
            Method::PATCH,
            &path,
            &alice.token,
            "text/plain",
            r#"{"title":"x"}"#,
        )
        .await?;
    assert_eq!(not_json, err(StatusCode::BAD_REQUEST, "Invalid JSON"));
    assert!(
        probe.settle().await?.is_empty(),
        "refused updates emit nothing"
    );

    h.post(
        &format!("/chats/{id}/members/{}/promote", bob.id),
        &alice,
        json!({}),
    )
    .await?;
    let by_admin = h.patch(&path, &bob, json!({"title": "Admins too"})).await?;
    assert_eq!(by_admin.0, StatusCode::OK);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_deletes_a_chat_and_every_former_member_is_told() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    h.post_empty(&format!("/chats/{id}/invites"), &alice)
        .await?;
    h.post_empty(&format!("/chats/{id}/favorite"), &bob).await?;
    h.post(
        &format!("/chats/{id}/members/{}/promote", bob.id),
        &alice,
        json!({}),
    )
    .await?;
    probe.settle().await?;
    let path = format!("/chats/{id}");

    assert_eq!(
        h.delete(&path, &bob).await?,
        err(StatusCode::FORBIDDEN, "Only the chat owner can delete it")
    );
    let denied = err(StatusCode::NOT_FOUND, "Chat not found or access denied");
    assert_eq!(h.delete(&path, &carol).await?, denied);
    assert_eq!(h.delete("/chats/x", &alice).await?, denied);
    assert!(probe.settle().await?.is_empty());

    assert_eq!(
        h.delete(&path, &alice).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let deleted: ChatDeleted = only(&probe.settle().await?, "chat.deleted")?;
    assert_eq!(deleted.chat_id, id);
    assert_eq!(deleted.deleted_by, alice.id);
    let mut former = deleted.former_member_ids.clone();
    former.sort_unstable();
    assert_eq!(former, vec![alice.id, bob.id]);
    assert_eq!(h.get(&path, &alice).await?, denied);
    assert_eq!(h.delete(&path, &alice).await?, denied);
    assert_eq!(
        (h.count("chat_members").await?, h.count("invites").await?),
        (0, 0)
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_sets_a_chat_avatar_from_their_own_upload() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    h.post(
        &format!("/chats/{id}/members/{}/promote", bob.id),
        &alice,
        json!({}),
    )
    .await?;
    probe.settle().await?;
    let path = format!("/chats/{id}/avatar");
    let own_file = alice.id * 1000 + 7;

    let required = err(StatusCode::BAD_REQUEST, "file_id is required");
    assert_eq!(h.post(&path, &alice, json!({})).await?, required);
    assert_eq!(
        h.post(&path, &alice, json!({"file_id": "x"})).await?,
        required
    );
    assert_eq!(h.post_empty(&path, &alice).await?, required);
    assert_eq!(
        h.post(&path, &bob, json!({"file_id": own_file})).await?,
        err(StatusCode::FORBIDDEN, "Only owner can set chat avatar")
    );
    assert_eq!(
        h.post(&path, &carol, json!({"file_id": own_file})).await?,
        err(StatusCode::NOT_FOUND, "Chat not found or access denied")
    );
    let someone_elses = bob.id * 1000 + 1;
    assert_eq!(
        h.post(&path, &alice, json!({"file_id": someone_elses}))
            .await?,
        err(StatusCode::NOT_FOUND, "File not found")
    );
    assert!(probe.settle().await?.is_empty());

    let url = format!("https://media.test/f/{own_file}");
    assert_eq!(
        h.post(&path, &alice, json!({"file_id": own_file})).await?,
        (StatusCode::OK, json!({"avatar_url": url}))
    );
    let event: ChatUpdated = only(&probe.settle().await?, "chat.updated")?;
    assert!(event.avatar_changed);
    assert_eq!(event.avatar_file_id, Some(own_file));
    assert_eq!(event.avatar_url.as_deref(), Some(url.as_str()));
    let (_, detail) = h.get(&format!("/chats/{id}"), &bob).await?;
    assert_eq!(detail["avatar_url"], json!(url));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_media_service_fails_the_avatar_change_without_changing_it()
-> anyhow::Result<()> {
    // The default seams ask the media service over gRPC; none runs here, so
    // ownership of the file cannot be checked.
    let h = Harness::start_with(Options {
        default_seams: true,
        ..Default::default()
    })
    .await?;
    let alice = h.login("alice").await?;
    let id = h.group(&alice, "Team", &[]).await?;
    let answer = h
        .post(
            &format!("/chats/{id}/avatar"),
            &alice,
            json!({"file_id": alice.id * 1000}),
        )
        .await?;
    assert_eq!(
        answer,
        err(StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
    );
    let (_, detail) = h.get(&format!("/chats/{id}"), &alice).await?;
    assert_eq!(detail["avatar_url"], Value::Null);
    h.stop().await
}
