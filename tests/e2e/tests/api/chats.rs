//! §7: chat creation (direct get-or-create, self-chat, groups, channels), the chat
//! list, details, lookups by public name, updates, deletion, per-user flags,
//! leaving and roles.

use crate::harness::{Server, error, is_contract_ts};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn direct_chats_are_get_or_create_and_self_chats_are_stable() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (me, token, _) = s.user("dm").await?;
    let (other, other_token, _) = s.user("peer").await?;

    let (status, body) = s
        .call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"member_ids": [other]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap_or_default();
    assert_eq!(body, json!({"id": id, "type": "direct"}));
    // Again from either side: the same chat, 200.
    let again = json!({"type": "direct", "member_ids": [other]});
    assert_eq!(
        s.call(Method::POST, "/chats", Some(&token), Some(again))
            .await?,
        (StatusCode::OK, json!({"id": id, "type": "direct"}))
    );
    assert_eq!(
        s.call(
            Method::POST,
            "/chats",
            Some(&other_token),
            Some(json!({"member_ids": [me]}))
        )
        .await?,
        (StatusCode::OK, json!({"id": id, "type": "direct"}))
    );

    // Self-chat: the caller's own id (any number of times), created once.
    let (status, saved) = s
        .call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"member_ids": [me]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let saved_id = saved["id"].as_i64().unwrap_or_default();
    assert_ne!(saved_id, id);
    assert_eq!(
        s.call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"member_ids": [me, me]}))
        )
        .await?,
        (StatusCode::OK, json!({"id": saved_id, "type": "direct"}))
    );

    // The direct chat's creator owns it; the other participant is a member.
    let (status, detail) = s
        .call(
            Method::GET,
            &format!("/chats/{id}"),
            Some(&other_token),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["owner_id"], me);
    assert_eq!(detail["my_role"], "member");
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(2));

    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    let saved_row = find(&list, saved_id)?;
    assert_eq!(saved_row["member_count"], 1);
    assert_eq!(saved_row["other_user_id"], Value::Null);
    assert!(saved_row.get("other_is_online").is_none());
    let dm_row = find(&list, id)?;
    assert_eq!(dm_row["other_user_id"], other);
    assert_eq!(dm_row["other_is_online"], false);
    assert_eq!(dm_row["member_count"], 2);
    s.stop().await
}

#[tokio::test]
async fn chat_creation_rejects_bad_requests_with_the_contract_texts() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (me, token, _) = s.user("bad").await?;
    let (other, _, _) = s.user("other").await?;
    let cases = [
        (
            json!({"type": "secret"}),
            StatusCode::BAD_REQUEST,
            "type must be 'direct', 'group', or 'channel'",
        ),
        (
            json!({"type": "channel"}),
            StatusCode::BAD_REQUEST,
            "title is required for channel type",
        ),
        (
            json!({"type": "channel", "title": ""}),
            StatusCode::BAD_REQUEST,
            "title is required for channel type",
        ),
        (
            json!({"member_ids": []}),
            StatusCode::BAD_REQUEST,
            "direct chat requires exactly one other member_id",
        ),
        (
            json!({"member_ids": [other, other]}),
            StatusCode::BAD_REQUEST,
            "direct chat requires exactly one other member_id",
        ),
        (
            json!({"member_ids": [me, other]}),
            StatusCode::BAD_REQUEST,
            "self-chat must not include other members",
        ),
        (
            json!({"member_ids": [999_999_999]}),
            StatusCode::NOT_FOUND,
            "User not found",
        ),
    ];
    for (body, status, text) in cases {
        assert_eq!(
            s.call(Method::POST, "/chats", Some(&token), Some(body.clone()))
                .await?,
            (status, error(text)),
            "{body}"
        );
    }
    let res = s
        .http
        .post(s.url("/chats"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await?, error("Invalid JSON"));
    // Nothing was created by any of these.
    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(list, json!([]));
    assert_eq!(
        s.call(Method::POST, "/chats", None, Some(json!({})))
            .await?,
        (
            StatusCode::UNAUTHORIZED,
            error("Missing Authorization header")
        )
    );
    s.stop().await
}

#[tokio::test]
async fn groups_and_channels_store_their_fields_and_members() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (me, token, _) = s.user("owner").await?;
    let (member, member_token, _) = s.user("member").await?;
    let name = format!("pub{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);

    let (status, body) = s
        .call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"type": "group", "name": "Team", "member_ids": [member, 987_654_321]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let group = body["id"].as_i64().unwrap_or_default();
    assert_eq!(
        body,
        json!({"id": group, "type": "group"}),
        "no title key without a title"
    );

    let (status, body) = s
        .call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"type": "channel", "title": "News", "description": "d", "public_name": name})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let channel = body["id"].as_i64().unwrap_or_default();
    assert_eq!(
        body,
        json!({"id": channel, "type": "channel", "title": "News"})
    );

    // public_name is unique case-insensitively.
    assert_eq!(
        s.call(
            Method::POST,
            "/chats",
            Some(&token),
            Some(json!({"type": "group", "title": "x", "public_name": name.to_uppercase()}))
        )
        .await?,
        (StatusCode::CONFLICT, error("public_name already taken"))
    );

    let (status, detail) = s
        .call(
            Method::GET,
            &format!("/chats/{group}"),
            Some(&member_token),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["name"], "Team");
    assert_eq!(detail["title"], "");
    assert_eq!(detail["description"], "");
    assert_eq!(detail["public_name"], Value::Null);
    assert_eq!(detail["my_role"], "member");
    assert_eq!(detail["avatar_url"], Value::Null);
    assert!(is_contract_ts(&detail["created_at"]), "{detail}");
    let members = detail["members"].as_array().cloned().unwrap_or_default();
    assert_eq!(members.len(), 2, "the unknown id was skipped");
    let owner_row = members
        .iter()
        .find(|m| m["id"] == me)
        .cloned()
        .unwrap_or_default();
    assert_eq!(owner_row["role"], "owner");
    let (_, profile) = s.call(Method::GET, "/me", Some(&token), None).await?;
    assert_eq!(
        owner_row["display_name"], profile["display_name"],
        "the stored display name"
    );
    assert!(is_contract_ts(&owner_row["joined_at"]));
    assert!(owner_row.get("avatar_url").is_some() && owner_row["username"].is_string());

    let (_, channel_detail) = s
        .call(
            Method::GET,
            &format!("/chats/{channel}"),
            Some(&token),
            None,
        )
        .await?;
    assert_eq!(
        channel_detail["name"], "News",
        "a channel's name is its title"
    );
    assert_eq!(channel_detail["my_role"], "owner");

    // Lookup by public name needs no token and is case-insensitive.
    let (status, found) = s
        .call(
            Method::GET,
            &format!("/chats/by-name/{}", name.to_uppercase()),
            None,
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(is_contract_ts(&found["created_at"]));
    assert_eq!(
        found,
        json!({"id": channel, "type": "channel", "name": "News", "title": "News", "description": "d",
               "public_name": name, "created_at": found["created_at"], "member_count": 1})
    );
    assert_eq!(
        s.call(Method::GET, "/chats/by-name/nope-nothing", None, None)
            .await?,
        (StatusCode::NOT_FOUND, error("Chat not found"))
    );

    // Non-members and unknown or malformed ids are all "not found or access denied".
    let (_, stranger, _) = s.user("stranger").await?;
    for path in [
        format!("/chats/{group}"),
        "/chats/99999999".into(),
        "/chats/abc".into(),
        "/chats/-1".into(),
    ] {
        assert_eq!(
            s.call(Method::GET, &path, Some(&stranger), None).await?,
            (
                StatusCode::NOT_FOUND,
                error("Chat not found or access denied")
            ),
            "{path}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn the_chat_list_orders_pinned_then_favorites_then_activity_and_hides_archived()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("lister").await?;
    let mut ids = Vec::new();
    for title in ["a", "b", "c", "d"] {
        ids.push(
            s.create_chat(&token, json!({"type": "group", "title": title}))
                .await?,
        );
    }
    let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
    // Activity: a message in `a` makes it the most recent.
    s.send_text(&token, a, "bump").await?;
    let order = |list: &Value| -> Vec<i64> {
        list.as_array()
            .map(|l| l.iter().filter_map(|c| c["id"].as_i64()).collect())
            .unwrap_or_default()
    };
    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(order(&list), vec![a, d, c, b]);
    let row = find(&list, a)?;
    assert_eq!(row["last_message"], "bump");
    assert!(is_contract_ts(&row["last_at"]) && is_contract_ts(&row["updated_at"]));
    assert_eq!(row["unread_count"], 0, "own messages are never unread");
    for key in ["is_favorite", "is_muted", "is_pinned", "is_archived"] {
        assert_eq!(row[key], false, "{key}");
    }
    for key in [
        "other_user_id",
        "other_username",
        "other_display_name",
        "other_avatar_url",
        "avatar_url",
    ] {
        assert_eq!(row[key], Value::Null, "{key}");
    }
    assert_eq!(find(&list, b)?["last_message"], Value::Null);

    let flag = |method: Method, chat: i64, what: &'static str| {
        let token = token.clone();
        let s = &s;
        async move {
            s.call(method, &format!("/chats/{chat}/{what}"), Some(&token), None)
                .await
        }
    };
    assert_eq!(
        flag(Method::POST, b, "favorite").await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        flag(Method::POST, b, "favorite").await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        flag(Method::POST, c, "pin").await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        flag(Method::POST, d, "archive").await?.0,
        StatusCode::NO_CONTENT
    );
    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(order(&list), vec![c, b, a]);
    assert_eq!(find(&list, c)?["is_pinned"], true);
    assert_eq!(find(&list, b)?["is_favorite"], true);

    // Mute with and without an end; a bad end is 400 and changes nothing.
    assert_eq!(
        flag(Method::POST, a, "mute").await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let mute_path = format!("/chats/{b}/mute");
    let mute_until = |body: Value| s.call(Method::POST, &mute_path, Some(&token), Some(body));
    assert_eq!(
        mute_until(json!({"muted_until": "2030-01-01 00:00:00+00"}))
            .await?
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        mute_until(json!({"muted_until": "2030-01-01T00:00:00Z"}))
            .await?
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.call(
            Method::POST,
            &format!("/chats/{c}/mute"),
            Some(&token),
            Some(json!({"muted_until": "next tuesday"}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("Invalid muted_until"))
    );
    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(find(&list, a)?["is_muted"], true);
    assert_eq!(find(&list, b)?["is_muted"], true);
    assert_eq!(find(&list, c)?["is_muted"], false);

    // Un-setting is idempotent and needs no membership; archive is undone.
    for what in ["favorite", "pin", "archive", "mute"] {
        for chat in [b, c, d, a] {
            assert_eq!(
                flag(Method::DELETE, chat, what).await?.0,
                StatusCode::NO_CONTENT
            );
        }
        assert_eq!(
            flag(Method::DELETE, 99_999_999, what).await?.0,
            StatusCode::NO_CONTENT
        );
    }
    let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(order(&list), vec![a, d, c, b]);

    // Setting a flag needs membership.
    let (_, outsider, _) = s.user("outsider").await?;
    for what in ["favorite", "mute", "pin", "archive"] {
        assert_eq!(
            s.call(
                Method::POST,
                &format!("/chats/{a}/{what}"),
                Some(&outsider),
                None
            )
            .await?,
            (StatusCode::FORBIDDEN, error("Not a member")),
            "{what}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn owners_and_admins_update_chats_and_only_owners_delete_them() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, owner, _) = s.user("own").await?;
    let (member_id, member, _) = s.user("mem").await?;
    let chat = s
        .create_chat(
            &owner,
            json!({"type": "group", "title": "T", "member_ids": [member_id]}),
        )
        .await?;
    let path = format!("/chats/{chat}");

    assert_eq!(
        s.call(
            Method::PATCH,
            &path,
            Some(&member),
            Some(json!({"title": "x"}))
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner or admin can update chat")
        )
    );
    assert_eq!(
        s.call(
            Method::PATCH,
            &path,
            Some(&owner),
            Some(json!({"name": "ignored"}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("No fields to update"))
    );
    let public = format!("p{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (status, updated) = s
        .call(
            Method::PATCH,
            &path,
            Some(&owner),
            Some(json!({"title": "New", "description": 42, "public_name": public})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        updated,
        json!({"id": chat, "type": "group", "name": "", "title": "New", "description": "42", "public_name": public})
    );
    let (_, cleared) = s
        .call(
            Method::PATCH,
            &path,
            Some(&owner),
            Some(json!({"public_name": ""})),
        )
        .await?;
    assert_eq!(cleared["public_name"], Value::Null);
    assert_eq!(cleared["title"], "New");

    // An admin may update but not delete.
    assert_eq!(
        s.call(
            Method::POST,
            &format!("{path}/members/{member_id}/promote"),
            Some(&owner),
            None
        )
        .await?,
        (StatusCode::OK, json!({"role": "admin"}))
    );
    assert_eq!(
        s.call(
            Method::PATCH,
            &path,
            Some(&member),
            Some(json!({"description": "by admin"}))
        )
        .await?
        .0,
        StatusCode::OK
    );
    assert_eq!(
        s.call(Method::DELETE, &path, Some(&member), None).await?,
        (
            StatusCode::FORBIDDEN,
            error("Only the chat owner can delete it")
        )
    );
    assert_eq!(
        s.call(Method::DELETE, &path, Some(&owner), None).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(Method::GET, &path, Some(&owner), None).await?,
        (
            StatusCode::NOT_FOUND,
            error("Chat not found or access denied")
        )
    );
    assert_eq!(
        s.call(Method::DELETE, &path, Some(&owner), None).await?,
        (
            StatusCode::NOT_FOUND,
            error("Chat not found or access denied")
        )
    );
    s.stop().await
}

#[tokio::test]
async fn roles_change_only_through_the_owner_and_owners_cannot_walk_away() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (owner_id, owner, _) = s.user("own").await?;
    let (m1, m1_token, _) = s.user("m1").await?;
    let (m2, _, _) = s.user("m2").await?;
    let chat = s
        .create_chat(
            &owner,
            json!({"type": "group", "title": "T", "member_ids": [m1, m2]}),
        )
        .await?;
    let role = |who: i64, action: &str| format!("/chats/{chat}/members/{who}/{action}");

    assert_eq!(
        s.call(Method::POST, &role(m2, "promote"), Some(&m1_token), None)
            .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner can promote members")
        )
    );
    assert_eq!(
        s.call(Method::POST, &role(m2, "demote"), Some(&m1_token), None)
            .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner can demote members")
        )
    );
    assert_eq!(
        s.call(Method::POST, &role(m1, "demote"), Some(&owner), None)
            .await?,
        (
            StatusCode::NOT_FOUND,
            error("User not found or not an admin")
        )
    );
    assert_eq!(
        s.call(Method::POST, &role(m1, "promote"), Some(&owner), None)
            .await?,
        (StatusCode::OK, json!({"role": "admin"}))
    );
    for who in [m1, owner_id, 99_999_999] {
        assert_eq!(
            s.call(Method::POST, &role(who, "promote"), Some(&owner), None)
                .await?,
            (
                StatusCode::NOT_FOUND,
                error("User not found or already admin/owner")
            )
        );
    }
    assert_eq!(
        s.call(Method::POST, &role(m1, "demote"), Some(&owner), None)
            .await?,
        (StatusCode::OK, json!({"role": "member"}))
    );
    let (_, stranger, _) = s.user("str").await?;
    assert_eq!(
        s.call(Method::POST, &role(m1, "promote"), Some(&stranger), None)
            .await?,
        (
            StatusCode::NOT_FOUND,
            error("Chat not found or access denied")
        )
    );

    let leave = format!("/chats/{chat}/leave");
    assert_eq!(
        s.call(Method::DELETE, &leave, Some(&owner), None).await?,
        (
            StatusCode::BAD_REQUEST,
            error("Transfer ownership before leaving, or delete the chat")
        )
    );
    assert_eq!(
        s.call(Method::DELETE, &leave, Some(&stranger), None)
            .await?,
        (StatusCode::NOT_FOUND, error("Not a member of this chat"))
    );
    assert_eq!(
        s.call(Method::DELETE, &leave, Some(&m1_token), None)
            .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/chats/{chat}"),
            Some(&m1_token),
            None
        )
        .await?
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, detail) = s
        .call(Method::GET, &format!("/chats/{chat}"), Some(&owner), None)
        .await?;
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(2));
    s.stop().await
}

#[tokio::test]
async fn the_demo_group_exists_with_alice_as_owner() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let token = s.demo_token("bob").await?;
    // The demo chat is created in the background once auth's demo users exist.
    let mut dev = None;
    for _ in 0..100 {
        let (_, list) = s.call(Method::GET, "/chats", Some(&token), None).await?;
        dev = list
            .as_array()
            .and_then(|l| l.iter().find(|c| c["name"] == "Dev Team"))
            .cloned();
        if dev.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let dev = dev.ok_or_else(|| anyhow::anyhow!("no Dev Team chat for bob"))?;
    assert_eq!(dev["type"], "group");
    assert_eq!(dev["member_count"], 3);
    let (_, detail) = s
        .call(
            Method::GET,
            &format!("/chats/{}", dev["id"]),
            Some(&token),
            None,
        )
        .await?;
    let roles: Vec<(String, String)> = detail["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| {
                    (
                        m["username"].as_str().unwrap_or_default().to_owned(),
                        m["role"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        roles.contains(&("alice".into(), "owner".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("carol".into(), "member".into())),
        "{roles:?}"
    );
    s.stop().await
}

#[tokio::test]
async fn chat_avatars_need_the_owner_and_an_own_file() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, owner, _) = s.user("own").await?;
    let (m, member, _) = s.user("mem").await?;
    let chat = s
        .create_chat(
            &owner,
            json!({"type": "group", "title": "T", "member_ids": [m]}),
        )
        .await?;
    let path = format!("/chats/{chat}/avatar");
    assert_eq!(
        s.call(Method::POST, &path, Some(&owner), Some(json!({})))
            .await?,
        (StatusCode::BAD_REQUEST, error("file_id is required"))
    );
    assert_eq!(
        s.call(
            Method::POST,
            &path,
            Some(&member),
            Some(json!({"file_id": 1}))
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner can set chat avatar")
        )
    );
    assert_eq!(
        s.call(
            Method::POST,
            &path,
            Some(&owner),
            Some(json!({"file_id": 123_456}))
        )
        .await?,
        (StatusCode::NOT_FOUND, error("File not found"))
    );
    s.stop().await
}

pub fn find(list: &Value, id: i64) -> anyhow::Result<Value> {
    list.as_array()
        .and_then(|l| l.iter().find(|c| c["id"] == id))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("chat {id} not in {list}"))
}
