//! §7.7 with §12: deleting a chat removes the files attached there that nothing
//! else uses — from the store and for everyone, the uploader included — and
//! keeps files still carried by another chat or in use as an avatar.

use crate::harness::Server;
use crate::media::{
    download, download_url, eventually_downloadable, eventually_not_found, fetch_ok,
    stored_uploads, upload, upload_path, url_path,
};
use crate::media_access::send_file;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_default()
}

fn key_of(v: &Value) -> String {
    v["object_key"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn deleting_a_chat_removes_the_files_only_it_used_and_keeps_the_others() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    let (a_id, a, _) = s.user("a").await?;
    let (b_id, b, _) = s.user("b").await?;
    let (c_id, c, _) = s.user("c").await?;
    let (_, stranger, _) = s.user("z").await?;
    let doomed = s
        .create_chat(
            &a,
            json!({"type": "group", "title": "Doomed", "member_ids": [b_id]}),
        )
        .await?;
    let kept = s
        .create_chat(
            &a,
            json!({"type": "group", "title": "Kept", "member_ids": [c_id]}),
        )
        .await?;

    let only_here = upload(&s, &a, "only.txt", Some("text/plain"), b"only here").await?;
    let also_kept = upload(&s, &a, "both.txt", Some("text/plain"), b"in both chats").await?;
    let avatar = upload(&s, &a, "face.txt", Some("text/plain"), b"my face").await?;
    let chat_avatar = upload(&s, &a, "logo.txt", Some("text/plain"), b"chat logo").await?;

    for file in [&only_here, &also_kept, &avatar] {
        send_file(&s, &a, doomed, id_of(file), "").await?;
    }
    send_file(&s, &a, kept, id_of(&also_kept), "").await?;
    let chat_avatar_path = format!("/chats/{doomed}/avatar");
    let set = [
        ("/users/me/avatar", Method::PUT, id_of(&avatar)),
        (chat_avatar_path.as_str(), Method::POST, id_of(&chat_avatar)),
    ];
    for (path, method, file) in set {
        let (status, body) = s
            .call(method, path, Some(&a), Some(json!({"file_id": file})))
            .await?;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    // Every use recorded before the deletion.
    for file in [&only_here, &also_kept, &avatar] {
        eventually_downloadable(&s, &b, id_of(file)).await?;
    }
    eventually_downloadable(&s, &c, id_of(&also_kept)).await?;
    eventually_downloadable(&s, &stranger, id_of(&chat_avatar)).await?;
    let all = [&only_here, &also_kept, &avatar, &chat_avatar];
    let before = stored_uploads(&s)?;
    for file in all {
        assert!(before.contains(&key_of(file)), "{file}");
    }

    let (status, _) = s
        .call(Method::DELETE, &format!("/chats/{doomed}"), Some(&a), None)
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Gone for everyone, the uploader included, and from the store.
    for file in [&only_here, &chat_avatar] {
        eventually_not_found(&s, &a, id_of(file), 100).await?;
    }
    let gone = [key_of(&only_here), key_of(&chat_avatar)];
    let mut stored = stored_uploads(&s)?;
    for _ in 0..100 {
        if gone.iter().all(|k| !stored.contains(k)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        stored = stored_uploads(&s)?;
    }
    for key in &gone {
        assert!(!stored.contains(key), "{key} still stored");
    }
    assert_eq!(
        download(&s, &stranger, id_of(&chat_avatar)).await?.0,
        StatusCode::NOT_FOUND
    );

    // Still carried by the other chat: kept, for its members only.
    assert!(stored.contains(&key_of(&also_kept)));
    assert_eq!(
        fetch_ok(&download_url(&s, &a, id_of(&also_kept)).await?).await?,
        b"in both chats"
    );
    download_url(&s, &c, id_of(&also_kept)).await?;
    assert_eq!(
        download(&s, &b, id_of(&also_kept)).await?.0,
        StatusCode::NOT_FOUND,
        "b was only in the deleted chat"
    );
    let (_, page) = s
        .call(
            Method::GET,
            &format!("/chats/{kept}/messages"),
            Some(&c),
            None,
        )
        .await?;
    let listed = page[0]["attachment_url"].as_str().unwrap_or_default();
    assert_eq!(url_path(listed), upload_path(&also_kept));
    assert_eq!(fetch_ok(listed).await?, b"in both chats");

    // Still the uploader's avatar: kept and public.
    assert!(stored.contains(&key_of(&avatar)));
    assert_eq!(
        fetch_ok(&download_url(&s, &stranger, id_of(&avatar)).await?).await?,
        b"my face"
    );
    let res = s
        .send(
            Method::GET,
            &format!("/users/{a_id}/avatar"),
            Some(&b),
            None,
        )
        .await?;
    assert_eq!(res.status(), StatusCode::FOUND);
    s.stop().await
}
