//! POST /chats (§7.2): direct get-or-create, self-chats, groups, channels, validation.

use crate::helpers::{Harness, err, only};
use chorus_proto::chat::v1::ChatCreated;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_chat_is_created_once_and_then_returned_with_200_to_both_sides()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);

    let (status, first) = h
        .post("/chats", &alice, json!({"member_ids": [bob.id]}))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = first["id"].as_i64().unwrap_or_default();
    assert_eq!(first, json!({"id": id, "type": "direct"}));
    let created: ChatCreated = only(&probe.settle().await?, "chat.created")?;
    assert_eq!(
        created,
        ChatCreated {
            chat_id: id,
            chat_type: "direct".into(),
            title: String::new(),
            created_by: alice.id,
            audience_user_ids: vec![alice.id, bob.id],
        }
    );

    let again = h
        .post(
            "/chats",
            &alice,
            json!({"type": "direct", "member_ids": [bob.id]}),
        )
        .await?;
    assert_eq!(again, (StatusCode::OK, json!({"id": id, "type": "direct"})));
    let reverse = h
        .post("/chats", &bob, json!({"member_ids": [alice.id]}))
        .await?;
    assert_eq!(
        reverse,
        (StatusCode::OK, json!({"id": id, "type": "direct"}))
    );
    assert!(
        probe.settle().await?.is_empty(),
        "an existing direct chat emits nothing"
    );

    let (_, detail) = h.get(&format!("/chats/{id}"), &bob).await?;
    assert_eq!(detail["owner_id"], json!(alice.id), "the creator owns a DM");
    assert_eq!(detail["my_role"], json!("member"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_for_the_same_pair_get_the_same_direct_chat() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, carol) = (h.login("alice").await?, h.login("carol").await?);
    let (a, b, c, d) = tokio::join!(
        h.post("/chats", &alice, json!({"member_ids": [carol.id]})),
        h.post("/chats", &carol, json!({"member_ids": [alice.id]})),
        h.post("/chats", &alice, json!({"member_ids": [carol.id]})),
        h.post("/chats", &carol, json!({"member_ids": [alice.id]})),
    );
    let answers = [a?, b?, c?, d?];
    let ids: Vec<_> = answers.iter().map(|(_, body)| body["id"].clone()).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0] && id.is_i64()),
        "{answers:?}"
    );
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{answers:?}");
    assert_eq!(h.count("chats").await?, 1);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_chat_is_get_or_create_with_the_caller_as_sole_member() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let alice = h.login("alice").await?;
    let (status, body) = h
        .post(
            "/chats",
            &alice,
            json!({"type": "direct", "member_ids": [alice.id]}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap_or_default();
    let created: ChatCreated = only(&probe.settle().await?, "chat.created")?;
    assert_eq!(created.audience_user_ids, vec![alice.id]);

    let again = h
        .post(
            "/chats",
            &alice,
            json!({"member_ids": [alice.id, alice.id]}),
        )
        .await?;
    assert_eq!(again, (StatusCode::OK, json!({"id": id, "type": "direct"})));
    let (_, detail) = h.get(&format!("/chats/{id}"), &alice).await?;
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(1));
    assert_eq!(detail["my_role"], json!("owner"));
    assert!(probe.settle().await?.is_empty());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_creation_requests_answer_400_or_404_and_write_nothing() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    let requires_one = err(
        StatusCode::BAD_REQUEST,
        "direct chat requires exactly one other member_id",
    );
    let cases = [
        (json!({}), requires_one.clone()),
        (json!({"member_ids": []}), requires_one.clone()),
        (json!({"member_ids": [5, 5]}), requires_one.clone()),
        (
            json!({"member_ids": [bob.id, bob.id]}),
            requires_one.clone(),
        ),
        (json!({"member_ids": "bob"}), requires_one.clone()),
        (
            json!({"member_ids": [alice.id, bob.id]}),
            err(
                StatusCode::BAD_REQUEST,
                "self-chat must not include other members",
            ),
        ),
        (
            json!({"member_ids": [987_654]}),
            err(StatusCode::NOT_FOUND, "User not found"),
        ),
        (
            json!({"type": "secret", "member_ids": [bob.id]}),
            err(
                StatusCode::BAD_REQUEST,
                "type must be 'direct', 'group', or 'channel'",
            ),
        ),
        (
            json!({"type": 3}),
            err(
                StatusCode::BAD_REQUEST,
                "type must be 'direct', 'group', or 'channel'",
            ),
        ),
        (
            json!({"type": "channel", "name": "News"}),
            err(
                StatusCode::BAD_REQUEST,
                "title is required for channel type",
            ),
        ),
        (
            json!({"type": "group", "title": "a\u{0}b"}),
            err(
                StatusCode::BAD_REQUEST,
                "title must not contain NUL characters",
            ),
        ),
        (json!([1, 2]), err(StatusCode::BAD_REQUEST, "Invalid JSON")),
    ];
    for (body, expected) in cases {
        assert_eq!(
            h.post("/chats", &alice, body.clone()).await?,
            expected,
            "{body}"
        );
    }
    let not_json = h
        .raw(
            Method::POST,
            "/chats",
            &alice.token,
            "text/plain",
            r#"{"type":"group"}"#,
        )
        .await?;
    assert_eq!(not_json, err(StatusCode::BAD_REQUEST, "Invalid JSON"));
    let broken = h
        .raw(
            Method::POST,
            "/chats",
            &alice.token,
            "application/json",
            "{",
        )
        .await?;
    assert_eq!(broken, err(StatusCode::BAD_REQUEST, "Invalid JSON"));
    let anonymous = h
        .call(Method::POST, "/chats", None, Some(json!({"type": "group"})))
        .await?;
    assert_eq!(
        anonymous,
        err(StatusCode::UNAUTHORIZED, "Missing Authorization header")
    );

    assert_eq!(h.count("chats").await?, 0);
    assert_eq!(h.count("chat_members").await?, 0);
    assert!(
        probe.settle().await?.is_empty(),
        "failed requests emit nothing"
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_skips_unknown_ids_and_commits_every_member_before_answering() -> anyhow::Result<()>
{
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let (status, body) = h
        .post(
            "/chats",
            &alice,
            json!({"type": "group", "title": "Team", "member_ids": [bob.id, 987_654, alice.id, bob.id, carol.id.to_string(), "x", -3]}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap_or_default();
    assert_eq!(body, json!({"id": id, "type": "group", "title": "Team"}));

    let (_, detail) = h.get(&format!("/chats/{id}"), &bob).await?;
    let mut roles: Vec<(i64, String)> = detail["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["id"].as_i64().unwrap_or_default(),
                m["role"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        vec![
            (alice.id, "owner".into()),
            (bob.id, "member".into()),
            (carol.id, "member".into())
        ]
    );
    let created: ChatCreated = only(&probe.settle().await?, "chat.created")?;
    assert_eq!(created.chat_type, "group");
    assert_eq!(created.title, "Team");
    assert_eq!(created.audience_user_ids, vec![alice.id, bob.id, carol.id]);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_take_their_title_as_name_and_absent_texts_read_back_as_empty_strings()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    let alice = h.login("alice").await?;
    let (status, body) = h
        .post(
            "/chats",
            &alice,
            json!({"type": "channel", "title": "News", "name": "ignored", "public_name": "news"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let channel = body["id"].as_i64().unwrap_or_default();
    assert_eq!(
        body,
        json!({"id": channel, "type": "channel", "title": "News"})
    );
    let (_, detail) = h.get(&format!("/chats/{channel}"), &alice).await?;
    assert_eq!(detail["name"], json!("News"));
    assert_eq!(detail["description"], json!(""));
    assert_eq!(detail["public_name"], json!("news"));

    let (status, body) = h
        .post(
            "/chats",
            &alice,
            json!({"type": "group", "name": "Only name", "public_name": ""}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let group = body["id"].as_i64().unwrap_or_default();
    assert_eq!(
        body,
        json!({"id": group, "type": "group"}),
        "no title key without a title"
    );
    let (_, detail) = h.get(&format!("/chats/{group}"), &alice).await?;
    assert_eq!(
        (
            &detail["name"],
            &detail["title"],
            &detail["description"],
            &detail["public_name"]
        ),
        (&json!("Only name"), &json!(""), &json!(""), &json!(null))
    );

    let taken = h
        .post(
            "/chats",
            &alice,
            json!({"type": "group", "title": "Copy", "public_name": "NEWS"}),
        )
        .await?;
    assert_eq!(
        taken,
        err(StatusCode::CONFLICT, "public_name already taken")
    );
    assert_eq!(
        h.count("chats").await?,
        2,
        "the refused chat was not stored"
    );
    h.stop().await
}
