//! §7, §8 as typed bodies: `/openapi.json` of the whole system documents every
//! chat route, and the reading rules the typed bodies keep (§1.2): bodies that
//! are not JSON objects, ids that are not integers, path ids that are not ids.

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CHAT_ROUTES: [(&str, &str); 23] = [
    ("post", "/chats"),
    ("get", "/chats"),
    ("get", "/chats/{id}"),
    ("get", "/chats/by-name/{public_name}"),
    ("patch", "/chats/{id}"),
    ("delete", "/chats/{id}"),
    ("post", "/chats/{id}/avatar"),
    ("post", "/chats/{id}/favorite"),
    ("delete", "/chats/{id}/favorite"),
    ("post", "/chats/{id}/mute"),
    ("delete", "/chats/{id}/mute"),
    ("post", "/chats/{id}/pin"),
    ("delete", "/chats/{id}/pin"),
    ("post", "/chats/{id}/archive"),
    ("delete", "/chats/{id}/archive"),
    ("delete", "/chats/{id}/leave"),
    ("post", "/chats/{id}/members/{userId}/promote"),
    ("post", "/chats/{id}/members/{userId}/demote"),
    ("post", "/chats/{id}/invites"),
    ("get", "/chats/{id}/invites"),
    ("delete", "/invites/{token}"),
    ("get", "/invites/{token}/preview"),
    ("post", "/invites/{token}/join"),
];

#[tokio::test]
async fn the_system_document_lists_every_chat_route_with_its_types() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (status, doc) = s.call(Method::GET, "/openapi.json", None, None).await?;
    assert_eq!(status, StatusCode::OK);
    for (method, path) in CHAT_ROUTES {
        let op = &doc["paths"][path][method];
        assert_eq!(op["tags"], json!(["chats"]), "{method} {path}");
        assert!(op["responses"].is_object(), "{method} {path}");
    }
    let list =
        &doc["paths"]["/chats"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(list["items"]["$ref"], "#/components/schemas/ChatListItem");
    for schema in [
        "ChatListItem",
        "ChatDetail",
        "PublicChat",
        "Invite",
        "InvitePreview",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    s.stop().await
}

#[tokio::test]
async fn bodies_that_are_not_objects_read_as_no_body() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("wire").await?;
    let group = s
        .create_chat(&token, json!({"type": "group", "title": "Wire"}))
        .await?;

    // An array is not a body, even one whose items would fill the fields in order.
    for body in [json!([]), json!(["group", "Team"]), json!(5)] {
        assert_eq!(
            s.call(Method::POST, "/chats", Some(&token), Some(body))
                .await?,
            (StatusCode::BAD_REQUEST, error("Invalid JSON"))
        );
    }
    let patch = format!("/chats/{group}");
    assert_eq!(
        s.call(Method::PATCH, &patch, Some(&token), Some(json!(["x"])))
            .await?,
        (StatusCode::BAD_REQUEST, error("Invalid JSON"))
    );
    let avatar = format!("/chats/{group}/avatar");
    assert_eq!(
        s.call(Method::POST, &avatar, Some(&token), Some(json!([1001])))
            .await?,
        (StatusCode::BAD_REQUEST, error("file_id is required"))
    );
    // A fraction is not an id.
    assert_eq!(
        s.call(
            Method::POST,
            &avatar,
            Some(&token),
            Some(json!({"file_id": 1.5}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("file_id is required"))
    );
    // The mute body is optional: an array is no body, so the chat is muted indefinitely.
    let mute = format!("/chats/{group}/mute");
    let (status, _) = s
        .call(Method::POST, &mute, Some(&token), Some(json!(["tomorrow"])))
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        s.call(
            Method::POST,
            &mute,
            Some(&token),
            Some(json!({"muted_until": 5}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("Invalid muted_until"))
    );
    s.stop().await
}

#[tokio::test]
async fn creation_fields_keep_their_lenient_reading() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("lenient").await?;
    let (other, _, _) = s.user("other").await?;
    let bad_type = error("type must be 'direct', 'group', or 'channel'");
    for kind in [json!(5), json!(["group"]), json!("Group")] {
        let body = json!({"type": kind, "member_ids": [other]});
        assert_eq!(
            s.call(Method::POST, "/chats", Some(&token), Some(body))
                .await?,
            (StatusCode::BAD_REQUEST, bad_type.clone())
        );
    }
    // A null type is the default (direct); an id given as a string counts.
    let body = json!({"type": null, "member_ids": [other.to_string()]});
    let (status, created) = s
        .call(Method::POST, "/chats", Some(&token), Some(body))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["type"], "direct");
    // A fraction is skipped, leaving no other member.
    let body = json!({"member_ids": [1.5]});
    assert_eq!(
        s.call(Method::POST, "/chats", Some(&token), Some(body))
            .await?,
        (
            StatusCode::BAD_REQUEST,
            error("direct chat requires exactly one other member_id")
        )
    );
    // Non-string texts are stored as their JSON text.
    let body = json!({"type": "group", "title": 42, "description": true});
    let (status, group) = s
        .call(Method::POST, "/chats", Some(&token), Some(body))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(group["title"], "42");
    let id = group["id"].as_i64().unwrap_or_default();
    let (_, detail) = s
        .call(Method::GET, &format!("/chats/{id}"), Some(&token), None)
        .await?;
    assert_eq!(detail["description"], "true");
    assert_eq!(detail["my_role"], "owner");
    s.stop().await
}

#[tokio::test]
async fn path_ids_that_are_not_ids_answer_like_missing_ones() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, owner, _) = s.user("owner").await?;
    let (member_id, member, _) = s.user("member").await?;
    let group = s
        .create_chat(
            &owner,
            json!({"type": "group", "title": "Paths", "member_ids": [member_id]}),
        )
        .await?;
    let not_found = error("Chat not found or access denied");
    for (method, path) in [
        (Method::GET, "/chats/abc"),
        (Method::PATCH, "/chats/1x"),
        (Method::DELETE, "/chats/-1"),
        (Method::POST, "/chats/abc/invites"),
        (Method::GET, "/chats/abc/invites"),
        (Method::POST, "/chats/abc/members/1/promote"),
    ] {
        let body = (method == Method::PATCH).then(|| json!({"title": "x"}));
        assert_eq!(
            s.call(method.clone(), path, Some(&owner), body).await?,
            (StatusCode::NOT_FOUND, not_found.clone()),
            "{method} {path}"
        );
    }
    assert_eq!(
        s.call(Method::POST, "/chats/abc/favorite", Some(&owner), None)
            .await?,
        (StatusCode::FORBIDDEN, error("Not a member"))
    );
    let (status, body) = s
        .call(Method::DELETE, "/chats/abc/favorite", Some(&owner), None)
        .await?;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(
        s.call(Method::DELETE, "/chats/abc/leave", Some(&owner), None)
            .await?,
        (StatusCode::NOT_FOUND, error("Not a member of this chat"))
    );
    // A target that is not an id: the owner check comes first, then "not found".
    let promote = format!("/chats/{group}/members/abc/promote");
    assert_eq!(
        s.call(Method::POST, &promote, Some(&member), None).await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner can promote members")
        )
    );
    assert_eq!(
        s.call(Method::POST, &promote, Some(&owner), None).await?,
        (
            StatusCode::NOT_FOUND,
            error("User not found or already admin/owner")
        )
    );
    let demote = format!("/chats/{group}/members/{member_id}/demote");
    assert_eq!(
        s.call(Method::POST, &demote, Some(&owner), None).await?,
        (
            StatusCode::NOT_FOUND,
            error("User not found or not an admin")
        )
    );
    s.stop().await
}
