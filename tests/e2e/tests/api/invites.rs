//! §8: invite links — create, list, revoke, preview without a token, join.

use crate::harness::{Server, error, is_contract_ts};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn invites_are_created_listed_previewed_joined_and_revoked() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (owner_id, owner, _) = s.user("own").await?;
    let (member_id, member, _) = s.user("mem").await?;
    let (joiner_id, joiner, _) = s.user("join").await?;
    let chat = s
        .create_chat(&owner, json!({"type": "group", "title": "Club", "description": "d", "member_ids": [member_id]}))
        .await?;
    let invites = format!("/chats/{chat}/invites");

    let (status, first) = s.call(Method::POST, &invites, Some(&owner), None).await?;
    assert_eq!(status, StatusCode::CREATED);
    let token = first["token"].as_str().unwrap_or_default().to_owned();
    assert!(uuid::Uuid::parse_str(&token).is_ok() && token == token.to_lowercase());
    assert!(is_contract_ts(&first["created_at"]));
    assert_eq!(
        first,
        json!({"token": token, "chat_id": chat, "created_by": owner_id,
               "created_at": first["created_at"], "link": format!("/join/{token}")})
    );
    let (_, second) = s.call(Method::POST, &invites, Some(&owner), None).await?;

    let (status, list) = s.call(Method::GET, &invites, Some(&owner), None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([second, first]), "newest first");

    // Plain members may neither create nor list nor revoke.
    assert_eq!(
        s.call(Method::POST, &invites, Some(&member), None).await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner or admin can create invites")
        )
    );
    assert_eq!(
        s.call(Method::GET, &invites, Some(&member), None).await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner or admin can list invites")
        )
    );
    assert_eq!(
        s.call(
            Method::DELETE,
            &format!("/invites/{token}"),
            Some(&member),
            None
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner or admin can revoke invites")
        )
    );
    for (method, path) in [(Method::POST, &invites), (Method::GET, &invites)] {
        assert_eq!(
            s.call(method, path, Some(&joiner), None).await?,
            (
                StatusCode::NOT_FOUND,
                error("Chat not found or access denied")
            )
        );
    }

    // Preview needs no token.
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/invites/{token}/preview"),
            None,
            None
        )
        .await?,
        (
            StatusCode::OK,
            json!({"chat_id": chat, "type": "group", "title": "Club", "description": "d", "member_count": 2})
        )
    );
    let join = format!("/invites/{token}/join");
    assert_eq!(
        s.call(Method::POST, &join, Some(&joiner), None).await?,
        (
            StatusCode::OK,
            json!({"chat_id": chat, "role": "member", "already_member": false})
        )
    );
    assert_eq!(
        s.call(Method::POST, &join, Some(&joiner), None).await?,
        (
            StatusCode::OK,
            json!({"chat_id": chat, "role": "member", "already_member": true})
        )
    );
    assert_eq!(
        s.call(Method::POST, &join, Some(&owner), None).await?,
        (
            StatusCode::OK,
            json!({"chat_id": chat, "role": "owner", "already_member": true})
        )
    );
    let (_, detail) = s
        .call(Method::GET, &format!("/chats/{chat}"), Some(&joiner), None)
        .await?;
    assert!(
        detail["members"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["id"] == joiner_id))
    );

    // Revoke: 200 with a body; afterwards 410 on preview and join, 404 on a second revoke.
    let revoke = format!("/invites/{token}");
    assert_eq!(
        s.call(Method::DELETE, &revoke, Some(&owner), None).await?,
        (StatusCode::OK, json!({"revoked": true}))
    );
    assert_eq!(
        s.call(Method::DELETE, &revoke, Some(&owner), None).await?,
        (
            StatusCode::NOT_FOUND,
            error("Invite not found or already revoked")
        )
    );
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/invites/{token}/preview"),
            None,
            None
        )
        .await?,
        (StatusCode::GONE, error("Invite has been revoked"))
    );
    let (_, late, _) = s.user("late").await?;
    assert_eq!(
        s.call(Method::POST, &join, Some(&late), None).await?,
        (StatusCode::GONE, error("Invite has been revoked"))
    );
    let (_, list) = s.call(Method::GET, &invites, Some(&owner), None).await?;
    assert_eq!(list, json!([second]));

    for bogus in ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "%00"] {
        assert_eq!(
            s.call(
                Method::GET,
                &format!("/invites/{bogus}/preview"),
                None,
                None
            )
            .await?,
            (StatusCode::NOT_FOUND, error("Invite not found")),
            "{bogus}"
        );
        assert_eq!(
            s.call(
                Method::POST,
                &format!("/invites/{bogus}/join"),
                Some(&late),
                None
            )
            .await?,
            (StatusCode::NOT_FOUND, error("Invite not found"))
        );
        assert_eq!(
            s.call(
                Method::DELETE,
                &format!("/invites/{bogus}"),
                Some(&owner),
                None
            )
            .await?,
            (
                StatusCode::NOT_FOUND,
                error("Invite not found or already revoked")
            )
        );
    }
    s.stop().await
}

#[tokio::test]
async fn direct_chats_have_no_invites_and_channel_joiners_cannot_post() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, owner, _) = s.user("own").await?;
    let (other, _, _) = s.user("oth").await?;
    let dm = s
        .create_chat(&owner, json!({"member_ids": [other]}))
        .await?;
    assert_eq!(
        s.call(
            Method::POST,
            &format!("/chats/{dm}/invites"),
            Some(&owner),
            None
        )
        .await?,
        (
            StatusCode::BAD_REQUEST,
            error("Cannot create invites for direct chats")
        )
    );

    let channel = s
        .create_chat(&owner, json!({"type": "channel", "title": "News"}))
        .await?;
    let (_, invite) = s
        .call(
            Method::POST,
            &format!("/chats/{channel}/invites"),
            Some(&owner),
            None,
        )
        .await?;
    let (_, subscriber, _) = s.user("sub").await?;
    let join = format!(
        "/invites/{}/join",
        invite["token"].as_str().unwrap_or_default()
    );
    assert_eq!(
        s.call(Method::POST, &join, Some(&subscriber), None).await?,
        (
            StatusCode::OK,
            json!({"chat_id": channel, "role": "member", "already_member": false})
        )
    );
    s.send_text(&owner, channel, "announcement").await?;
    assert_eq!(
        s.call(
            Method::POST,
            &format!("/chats/{channel}/messages"),
            Some(&subscriber),
            Some(json!({"content": "hi"}))
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only admins can post in channels")
        )
    );
    let (status, page) = s
        .call(
            Method::GET,
            &format!("/chats/{channel}/messages"),
            Some(&subscriber),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.as_array().map(Vec::len), Some(1));
    assert_eq!(page[0]["content"], "announcement");
    let _: Value = page;
    s.stop().await
}
