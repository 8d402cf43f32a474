//! §5.7, §5.8, §7.8, §12.4, §16.3: user and chat avatars come from the caller's
//! own uploads, show up as presigned URLs wherever the user or chat appears,
//! and reach chat subscribers as `user_profile_updated` / `chat_updated`.

use crate::chats::find;
use crate::harness::{Server, error};
use crate::media::{PNG, fetch, fetch_ok, upload, upload_path, upload_text, url_path};
use crate::media_access::send_file;
use crate::media_serving::check_presigned;
use crate::ws::{Person, Ws, quiet_group, system};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// `avatar_url` (or `key`) of `v` must be a presigned URL of this upload.
fn shows(v: &Value, key: &str, uploaded: &Value) {
    let url = v[key].as_str().unwrap_or_default();
    assert_eq!(url_path(url), upload_path(uploaded), "{key} in {v}");
}

async fn ok(
    s: &Server,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let (status, reply) = s.call(method.clone(), path, Some(token), body).await?;
    anyhow::ensure!(
        status == StatusCode::OK,
        "{method} {path}: {status} {reply}"
    );
    Ok(reply)
}

#[tokio::test]
async fn a_user_avatar_from_an_own_upload_shows_wherever_the_user_appears() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a, a_token, _) = s.user("a").await?;
    let (b, b_token, _) = s.user("b").await?;
    let face = upload(&s, &b_token, "face.png", Some("image/png"), PNG).await?;

    let set = ok(
        &s,
        Method::PUT,
        "/users/me/avatar",
        &b_token,
        Some(json!({"file_id": face["id"]})),
    )
    .await?;
    let url = set["avatar_url"].as_str().unwrap_or_default().to_string();
    assert_eq!(set, json!({"avatar_url": url}));
    let (_, path) = check_presigned(&url, 900)?;
    assert_eq!(path, upload_path(&face));
    let res = fetch(&url).await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
    assert_eq!(res.bytes().await?.as_ref(), PNG);

    let me = ok(&s, Method::GET, "/me", &b_token, None).await?;
    shows(&me, "avatar_url", &face);
    let profile = ok(&s, Method::GET, &format!("/users/{b}"), &a_token, None).await?;
    shows(&profile, "avatar_url", &face);
    let username = profile["username"].as_str().unwrap_or_default().to_string();
    let (_, public) = s
        .call(
            Method::GET,
            &format!("/users/by-username/{username}"),
            None,
            None,
        )
        .await?;
    shows(&public, "avatar_url", &face);
    let found = ok(
        &s,
        Method::GET,
        &format!("/users/search?q={username}"),
        &a_token,
        None,
    )
    .await?;
    shows(&found[0], "avatar_url", &face);

    // Member lists, message senders, the other side of a direct chat.
    let group = s
        .create_chat(
            &a_token,
            json!({"type": "group", "title": "G", "member_ids": [b]}),
        )
        .await?;
    let detail = ok(&s, Method::GET, &format!("/chats/{group}"), &a_token, None).await?;
    let members = detail["members"].as_array().cloned().unwrap_or_default();
    let member = |id: i64| {
        members
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    shows(&member(b), "avatar_url", &face);
    assert_eq!(member(a)["avatar_url"], Value::Null, "a has none");
    s.send_text(&b_token, group, "hi").await?;
    let page = ok(
        &s,
        Method::GET,
        &format!("/chats/{group}/messages"),
        &a_token,
        None,
    )
    .await?;
    shows(&page[0], "sender_avatar_url", &face);
    let direct = s
        .create_chat(&a_token, json!({"type": "direct", "member_ids": [b]}))
        .await?;
    let chats = ok(&s, Method::GET, "/chats", &a_token, None).await?;
    shows(&find(&chats, direct)?, "other_avatar_url", &face);

    // §5.7: a redirect to it; none for a user without one.
    let res = s
        .send(
            Method::GET,
            &format!("/users/{b}/avatar"),
            Some(&a_token),
            None,
        )
        .await?;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()[header::LOCATION].to_str()?.to_string();
    assert_eq!(url_path(&location), upload_path(&face));
    assert_eq!(fetch_ok(&location).await?, PNG);
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/users/{a}/avatar"),
            Some(&b_token),
            None
        )
        .await?,
        (StatusCode::NOT_FOUND, error("No avatar"))
    );
    s.stop().await
}

#[tokio::test]
async fn only_an_own_upload_can_become_a_user_avatar() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _) = s.user("a").await?;
    let (b, b_token, _) = s.user("b").await?;
    let chat = s
        .create_chat(
            &a_token,
            json!({"type": "group", "title": "G", "member_ids": [b]}),
        )
        .await?;
    let a_file = upload_text(&s, &a_token, "a.txt", "a's").await?;
    // b may download it (sent into their chat), but did not upload it.
    send_file(&s, &a_token, chat, a_file, "").await?;
    crate::media::eventually_downloadable(&s, &b_token, a_file).await?;

    for body in [json!({"file_id": a_file}), json!({"file_id": 987_654_321})] {
        assert_eq!(
            s.call(
                Method::PUT,
                "/users/me/avatar",
                Some(&b_token),
                Some(body.clone())
            )
            .await?,
            (StatusCode::NOT_FOUND, error("File not found")),
            "{body}"
        );
    }
    for body in [
        json!({"file_id": "1"}),
        json!({"file_id": 1.5}),
        json!({"file_id": null}),
        json!({}),
    ] {
        assert_eq!(
            s.call(
                Method::PUT,
                "/users/me/avatar",
                Some(&b_token),
                Some(body.clone())
            )
            .await?,
            (StatusCode::BAD_REQUEST, error("file_id required")),
            "{body}"
        );
    }
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/users/{b}/avatar"),
            Some(&a_token),
            None
        )
        .await?,
        (StatusCode::NOT_FOUND, error("No avatar")),
        "nothing was set"
    );
    // Any type of own upload is accepted (§22 item 29).
    let own_text = upload(&s, &b_token, "me.txt", Some("text/plain"), b"text avatar").await?;
    let set = ok(
        &s,
        Method::PUT,
        "/users/me/avatar",
        &b_token,
        Some(json!({"file_id": own_text["id"]})),
    )
    .await?;
    shows(&set, "avatar_url", &own_text);
    s.stop().await
}

#[tokio::test]
async fn a_user_avatar_change_reaches_each_chat_of_the_user_as_user_profile_updated()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let a = Person::new(&s, "ann").await?;
    let b = Person::new(&s, "ben").await?;
    let c = Person::new(&s, "cat").await?;
    let first = quiet_group(&s, &a.token, "First", &[b.id]).await?;
    let second = quiet_group(&s, &c.token, "Second", &[b.id]).await?;
    let mut in_first = Ws::subscribed_ignoring_presence(&s.ws_url(), &a.token, &[first]).await?;
    let mut in_second = Ws::subscribed_ignoring_presence(&s.ws_url(), &c.token, &[second]).await?;

    let face = upload(&s, &b.token, "face.png", Some("image/png"), PNG).await?;
    ok(
        &s,
        Method::PUT,
        "/users/me/avatar",
        &b.token,
        Some(json!({"file_id": face["id"]})),
    )
    .await?;
    for ws in [&mut in_first, &mut in_second] {
        let frame = ws.json().await?;
        let url = frame["avatar_url"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            frame,
            json!({"type": "user_profile_updated", "user_id": b.id, "avatar_url": url})
        );
        assert!(url.starts_with("http"), "{url}");
        assert_eq!(url_path(&url), upload_path(&face));
        assert_eq!(fetch_ok(&url).await?, PNG);
    }
    s.stop().await
}

#[tokio::test]
async fn a_chat_avatar_from_the_owners_upload_shows_in_the_chat_views_and_reaches_subscribers()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let a = Person::new(&s, "ann").await?;
    let b = Person::new(&s, "ben").await?;
    let chat = quiet_group(&s, &a.token, "Team", &[b.id]).await?;
    let mut watcher = Ws::subscribed_ignoring_presence(&s.ws_url(), &b.token, &[chat]).await?;

    // A .txt upload is a valid chat avatar (§22 item 29).
    let logo = upload(&s, &a.token, "logo.txt", Some("text/plain"), b"logo").await?;
    let set = ok(
        &s,
        Method::POST,
        &format!("/chats/{chat}/avatar"),
        &a.token,
        Some(json!({"file_id": logo["id"]})),
    )
    .await?;
    let url = set["avatar_url"].as_str().unwrap_or_default().to_string();
    assert_eq!(set, json!({"avatar_url": url}));
    check_presigned(&url, 900)?;
    assert_eq!(url_path(&url), upload_path(&logo));
    assert_eq!(fetch_ok(&url).await?, b"logo");

    let frame = watcher.json().await?;
    let pushed = frame["avatar_url"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        frame,
        json!({"type": "chat_updated", "chat_id": chat, "avatar_url": pushed})
    );
    assert!(pushed.starts_with("http"), "{pushed}");
    assert_eq!(url_path(&pushed), upload_path(&logo));

    for token in [&a.token, &b.token] {
        let list = ok(&s, Method::GET, "/chats", token, None).await?;
        shows(&find(&list, chat)?, "avatar_url", &logo);
        let detail = ok(&s, Method::GET, &format!("/chats/{chat}"), token, None).await?;
        shows(&detail, "avatar_url", &logo);
    }
    s.stop().await
}

#[tokio::test]
async fn only_the_owners_own_upload_can_become_a_chat_avatar() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _) = s.user("a").await?;
    let (b, b_token, _) = s.user("b").await?;
    let chat = s
        .create_chat(
            &a_token,
            json!({"type": "group", "title": "G", "member_ids": [b]}),
        )
        .await?;
    let path = format!("/chats/{chat}/avatar");
    let b_file = upload_text(&s, &b_token, "b.txt", "b's").await?;
    // Sent into the chat, so a may download it; still not a's upload.
    send_file(&s, &b_token, chat, b_file, "").await?;
    crate::media::eventually_downloadable(&s, &a_token, b_file).await?;

    for body in [json!({"file_id": b_file}), json!({"file_id": 987_654_321})] {
        assert_eq!(
            s.call(Method::POST, &path, Some(&a_token), Some(body.clone()))
                .await?,
            (StatusCode::NOT_FOUND, error("File not found")),
            "{body}"
        );
    }
    assert_eq!(
        s.call(
            Method::POST,
            &path,
            Some(&b_token),
            Some(json!({"file_id": b_file}))
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only owner can set chat avatar")
        ),
        "a member's own file, but a member is not the owner"
    );
    assert_eq!(
        s.call(Method::POST, &path, Some(&a_token), Some(json!({})))
            .await?,
        (StatusCode::BAD_REQUEST, error("file_id is required"))
    );
    let detail = ok(&s, Method::GET, &format!("/chats/{chat}"), &a_token, None).await?;
    assert_eq!(detail["avatar_url"], Value::Null, "nothing was set");
    s.stop().await
}
