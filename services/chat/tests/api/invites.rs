//! Invites (§8): create, list, revoke, preview, join.

use crate::helpers::{Harness, err, only};
use chorus_proto::chat::v1::MemberJoined;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn token(invite: &Value) -> String {
    invite["token"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_and_admins_create_and_list_invites_newest_first() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    let path = format!("/chats/{id}/invites");

    let (status, first) = h.post_empty(&path, &alice).await?;
    assert_eq!(status, StatusCode::CREATED);
    let t = token(&first);
    let parsed = uuid::Uuid::parse_str(&t)?;
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(
        t,
        parsed.hyphenated().to_string(),
        "lowercase canonical form"
    );
    assert!(
        first["created_at"]
            .as_str()
            .is_some_and(|s| s.ends_with("+00"))
    );
    assert_eq!(
        first,
        json!({"token": t, "chat_id": id, "created_by": alice.id, "created_at": first["created_at"], "link": format!("/join/{t}")})
    );

    let denied = err(StatusCode::NOT_FOUND, "Chat not found or access denied");
    assert_eq!(
        h.post_empty(&path, &bob).await?,
        err(
            StatusCode::FORBIDDEN,
            "Only owner or admin can create invites"
        )
    );
    assert_eq!(
        h.get(&path, &bob).await?,
        err(
            StatusCode::FORBIDDEN,
            "Only owner or admin can list invites"
        )
    );
    assert_eq!(h.post_empty(&path, &carol).await?, denied);
    assert_eq!(h.get(&path, &carol).await?, denied);
    assert_eq!(h.post_empty("/chats/x/invites", &alice).await?, denied);
    let (_, dm) = h
        .post("/chats", &alice, json!({"member_ids": [bob.id]}))
        .await?;
    let dm_invites = format!("/chats/{}/invites", dm["id"]);
    assert_eq!(
        h.post_empty(&dm_invites, &alice).await?,
        err(
            StatusCode::BAD_REQUEST,
            "Cannot create invites for direct chats"
        )
    );

    h.post_empty(&format!("/chats/{id}/members/{}/promote", bob.id), &alice)
        .await?;
    let (status, second) = h.post_empty(&path, &bob).await?;
    assert_eq!(
        (status, &second["created_by"]),
        (StatusCode::CREATED, &json!(bob.id))
    );
    let (_, third) = h.post_empty(&path, &alice).await?;
    let (status, list) = h.get(&path, &bob).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([third, second, first]));
    assert_eq!(h.count("invites").await?, 3);
    let events = probe.settle().await?;
    assert!(
        events.iter().all(|e| e.r#type != "member.joined"),
        "invites themselves emit nothing"
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_answers_200_and_the_invite_then_answers_410() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    let (_, invite) = h
        .post_empty(&format!("/chats/{id}/invites"), &alice)
        .await?;
    let (_, other) = h
        .post_empty(&format!("/chats/{id}/invites"), &alice)
        .await?;
    let t = token(&invite);
    let path = format!("/invites/{t}");

    let gone_or_unknown = err(StatusCode::NOT_FOUND, "Invite not found or already revoked");
    assert_eq!(
        h.delete(&path, &bob).await?,
        err(
            StatusCode::FORBIDDEN,
            "Only owner or admin can revoke invites"
        )
    );
    assert_eq!(h.delete(&path, &carol).await?, gone_or_unknown);
    assert_eq!(
        h.delete("/invites/no-such-token", &alice).await?,
        gone_or_unknown
    );
    assert_eq!(h.delete("/invites/a%00b", &alice).await?, gone_or_unknown);
    assert_eq!(
        h.delete(&path, &alice).await?,
        (StatusCode::OK, json!({"revoked": true}))
    );
    assert_eq!(h.delete(&path, &alice).await?, gone_or_unknown);

    let revoked = err(StatusCode::GONE, "Invite has been revoked");
    assert_eq!(
        h.call(Method::GET, &format!("{path}/preview"), None, None)
            .await?,
        revoked
    );
    assert_eq!(
        h.post_empty(&format!("{path}/join"), &carol).await?,
        revoked
    );
    let (_, list) = h.get(&format!("/chats/{id}/invites"), &alice).await?;
    assert_eq!(list, json!([other]), "revoked invites are not listed");
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_previews_an_invite_and_a_user_joins_through_it_once() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let (_, channel) = h
        .post("/chats", &alice, json!({"type": "channel", "title": "News", "description": "Daily", "member_ids": [bob.id]}))
        .await?;
    let id = channel["id"].as_i64().unwrap_or_default();
    promote_and_settle(&h, &probe, id, &alice, &bob).await?;
    let (_, invite) = h.post_empty(&format!("/chats/{id}/invites"), &bob).await?;
    let t = token(&invite);

    let preview = h
        .call(Method::GET, &format!("/invites/{t}/preview"), None, None)
        .await?;
    assert_eq!(
        preview,
        (
            StatusCode::OK,
            json!({"chat_id": id, "type": "channel", "title": "News", "description": "Daily", "member_count": 2})
        )
    );
    let unknown = err(StatusCode::NOT_FOUND, "Invite not found");
    assert_eq!(
        h.call(Method::GET, "/invites/nope/preview", None, None)
            .await?,
        unknown
    );
    assert_eq!(h.post_empty("/invites/nope/join", &carol).await?, unknown);
    assert_eq!(h.post_empty("/invites/%FF/join", &carol).await?, unknown);
    let anonymous = h
        .call(Method::POST, &format!("/invites/{t}/join"), None, None)
        .await?;
    assert_eq!(
        anonymous,
        err(StatusCode::UNAUTHORIZED, "Missing Authorization header")
    );
    assert!(probe.settle().await?.is_empty());

    let joined = h.post_empty(&format!("/invites/{t}/join"), &carol).await?;
    assert_eq!(
        joined,
        (
            StatusCode::OK,
            json!({"chat_id": id, "role": "member", "already_member": false})
        )
    );
    let event: MemberJoined = only(&probe.settle().await?, "member.joined")?;
    assert_eq!(
        event,
        MemberJoined {
            chat_id: id,
            user_id: carol.id,
            role: "member".into(),
            username: "carol".into(),
            display_name: "Carol".into(),
            chat_type: "channel".into(),
        }
    );
    let (_, detail) = h.get(&format!("/chats/{id}"), &carol).await?;
    assert_eq!(detail["my_role"], json!("member"));

    let again = h.post_empty(&format!("/invites/{t}/join"), &carol).await?;
    assert_eq!(
        again,
        (
            StatusCode::OK,
            json!({"chat_id": id, "role": "member", "already_member": true})
        )
    );
    let owner = h.post_empty(&format!("/invites/{t}/join"), &alice).await?;
    assert_eq!(
        owner,
        (
            StatusCode::OK,
            json!({"chat_id": id, "role": "owner", "already_member": true})
        )
    );
    assert!(
        probe.settle().await?.is_empty(),
        "already a member: no events"
    );
    assert_eq!(
        h.call(Method::GET, &format!("/invites/{t}/preview"), None, None)
            .await?
            .1["member_count"],
        json!(3)
    );
    h.stop().await
}

async fn promote_and_settle(
    h: &Harness,
    probe: &crate::probe::Probe,
    chat: i64,
    owner: &crate::helpers::User,
    who: &crate::helpers::User,
) -> anyhow::Result<()> {
    let (status, _) = h
        .post_empty(&format!("/chats/{chat}/members/{}/promote", who.id), owner)
        .await?;
    anyhow::ensure!(status == StatusCode::OK);
    probe.settle().await?;
    Ok(())
}
