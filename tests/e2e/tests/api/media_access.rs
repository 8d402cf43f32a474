//! §12.2, §9.3, D12: who may download a file — its uploader, members of a chat
//! where a message carries it, anyone for avatars and stickers — and that a
//! message may only carry a file its sender may download. Everyone else, and
//! unknown or malformed ids, get `404 File not found` without a Location.

use crate::harness::{Server, error};
use crate::media::{
    download, download_url, eventually_downloadable, eventually_not_found, fetch_ok, upload,
    upload_path, upload_text, url_path,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn not_found() -> (StatusCode, Option<String>, Value) {
    (StatusCode::NOT_FOUND, None, error("File not found"))
}

/// Sends a message carrying `file` into `chat`, expecting 201.
pub async fn send_file(
    s: &Server,
    token: &str,
    chat: i64,
    file: i64,
    content: &str,
) -> anyhow::Result<Value> {
    let (status, reply) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages"),
            Some(token),
            Some(json!({"content": content, "type": "file", "file_id": file})),
        )
        .await?;
    anyhow::ensure!(
        status == StatusCode::CREATED,
        "send file {file} to {chat}: {status} {reply}"
    );
    Ok(reply)
}

async fn group(s: &Server, owner: &str, members: &[i64]) -> anyhow::Result<i64> {
    s.create_chat(
        owner,
        json!({"type": "group", "title": "G", "member_ids": members}),
    )
    .await
}

#[tokio::test]
async fn only_the_uploader_may_download_a_file_sent_nowhere() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _) = s.user("a").await?;
    let (_, stranger, _) = s.user("z").await?;
    let (co_member_id, co_member, _) = s.user("c").await?;
    let chat = group(&s, &a_token, &[co_member_id]).await?;
    s.send_text(&a_token, chat, "no file here").await?;
    let id = upload_text(&s, &a_token, "private.txt", "private").await?;

    let url = download_url(&s, &a_token, id).await?;
    assert_eq!(fetch_ok(&url).await?, b"private");
    assert_eq!(download(&s, &stranger, id).await?, not_found());
    assert_eq!(
        download(&s, &co_member, id).await?,
        not_found(),
        "sharing a chat with the uploader is not enough"
    );
    s.stop().await
}

#[tokio::test]
async fn unknown_and_malformed_file_ids_are_404_file_not_found() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("u").await?;
    upload_text(&s, &token, "exists.txt", "x").await?;
    for id in [
        "abc",
        "0",
        "-1",
        "1.5",
        "99999999",
        "99999999999999999999999",
        "1e3",
    ] {
        assert_eq!(download(&s, &token, id).await?, not_found(), "{id}");
    }
    s.stop().await
}

#[tokio::test]
async fn members_of_a_chat_where_the_file_was_sent_may_download_it_until_they_leave()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a, _) = s.user("a").await?;
    let (b_id, b, _) = s.user("b").await?;
    let (d_id, d, _) = s.user("d").await?;
    let (_, stranger, _) = s.user("z").await?;
    let shared = group(&s, &a, &[b_id]).await?;
    let _other = group(&s, &a, &[d_id]).await?;
    let uploaded = upload(&s, &a, "plan.txt", Some("text/plain"), b"the plan").await?;
    let id = uploaded["id"].as_i64().unwrap_or_default();
    assert_eq!(download(&s, &b, id).await?, not_found(), "not sent yet");

    send_file(&s, &a, shared, id, "see attached").await?;
    let url = eventually_downloadable(&s, &b, id).await?;
    assert_eq!(url_path(&url), upload_path(&uploaded));
    assert_eq!(fetch_ok(&url).await?, b"the plan");
    assert_eq!(download(&s, &stranger, id).await?, not_found());
    assert_eq!(
        download(&s, &d, id).await?,
        not_found(),
        "a chat of the uploader where the file is not"
    );

    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/chats/{shared}/leave"),
            Some(&b),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    eventually_not_found(&s, &b, id, 50).await?;
    download_url(&s, &a, id).await?;
    s.stop().await
}

#[tokio::test]
async fn a_forwarded_attachment_is_downloadable_by_the_members_of_the_target_chat()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a, _) = s.user("a").await?;
    let (b_id, _, _) = s.user("b").await?;
    let (d_id, d, _) = s.user("d").await?;
    let source = group(&s, &a, &[b_id]).await?;
    let target = group(&s, &a, &[d_id]).await?;
    let uploaded = upload(&s, &a, "fwd.txt", Some("text/plain"), b"forward me").await?;
    let id = uploaded["id"].as_i64().unwrap_or_default();
    let sent = send_file(&s, &a, source, id, "").await?;
    assert_eq!(download(&s, &d, id).await?, not_found());

    let (status, copies) = s
        .call(
            Method::POST,
            &format!("/chats/{target}/messages/forward"),
            Some(&a),
            Some(json!({"from_chat_id": source, "message_ids": [sent["id"]]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{copies}");
    let url = eventually_downloadable(&s, &d, id).await?;
    assert_eq!(fetch_ok(&url).await?, b"forward me");

    let (_, page) = s
        .call(
            Method::GET,
            &format!("/chats/{target}/messages"),
            Some(&d),
            None,
        )
        .await?;
    let copy = &page[0];
    assert_eq!(copy["forwarded_from_message_id"], sent["id"]);
    assert_eq!(copy["attachment_filename"], "fwd.txt");
    assert_eq!(copy["attachment_mime_type"], "text/plain");
    let listed = copy["attachment_url"].as_str().unwrap_or_default();
    assert_eq!(url_path(listed), upload_path(&uploaded));
    assert_eq!(fetch_ok(listed).await?, b"forward me");
    s.stop().await
}

#[tokio::test]
async fn a_message_may_carry_only_a_file_its_sender_may_download() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a, _) = s.user("a").await?;
    let (b_id, b, _) = s.user("b").await?;
    let (c_id, c, _) = s.user("c").await?;
    let with_a = group(&s, &a, &[b_id]).await?;
    let with_c = group(&s, &b, &[c_id]).await?;
    let id = upload_text(&s, &a, "a.txt", "from a").await?;

    for chat in [with_a, with_c] {
        assert_eq!(
            s.call(
                Method::POST,
                &format!("/chats/{chat}/messages"),
                Some(&b),
                Some(json!({"content": "", "type": "file", "file_id": id})),
            )
            .await?,
            (StatusCode::NOT_FOUND, error("File not found")),
            "someone else's private file into {chat}"
        );
        let (_, page) = s
            .call(
                Method::GET,
                &format!("/chats/{chat}/messages"),
                Some(&b),
                None,
            )
            .await?;
        assert_eq!(page, json!([]), "nothing was sent to {chat}");
    }

    // Once a sends it to b, b may pass it on, and then c may download it.
    send_file(&s, &a, with_a, id, "for b").await?;
    eventually_downloadable(&s, &b, id).await?;
    send_file(&s, &b, with_c, id, "for c").await?;
    let url = eventually_downloadable(&s, &c, id).await?;
    assert_eq!(fetch_ok(&url).await?, b"from a");
    s.stop().await
}

#[tokio::test]
async fn sticker_and_avatar_files_are_downloadable_by_anyone_while_in_use() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, stranger, _) = s.user("z").await?;

    // The eight sticker files (§19.0) precede any upload.
    let mut sticker_paths = Vec::new();
    for id in 1..=16 {
        let (status, location, _) = download(&s, &stranger, id).await?;
        if status == StatusCode::FOUND {
            let url = location.unwrap_or_default();
            assert!(fetch_ok(&url).await?.starts_with(b"<svg"), "{url}");
            sticker_paths.push(url_path(&url));
        }
    }
    let expected: Vec<String> = (1..=8)
        .map(|n| format!("/chorus-stickers/stickers/s0{n}.svg"))
        .collect();
    sticker_paths.sort();
    assert_eq!(sticker_paths, expected);

    let (b_id, b, _) = s.user("b").await?;
    let (_, a, _) = s.user("a").await?;
    let first = upload(&s, &b, "me.png", Some("image/png"), crate::media::PNG).await?;
    let first_id = first["id"].as_i64().unwrap_or_default();
    let (status, _) = s
        .call(
            Method::PUT,
            "/users/me/avatar",
            Some(&b),
            Some(json!({"file_id": first_id})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let url = eventually_downloadable(&s, &stranger, first_id).await?;
    assert_eq!(fetch_ok(&url).await?, crate::media::PNG);

    let chat = group(&s, &a, &[b_id]).await?;
    let chat_avatar = upload_text(&s, &a, "chat.txt", "chat avatar").await?;
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/avatar"),
            Some(&a),
            Some(json!({"file_id": chat_avatar})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    eventually_downloadable(&s, &stranger, chat_avatar).await?;

    // A replaced avatar is private again (its uploader still has it).
    let second = upload_text(&s, &b, "me2.txt", "new face").await?;
    let (status, _) = s
        .call(
            Method::PUT,
            "/users/me/avatar",
            Some(&b),
            Some(json!({"file_id": second})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    eventually_downloadable(&s, &stranger, second).await?;
    eventually_not_found(&s, &stranger, first_id, 50).await?;
    download_url(&s, &b, first_id).await?;
    s.stop().await
}
