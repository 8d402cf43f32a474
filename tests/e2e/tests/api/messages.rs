//! §9: sending, history in every cursor mode, edits, deletes, forwards, the
//! pinned message, search; plus the additive `seq` / `client_msg_id` / `after_seq`.

use crate::harness::{Server, error, is_contract_ts};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<i64> {
    page.as_array()
        .map(|l| l.iter().filter_map(|m| m["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn group_of_two(s: &Server) -> anyhow::Result<(i64, String, i64, String, i64)> {
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

#[tokio::test]
async fn a_sent_message_answers_201_with_exactly_the_contract_keys() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a, token, _, b_token, chat) = group_of_two(&s).await?;
    let path = format!("/chats/{chat}/messages");

    let (status, sent) = s
        .call(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"content": "hello"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = sent["id"].as_i64().unwrap_or_default();
    assert!(is_contract_ts(&sent["created_at"]));
    assert_eq!(
        sent,
        json!({"id": id, "chat_id": chat, "sender_id": a, "content": "hello", "message_type": "text",
               "type": "text", "created_at": sent["created_at"], "seq": 1})
    );

    // A reply; the optional keys appear only when set.
    let (status, reply) = s
        .call(Method::POST, &path, Some(&b_token), Some(json!({"content": "re", "type": "image", "reply_to_message_id": id, "duration_seconds": 5})))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(reply["reply_to_message_id"], id);
    assert_eq!(reply["message_type"], "image");
    assert_eq!(reply["type"], "image");
    assert_eq!(reply["seq"], 2);
    // §9.3: the 201 echoes a duration > 0 that was sent, but without a file
    // attached it is not stored (the list below shows null).
    assert_eq!(reply["duration_seconds"], 5);
    assert!(reply.get("sticker_id").is_none());

    // The enriched object in the list.
    let (_, page) = s.call(Method::GET, &path, Some(&token), None).await?;
    assert_eq!(
        ids(&page),
        vec![id, reply["id"].as_i64().unwrap_or_default()]
    );
    let first = &page[0];
    for key in [
        "sticker_url",
        "sticker_label",
        "attachment_url",
        "attachment_filename",
        "attachment_mime_type",
        "duration_seconds",
        "forwarded_from_chat_id",
        "forwarded_from_message_id",
        "forwarded_from_user_id",
        "forwarded_from_display_name",
        "reply_to_message_id",
        "sender_avatar_url",
    ] {
        assert_eq!(first.get(key), Some(&Value::Null), "{key} in {first}");
    }
    assert!(first.get("updated_at").is_none());
    assert!(first.get("reply_to_content").is_none());
    assert_eq!(first["is_edited"], false);
    assert_eq!(first["sender_is_admin"], false);
    assert!(first["sender_username"].is_string());
    assert_eq!(
        first["sender_display_name"], first["sender_username"],
        "falls back to the username"
    );
    let second = &page[1];
    assert_eq!(
        second["duration_seconds"],
        Value::Null,
        "not stored without a file"
    );
    assert_eq!(second["reply_to_content"], "hello");
    assert_eq!(second["reply_to_type"], "text");
    assert_eq!(second["reply_to_sender_username"], first["sender_username"]);
    assert_eq!(second["reply_to_sender_name"], first["sender_username"]);
    s.stop().await
}

#[tokio::test]
async fn sending_rejects_bad_input_and_writes_nothing() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, _, chat) = group_of_two(&s).await?;
    let (_, _, _, _, other_chat) = group_of_two(&s).await?;
    let (_, stranger, _) = s.user("x").await?;
    let path = format!("/chats/{chat}/messages");
    let long = "я".repeat(10_001);
    let huge = "a".repeat(1_000_000);
    let foreign = {
        let (_, t, _) = s.user("f").await?;
        let c = s
            .create_chat(&t, json!({"type": "group", "title": "F"}))
            .await?;
        s.send_text(&t, c, "elsewhere").await?["id"]
            .as_i64()
            .unwrap_or_default()
    };
    let cases = [
        (
            json!({}),
            StatusCode::BAD_REQUEST,
            "content, file_id or sticker_id required",
        ),
        (
            json!({"content": ""}),
            StatusCode::BAD_REQUEST,
            "content, file_id or sticker_id required",
        ),
        (
            json!({"content": long}),
            StatusCode::BAD_REQUEST,
            "Message too long",
        ),
        (
            json!({"content": huge}),
            StatusCode::BAD_REQUEST,
            "Message too long",
        ),
        (
            json!({"content": "x", "sticker_id": 424_242}),
            StatusCode::NOT_FOUND,
            "Sticker not found",
        ),
        (
            json!({"content": "x", "file_id": 424_242}),
            StatusCode::NOT_FOUND,
            "File not found",
        ),
        (
            json!({"content": "x", "reply_to_message_id": foreign}),
            StatusCode::BAD_REQUEST,
            "Invalid reply_to_message_id",
        ),
        (
            json!({"content": "x", "reply_to_message_id": 999_999_999}),
            StatusCode::BAD_REQUEST,
            "Invalid reply_to_message_id",
        ),
    ];
    for (body, status, text) in cases {
        let shown = body.to_string().chars().take(80).collect::<String>();
        assert_eq!(
            s.call(Method::POST, &path, Some(&token), Some(body))
                .await?,
            (status, error(text)),
            "{shown}"
        );
    }
    // Exactly 10 000 characters (multi-byte) is allowed.
    s.send_text(&token, chat, &"я".repeat(10_000)).await?;
    for (who, p) in [
        (&stranger, path.clone()),
        (&token, format!("/chats/{other_chat}/messages")),
        (&token, "/chats/99999999/messages".into()),
    ] {
        assert_eq!(
            s.call(Method::POST, &p, Some(who), Some(json!({"content": "x"})))
                .await?,
            (StatusCode::FORBIDDEN, error("Not a member of this chat")),
            "{p}"
        );
    }
    let (status, _) = s
        .call(
            Method::POST,
            "/chats/abc/messages",
            Some(&token),
            Some(json!({"content": "x"})),
        )
        .await?;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
    let res = s
        .http
        .post(s.url(&path))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await?, error("Invalid JSON"));

    let (_, page) = s.call(Method::GET, &path, Some(&token), None).await?;
    assert_eq!(
        page.as_array().map(Vec::len),
        Some(1),
        "only the valid send was stored"
    );
    assert_eq!(page[0]["seq"], 1, "failed sends leave no gap");
    s.stop().await
}

#[tokio::test]
async fn history_pages_oldest_to_newest_in_every_cursor_mode() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, b_token, chat) = group_of_two(&s).await?;
    let mut sent = Vec::new();
    for i in 0..12 {
        let who = if i % 2 == 0 { &token } else { &b_token };
        sent.push(s.send_text(who, chat, &format!("m{i}")).await?);
    }
    let all: Vec<i64> = sent.iter().filter_map(|m| m["id"].as_i64()).collect();
    let get = |q: String| {
        let token = token.clone();
        let s = &s;
        async move {
            s.call(
                Method::GET,
                &format!("/chats/{chat}/messages{q}"),
                Some(&token),
                None,
            )
            .await
        }
    };
    assert_eq!(ids(&get(String::new()).await?.1), all);
    assert_eq!(
        ids(&get("?limit=1".into()).await?.1),
        vec![all[11]],
        "limit=1 is the newest"
    );
    assert_eq!(ids(&get("?limit=3".into()).await?.1), all[9..].to_vec());
    assert_eq!(
        ids(&get(format!("?before={}&limit=3", all[5])).await?.1),
        all[2..5].to_vec()
    );
    assert_eq!(
        ids(&get(format!("?after_id={}&limit=3", all[5])).await?.1),
        all[6..9].to_vec()
    );
    assert_eq!(
        ids(
            &get(format!("?after_id={}&before={}&limit=3", all[1], all[9]))
                .await?
                .1
        ),
        all[2..5].to_vec(),
        "after_id wins"
    );
    assert_eq!(
        ids(&get("?after_seq=10".into()).await?.1),
        all[10..].to_vec()
    );
    assert_eq!(
        ids(&get("?limit=1000000000".into()).await?.1),
        all,
        "clamped, not rejected"
    );
    assert_eq!(
        ids(&get("?limit=0".into()).await?.1).len(),
        1,
        "clamped up to 1"
    );
    assert_eq!(ids(&get("?limit=-5".into()).await?.1).len(), 1);

    // `before` as the client sends it: a created_at timestamp, in §1.5 and RFC 3339 form.
    let ts = sent[4]["created_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let by_ts = ids(&get(format!("?before={}&limit=2", urlencode(&ts))).await?.1);
    assert_eq!(by_ts, all[2..4].to_vec());
    let rfc = ts.replacen(' ', "T", 1).replace("+00", "Z");
    assert_eq!(
        ids(&get(format!("?before={}&limit=2", urlencode(&rfc))).await?.1),
        by_ts
    );

    for (q, text) in [
        ("?limit=abc", "Invalid limit"),
        ("?after_id=x1", "Invalid after_id"),
        ("?before=yesterday", "Invalid before"),
        ("?after_seq=--", "Invalid after_seq"),
    ] {
        assert_eq!(
            get(q.into()).await?,
            (StatusCode::BAD_REQUEST, error(text)),
            "{q}"
        );
    }
    let (_, stranger, _) = s.user("str").await?;
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(&stranger),
            None
        )
        .await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    s.stop().await
}

#[tokio::test]
async fn a_retried_send_with_the_same_client_msg_id_returns_the_original() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, _, chat) = group_of_two(&s).await?;
    let path = format!("/chats/{chat}/messages");
    let body = json!({"content": "once", "client_msg_id": "c-1"});
    let (status, first) = s
        .call(Method::POST, &path, Some(&token), Some(body.clone()))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = s
        .call(Method::POST, &path, Some(&token), Some(body))
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["seq"], first["seq"]);
    assert_eq!(
        s.call(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"content": "x", "client_msg_id": "z".repeat(65)}))
        )
        .await?,
        (
            StatusCode::BAD_REQUEST,
            error("client_msg_id too long (max 64)")
        )
    );
    let (_, page) = s.call(Method::GET, &path, Some(&token), None).await?;
    assert_eq!(page.as_array().map(Vec::len), Some(1));
    s.stop().await
}

#[tokio::test]
async fn edits_and_deletes_follow_the_sender_admin_and_48_hour_rules() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, owner, b, b_token, chat) = group_of_two(&s).await?;
    let mine = s.send_text(&b_token, chat, "original").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let theirs = s.send_text(&owner, chat, "owner's").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let msg = |id: i64| format!("/chats/{chat}/messages/{id}");

    // Edit.
    let not_editable = (
        StatusCode::FORBIDDEN,
        error("Message not found or not editable"),
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &msg(theirs),
            Some(&b_token),
            Some(json!({"content": "x"}))
        )
        .await?,
        not_editable
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &msg(999_999_999),
            Some(&b_token),
            Some(json!({"content": "x"}))
        )
        .await?,
        not_editable
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &msg(mine),
            Some(&b_token),
            Some(json!({"content": ""}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("content required"))
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &msg(mine),
            Some(&b_token),
            Some(json!({"content": "x".repeat(10_001)}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("Message too long"))
    );
    let (status, edited) = s
        .call(
            Method::PUT,
            &msg(mine),
            Some(&b_token),
            Some(json!({"content": "edited"})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(is_contract_ts(&edited["updated_at"]));
    assert_eq!(
        edited,
        json!({"id": mine, "content": "edited", "is_edited": true, "updated_at": edited["updated_at"]})
    );
    let (_, page) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(&owner),
            None,
        )
        .await?;
    assert_eq!(page[0]["content"], "edited");
    assert_eq!(page[0]["is_edited"], true);
    assert!(is_contract_ts(&page[0]["updated_at"]));

    // Delete for me hides it only for me.
    assert_eq!(
        s.call(Method::DELETE, &msg(theirs), Some(&b_token), None)
            .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(Method::DELETE, &msg(theirs), Some(&b_token), None)
            .await?
            .0,
        StatusCode::NO_CONTENT,
        "idempotent"
    );
    let (_, b_page) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(&b_token),
            None,
        )
        .await?;
    assert_eq!(ids(&b_page), vec![mine]);
    let (_, owner_page) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(&owner),
            None,
        )
        .await?;
    assert_eq!(ids(&owner_page), vec![mine, theirs]);

    // Delete for everyone: the sender or an owner/admin.
    let everyone = Some(json!({"for_everyone": true}));
    assert_eq!(
        s.call(
            Method::DELETE,
            &msg(theirs),
            Some(&b_token),
            everyone.clone()
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only sender or admin can delete for everyone")
        )
    );
    assert_eq!(
        s.call(Method::DELETE, &msg(mine), Some(&owner), everyone.clone())
            .await?
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.call(Method::DELETE, &msg(mine), Some(&owner), everyone.clone())
            .await?,
        (StatusCode::NOT_FOUND, error("Message not found"))
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &msg(mine),
            Some(&b_token),
            Some(json!({"content": "again"}))
        )
        .await?,
        not_editable
    );
    let (_, owner_page) = s
        .call(
            Method::GET,
            &format!("/chats/{chat}/messages"),
            Some(&owner),
            None,
        )
        .await?;
    assert_eq!(ids(&owner_page), vec![theirs]);
    let (_, stranger, _) = s.user("s").await?;
    assert_eq!(
        s.call(Method::DELETE, &msg(theirs), Some(&stranger), None)
            .await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    let _ = b;
    s.stop().await
}

#[tokio::test]
async fn forwarding_copies_with_attribution_in_original_order() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a, a_token, _, b_token, source) = group_of_two(&s).await?;
    let target = s
        .create_chat(&b_token, json!({"type": "group", "title": "T"}))
        .await?;
    let m1 = s.send_text(&a_token, source, "one").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let m2 = s.send_text(&b_token, source, "two").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let gone = s.send_text(&a_token, source, "gone").await?["id"]
        .as_i64()
        .unwrap_or_default();
    s.call(
        Method::DELETE,
        &format!("/chats/{source}/messages/{gone}"),
        Some(&a_token),
        Some(json!({"for_everyone": true})),
    )
    .await?;
    let fwd = format!("/chats/{target}/messages/forward");

    let (status, copies) = s
        .call(
            Method::POST,
            &fwd,
            Some(&b_token),
            Some(json!({"from_chat_id": source, "message_ids": [m2, gone, 999_999_999, m1]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let copies = copies.as_array().cloned().unwrap_or_default();
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0]["forwarded_from_message_id"], m1);
    assert_eq!(copies[1]["forwarded_from_message_id"], m2);
    assert_eq!(
        copies[0]["forwarded_from_user_id"], a,
        "the original author"
    );
    assert_eq!(copies[0]["forwarded_from_chat_id"], source);
    assert_eq!(copies[0]["chat_id"], target);
    assert_eq!(copies[0]["content"], "one");
    assert!(
        copies[0]["forwarded_from_display_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    assert!(is_contract_ts(&copies[0]["created_at"]));
    let (_, page) = s
        .call(
            Method::GET,
            &format!("/chats/{target}/messages"),
            Some(&b_token),
            None,
        )
        .await?;
    assert_eq!(page[1]["forwarded_from_message_id"], m2);
    assert_eq!(
        page[1]["forwarded_from_display_name"],
        copies[1]["forwarded_from_display_name"]
    );

    let (_, outsider, _) = s.user("o").await?;
    let cases = [
        (
            json!({"message_ids": [m1]}),
            StatusCode::BAD_REQUEST,
            "from_chat_id required",
        ),
        (
            json!({"from_chat_id": 0, "message_ids": [m1]}),
            StatusCode::BAD_REQUEST,
            "from_chat_id required",
        ),
        (
            json!({"from_chat_id": source}),
            StatusCode::BAD_REQUEST,
            "message_ids array required",
        ),
        (
            json!({"from_chat_id": source, "message_ids": []}),
            StatusCode::BAD_REQUEST,
            "message_ids array required",
        ),
        (
            json!({"from_chat_id": source, "message_ids": (1..=101).collect::<Vec<i64>>()}),
            StatusCode::BAD_REQUEST,
            "Maximum 100 messages per forward",
        ),
        (
            json!({"from_chat_id": source, "message_ids": [gone, 999_999_999]}),
            StatusCode::NOT_FOUND,
            "No valid messages found",
        ),
    ];
    for (body, status, text) in cases {
        assert_eq!(
            s.call(Method::POST, &fwd, Some(&b_token), Some(body.clone()))
                .await?,
            (status, error(text)),
            "{body}"
        );
    }
    assert_eq!(
        s.call(
            Method::POST,
            &fwd,
            Some(&outsider),
            Some(json!({"from_chat_id": source, "message_ids": [m1]}))
        )
        .await?,
        (StatusCode::FORBIDDEN, error("Not a member of source chat"))
    );
    assert_eq!(
        s.call(
            Method::POST,
            &fwd,
            Some(&a_token),
            Some(json!({"from_chat_id": source, "message_ids": [m1]}))
        )
        .await?,
        (StatusCode::FORBIDDEN, error("Not a member of target chat"))
    );
    let (_, page) = s
        .call(
            Method::GET,
            &format!("/chats/{target}/messages"),
            Some(&b_token),
            None,
        )
        .await?;
    assert_eq!(
        page.as_array().map(Vec::len),
        Some(2),
        "failed forwards wrote nothing"
    );
    s.stop().await
}

#[tokio::test]
async fn one_message_is_pinned_per_chat() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (a, token, _, b_token, chat) = group_of_two(&s).await?;
    let pinned = format!("/chats/{chat}/pinned-message");
    let res = s.send(Method::GET, &pinned, Some(&token), None).await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await?, "null");

    let m1 = s.send_text(&token, chat, "first").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let m2 = s.send_text(&b_token, chat, "second").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let pin = |m: i64| format!("/chats/{chat}/messages/{m}/pin");
    let (status, body) = s.call(Method::POST, &pin(m1), Some(&b_token), None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["pinned_message_id"], m1);
    assert_eq!(body["message"]["id"], m1);
    assert_eq!(body["message"]["sender_id"], a);
    assert!(is_contract_ts(&body["pinned_at"]));
    let (_, b_id) = (0, body["pinned_by"].clone());
    let (status, body) = s.call(Method::POST, &pin(m2), Some(&token), None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["pinned_by"], a);
    assert_ne!(b_id, body["pinned_by"]);

    let (status, current) = s.call(Method::GET, &pinned, Some(&token), None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(current["message"]["id"], m2);
    assert!(current.get("pinned_message_id").is_none());
    assert_eq!(
        s.call(Method::DELETE, &pin(m1), Some(&token), None).await?,
        (StatusCode::NOT_FOUND, error("No pinned message found"))
    );
    assert_eq!(
        s.call(Method::DELETE, &pin(m2), Some(&token), None).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.send(Method::GET, &pinned, Some(&token), None)
            .await?
            .text()
            .await?,
        "null"
    );
    assert_eq!(
        s.call(Method::POST, &pin(999_999_999), Some(&token), None)
            .await?,
        (StatusCode::NOT_FOUND, error("Message not found"))
    );

    // Channels: only owner/admin pin and unpin.
    let (_, owner, _) = s.user("ch").await?;
    let (sub, sub_token, _) = s.user("sub").await?;
    let channel = s
        .create_chat(
            &owner,
            json!({"type": "channel", "title": "C", "member_ids": [sub]}),
        )
        .await?;
    let post = s.send_text(&owner, channel, "news").await?["id"]
        .as_i64()
        .unwrap_or_default();
    assert_eq!(
        s.call(
            Method::POST,
            &format!("/chats/{channel}/messages/{post}/pin"),
            Some(&sub_token),
            None
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only admins can pin in channels")
        )
    );
    s.call(
        Method::POST,
        &format!("/chats/{channel}/messages/{post}/pin"),
        Some(&owner),
        None,
    )
    .await?;
    assert_eq!(
        s.call(
            Method::DELETE,
            &format!("/chats/{channel}/messages/{post}/pin"),
            Some(&sub_token),
            None
        )
        .await?,
        (
            StatusCode::FORBIDDEN,
            error("Only admins can unpin in channels")
        )
    );
    let (_, stranger, _) = s.user("x").await?;
    assert_eq!(
        s.call(Method::GET, &pinned, Some(&stranger), None).await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    s.stop().await
}

#[tokio::test]
async fn search_finds_substrings_in_any_script_newest_first() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, b_token, chat) = group_of_two(&s).await?;
    let texts = [
        "Hello World",
        "привет мир",
        "東京タワーへ行く",
        "hello again",
        "100% sure",
        "nothing here",
    ];
    let mut sent = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let who = if i % 2 == 0 { &token } else { &b_token };
        sent.push(
            s.send_text(who, chat, t).await?["id"]
                .as_i64()
                .unwrap_or_default(),
        );
    }
    s.call(
        Method::POST,
        &format!("/chats/{chat}/messages"),
        Some(&token),
        Some(json!({"content": "hello sticker", "type": "sticker_text"})),
    )
    .await?;
    let search = |q: &str| {
        let path = format!("/chats/{chat}/messages/search?q={}", urlencode(q));
        let token = token.clone();
        let s = &s;
        async move { s.call(Method::GET, &path, Some(&token), None).await }
    };
    let (status, found) = search("HELLO").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        ids(&found),
        vec![sent[3], sent[0]],
        "newest first, text only"
    );
    assert_eq!(ids(&search("ИВЕТ").await?.1), vec![sent[1]]);
    assert_eq!(ids(&search("タワー").await?.1), vec![sent[2]]);
    assert_eq!(
        ids(&search("h_llo").await?.1),
        vec![sent[3], sent[0]],
        "_ is a wildcard"
    );
    assert_eq!(ids(&search("100%").await?.1), vec![sent[4]]);
    assert_eq!(search("zzz").await?, (StatusCode::OK, json!([])));
    let paged = s
        .call(
            Method::GET,
            &format!(
                "/chats/{chat}/messages/search?q=hello&limit=1&before_id={}",
                sent[3]
            ),
            Some(&token),
            None,
        )
        .await?;
    assert_eq!(ids(&paged.1), vec![sent[0]]);
    assert_eq!(
        search("").await?,
        (StatusCode::BAD_REQUEST, error("q parameter required"))
    );
    assert_eq!(
        search(&"q".repeat(201)).await?,
        (StatusCode::BAD_REQUEST, error("q too long (max 200)"))
    );
    let (_, stranger, _) = s.user("x").await?;
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/chats/{chat}/messages/search"),
            Some(&stranger),
            None
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("q parameter required")),
        "parameters are checked before membership"
    );
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/chats/{chat}/messages/search?q=hello"),
            Some(&stranger),
            None
        )
        .await?,
        (StatusCode::FORBIDDEN, error("Not a member of this chat"))
    );
    s.stop().await
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn undecodable_ids_and_impossible_years_are_client_errors_never_500() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, _, chat) = group_of_two(&s).await?;
    let not_member = (StatusCode::FORBIDDEN, error("Not a member of this chat"));
    for (method, path) in [
        (Method::GET, "/chats/%FF/messages".to_owned()),
        (Method::GET, "/chats/%FF/pinned-message".into()),
        (Method::POST, "/chats/%FF/read".into()),
        (Method::GET, "/chats/%FF/read-receipts".into()),
        (
            Method::GET,
            "/chats/99999999999999999999999/messages".into(),
        ),
    ] {
        assert_eq!(
            s.call(method, &path, Some(&token), None).await?,
            not_member,
            "{path}"
        );
    }
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages/%FF/reactions"),
            Some(&token),
            Some(json!({"emoji": "x"})),
        )
        .await?;
    // The undecodable segment is answered like an unknown id, in the JSON shape.
    assert!(
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
            && body["error"].is_string(),
        "{status} {body}"
    );
    for ts in ["-10000-01-01 00:00:00+00", "+20000-01-01T00:00:00Z"] {
        assert_eq!(
            s.call(
                Method::GET,
                &format!("/chats/{chat}/messages?before={}", urlencode(ts)),
                Some(&token),
                None
            )
            .await?,
            (StatusCode::BAD_REQUEST, error("Invalid before")),
            "{ts}"
        );
        assert_eq!(
            s.call(
                Method::POST,
                &format!("/chats/{chat}/mute"),
                Some(&token),
                Some(json!({"muted_until": ts}))
            )
            .await?,
            (StatusCode::BAD_REQUEST, error("Invalid muted_until")),
            "{ts}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn forwarding_leaves_the_forwarders_unread_messages_unread() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, a_token, _, b_token, chat) = group_of_two(&s).await?;
    let source = s
        .create_chat(&b_token, json!({"type": "group", "title": "S"}))
        .await?;
    let original = s.send_text(&b_token, source, "fwd me").await?["id"]
        .as_i64()
        .unwrap_or_default();
    // a's message is unread for b; b then forwards into the same chat.
    s.send_text(&a_token, chat, "unread for b").await?;
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/chats/{chat}/messages/forward"),
            Some(&b_token),
            Some(json!({"from_chat_id": source, "message_ids": [original]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = s.call(Method::GET, "/chats", Some(&b_token), None).await?;
    let row = crate::chats::find(&list, chat)?;
    assert_eq!(
        row["unread_count"], 1,
        "the forward neither read a's message nor counts itself"
    );
    assert_eq!(row["last_message"], "fwd me");
    // The forward is unread for a.
    let (_, list) = s.call(Method::GET, "/chats", Some(&a_token), None).await?;
    assert_eq!(crate::chats::find(&list, chat)?["unread_count"], 1);
    s.stop().await
}

#[tokio::test]
async fn concurrent_toggles_of_one_reaction_add_then_remove() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _, _, chat) = group_of_two(&s).await?;
    let m = s.send_text(&token, chat, "react").await?["id"]
        .as_i64()
        .unwrap_or_default();
    let path = format!("/chats/{chat}/messages/{m}/reactions");
    for _ in 0..5 {
        let body = Some(json!({"emoji": "🔥"}));
        let (first, second) = tokio::join!(
            s.call(Method::POST, &path, Some(&token), body.clone()),
            s.call(Method::POST, &path, Some(&token), body.clone())
        );
        let mut actions = vec![first?.1["action"].clone(), second?.1["action"].clone()];
        actions.sort_by_key(|a| a.to_string());
        assert_eq!(actions, vec![json!("added"), json!("removed")]);
        let (_, map) = s
            .call(
                Method::GET,
                &format!("/chats/{chat}/reactions?message_ids={m}"),
                Some(&token),
                None,
            )
            .await?;
        assert_eq!(map, json!({}), "a pair of toggles leaves nothing");
    }
    s.stop().await
}
