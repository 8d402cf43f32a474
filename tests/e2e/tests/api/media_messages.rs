//! §12.3 voice messages, §13.1–13.2 stickers, §9.2 attachment and sticker keys
//! of listed messages: every listed URL is presigned and fetchable.

use crate::harness::{Server, error};
use crate::media::{WEBM, fetch, fetch_ok, upload, upload_path, url_path};
use crate::media_serving::check_presigned;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

const LABELS: [&str; 8] = [
    "grin", "lol", "heart", "like", "party", "cry", "cool", "fire",
];

async fn pair(s: &Server) -> anyhow::Result<(i64, String, i64, String, i64)> {
    let (a, a_token, _) = s.user("a").await?;
    let (b, b_token, _) = s.user("b").await?;
    let chat = s
        .create_chat(
            &a_token,
            json!({"type": "group", "title": "G", "member_ids": [b]}),
        )
        .await?;
    Ok((a, a_token, b, b_token, chat))
}

async fn listed(s: &Server, token: &str, chat: i64) -> anyhow::Result<Value> {
    let (status, page) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(token),
            None,
        )
        .await?;
    anyhow::ensure!(status == StatusCode::OK, "list {chat}: {status} {page}");
    Ok(page)
}

#[tokio::test]
async fn a_voice_message_answers_201_and_lists_a_fetchable_recording_with_its_duration()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a, a_token, _, b_token, chat) = pair(&s).await?;
    let voice = upload(&s, &a_token, "voice.webm", Some("audio/webm"), WEBM).await?;
    assert_eq!(voice["mime_type"], "audio/webm");
    let file_id = voice["id"].as_i64().unwrap_or_default();

    let (status, sent) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages"),
            Some(&a_token),
            Some(
                json!({"content": "", "type": "voice", "file_id": file_id, "duration_seconds": 7}),
            ),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let mut expected = json!({
        "id": sent["id"], "chat_id": chat, "sender_id": a, "content": "",
        "message_type": "voice", "type": "voice", "created_at": sent["created_at"],
        "duration_seconds": 7,
    });
    if let Some(seq) = sent.get("seq") {
        expected["seq"] = seq.clone();
    }
    assert_eq!(sent, expected);

    for token in [&a_token, &b_token] {
        let page = listed(&s, token, chat).await?;
        let m = &page[0];
        assert_eq!(m["id"], sent["id"]);
        assert_eq!(m["message_type"], "voice");
        assert_eq!(m["content"], "");
        assert_eq!(m["duration_seconds"], 7);
        assert_eq!(m["attachment_filename"], "voice.webm");
        assert_eq!(m["attachment_mime_type"], "audio/webm");
        assert_eq!(m["sticker_url"], Value::Null);
        assert_eq!(m["sticker_label"], Value::Null);
        let url = m["attachment_url"].as_str().unwrap_or_default();
        let (_, path) = check_presigned(url, 900)?;
        assert_eq!(path, upload_path(&voice));
        let res = fetch(url).await?;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "audio/webm");
        assert_eq!(res.bytes().await?.as_ref(), WEBM);
    }
    s.stop().await
}

#[tokio::test]
async fn a_file_message_lists_its_attachment_and_a_text_message_none() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _, b_token, chat) = pair(&s).await?;
    let doc = upload(
        &s,
        &a_token,
        "report.pdf",
        Some("application/pdf"),
        b"%PDF-1.4 fake",
    )
    .await?;
    let (status, sent) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages"),
            Some(&a_token),
            Some(json!({"content": "the report", "type": "file", "file_id": doc["id"], "duration_seconds": 3})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert!(sent.get("sticker_id").is_none());
    s.send_text(&b_token, chat, "thanks").await?;

    let page = listed(&s, &b_token, chat).await?;
    let (file_msg, text_msg) = (&page[0], &page[1]);
    assert_eq!(file_msg["content"], "the report");
    assert_eq!(file_msg["message_type"], "file");
    assert_eq!(file_msg["attachment_filename"], "report.pdf");
    assert_eq!(file_msg["attachment_mime_type"], "application/pdf");
    assert_eq!(
        file_msg["duration_seconds"], 3,
        "stored: a file is attached"
    );
    let url = file_msg["attachment_url"].as_str().unwrap_or_default();
    assert_eq!(url_path(url), upload_path(&doc));
    assert_eq!(fetch_ok(url).await?, b"%PDF-1.4 fake");
    for key in [
        "attachment_url",
        "attachment_filename",
        "attachment_mime_type",
        "duration_seconds",
        "sticker_url",
        "sticker_label",
    ] {
        assert_eq!(text_msg.get(key), Some(&Value::Null), "{key}");
    }
    s.stop().await
}

#[tokio::test]
async fn stickers_are_eight_fetchable_svg_images_in_id_order() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("st").await?;
    let (status, list) = s.call(Method::GET, "/stickers", Some(&token), None).await?;
    assert_eq!(status, StatusCode::OK);
    let items = list.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 8, "{list}");
    for (n, (item, label)) in items.iter().zip(LABELS).enumerate() {
        let id = n as i64 + 1;
        let url = item["url"].as_str().unwrap_or_default();
        assert_eq!(item, &json!({"id": id, "label": label, "url": url}));
        let (_, path) = check_presigned(url, 900)?;
        assert_eq!(path, format!("/chorus-stickers/stickers/s0{id}.svg"));
        let res = fetch(url).await?;
        assert_eq!(res.status(), StatusCode::OK, "{label}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/svg+xml");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let body = res.bytes().await?;
        assert!(body.starts_with(b"<svg"), "{label}");
    }
    s.stop().await
}

#[tokio::test]
async fn a_sticker_image_is_a_302_and_unknown_stickers_are_404() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("st").await?;
    let res = s
        .send(Method::GET, "/stickers/3/image", Some(&token), None)
        .await?;
    assert_eq!(res.status(), StatusCode::FOUND);
    let url = res.headers()[header::LOCATION].to_str()?.to_string();
    assert_eq!(res.text().await?, "");
    let (_, path) = check_presigned(&url, 900)?;
    assert_eq!(path, "/chorus-stickers/stickers/s03.svg");
    assert!(fetch_ok(&url).await?.starts_with(b"<svg"));

    for id in ["9", "0", "-1", "abc", "99999999999999999999"] {
        assert_eq!(
            s.call(
                Method::GET,
                &format!("/stickers/{id}/image"),
                Some(&token),
                None
            )
            .await?,
            (StatusCode::NOT_FOUND, error("Sticker not found")),
            "{id}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn a_sticker_message_lists_its_url_and_label_and_ignores_a_file() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _, b_token, chat) = pair(&s).await?;
    let path = format!("/chats/{chat}/messages");
    let (status, sent) = s
        .call(
            Method::POST,
            &path,
            Some(&a_token),
            Some(json!({"type": "sticker", "sticker_id": 3})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["sticker_id"], 3);
    assert_eq!(sent["message_type"], "sticker");
    assert_eq!(sent["content"], "");

    // With a sticker, file_id and duration are ignored (even a file b may not see).
    let (_, other, _) = s.user("o").await?;
    let foreign = upload(&s, &other, "x.txt", Some("text/plain"), b"x").await?;
    let (status, second) = s
        .call(
            Method::POST,
            &path,
            Some(&b_token),
            Some(json!({"type": "sticker", "sticker_id": 8, "file_id": foreign["id"], "duration_seconds": 4})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(
        s.call(
            Method::POST,
            &path,
            Some(&a_token),
            Some(json!({"type": "sticker", "sticker_id": 9}))
        )
        .await?,
        (StatusCode::NOT_FOUND, error("Sticker not found"))
    );

    let page = listed(&s, &b_token, chat).await?;
    assert_eq!(page.as_array().map(Vec::len), Some(2), "{page}");
    for (m, (n, label)) in page
        .as_array()
        .into_iter()
        .flatten()
        .zip([(3, "heart"), (8, "fire")])
    {
        assert_eq!(m["message_type"], "sticker");
        assert_eq!(m["sticker_label"], label);
        let url = m["sticker_url"].as_str().unwrap_or_default();
        assert_eq!(
            url_path(url),
            format!("/chorus-stickers/stickers/s0{n}.svg")
        );
        assert!(fetch_ok(url).await?.starts_with(b"<svg"));
        for key in [
            "attachment_url",
            "attachment_filename",
            "attachment_mime_type",
            "duration_seconds",
        ] {
            assert_eq!(m.get(key), Some(&Value::Null), "{label}: {key}");
        }
    }
    s.stop().await
}
