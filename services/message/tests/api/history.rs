//! Reading: history pages in every cursor mode, the enriched object, search.

use crate::helpers::Harness;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|m| m["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_pages_run_oldest_to_newest_in_every_cursor_mode() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let mut m = Vec::new();
    for i in 0..6 {
        m.push(h.send(10, &h.alice, &format!("m{i}")).await?);
    }
    let list = |q: &str| {
        let path = format!("/chats/10/messages{q}");
        let h = &h;
        async move { h.get(&path, &h.bob).await }
    };
    let ok = |v: Vec<i64>| (StatusCode::OK, v);
    let got = |r: (StatusCode, Value)| (r.0, ids(&r.1));
    assert_eq!(got(list("").await?), ok(m.clone()));
    assert_eq!(got(list("?limit=1").await?), ok(vec![m[5]]));
    assert_eq!(got(list("?limit=2").await?), ok(vec![m[4], m[5]]));
    assert_eq!(got(list("?limit=0").await?), ok(vec![m[5]]));
    assert_eq!(got(list("?limit=-5").await?), ok(vec![m[5]]));
    assert_eq!(got(list("?limit=1000000000").await?), ok(m.clone()));
    assert_eq!(
        got(list("?limit=99999999999999999999999").await?),
        ok(m.clone())
    );
    assert_eq!(
        got(list(&format!("?before={}&limit=2", m[3])).await?),
        ok(vec![m[1], m[2]])
    );
    assert_eq!(
        got(list(&format!("?after_id={}&limit=2", m[1])).await?),
        ok(vec![m[2], m[3]])
    );
    assert_eq!(
        got(list(&format!("?after_id={}&before={}", m[3], m[1])).await?),
        ok(vec![m[4], m[5]])
    );
    assert_eq!(got(list("?after_seq=4").await?), ok(vec![m[4], m[5]]));
    assert_eq!(
        got(list(&format!("?after_seq=0&after_id={}&limit=1", m[4])).await?),
        ok(vec![m[0]])
    );
    assert_eq!(got(list("?after_id=-7&limit=1").await?), ok(vec![m[0]]));

    // Timestamp cursors: the contract form (space and `+`) and RFC 3339.
    let (_, all) = list("").await?;
    let ts = all[3]["created_at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let encoded = ts
        .replace(' ', "+")
        .replace('+', "%2B")
        .replacen("%2B", "+", 1);
    assert_eq!(
        got(list(&format!("?before={encoded}&limit=2")).await?),
        ok(vec![m[1], m[2]])
    );
    let rfc = ts.replacen(' ', "T", 1).replace("+00", "Z");
    assert_eq!(
        got(list(&format!("?before={rfc}")).await?),
        ok(m[..3].to_vec())
    );

    for (q, error) in [
        ("?limit=abc", "Invalid limit"),
        ("?limit=1.5", "Invalid limit"),
        ("?after_id=x", "Invalid after_id"),
        ("?before=yesterday", "Invalid before"),
        ("?after_seq=%00", "Invalid after_seq"),
    ] {
        assert_eq!(
            list(q).await?,
            (StatusCode::BAD_REQUEST, json!({ "error": error })),
            "{q}"
        );
    }
    assert_eq!(
        h.get("/chats/10/messages", &h.carol).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Not a member of this chat"})
        )
    );
    assert_eq!(
        h.get("/chats/x/messages", &h.bob).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Not a member of this chat"})
        )
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enriched_message_has_every_key_and_never_quotes_a_message_deleted_for_everyone()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let first = h.send(10, &h.alice, "original").await?;
    let (_, reply) = h
        .post(
            "/chats/10/messages",
            &h.bob,
            json!({"content": "answer", "reply_to_message_id": first}),
        )
        .await?;
    let (status, _) = h
        .call(
            reqwest::Method::DELETE,
            &format!("/chats/10/messages/{first}"),
            &h.alice,
            Some(json!({"for_everyone": true})),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, list) = h.get("/chats/10/messages", &h.alice).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&list), [reply["id"].as_i64().unwrap_or_default()]);
    let m = &list[0];
    let expected = json!({
        "id": reply["id"], "chat_id": 10, "seq": 2, "sender_id": h.bob.id, "content": "answer",
        "message_type": "text", "created_at": reply["created_at"], "is_edited": false,
        "sender_username": "bob", "sender_display_name": m["sender_display_name"],
        "sender_is_admin": false, "sender_avatar_url": null,
        "sticker_url": null, "sticker_label": null,
        "attachment_url": null, "attachment_filename": null, "attachment_mime_type": null,
        "duration_seconds": null,
        "forwarded_from_chat_id": null, "forwarded_from_message_id": null,
        "forwarded_from_user_id": null, "forwarded_from_display_name": null,
        // Deleted for everyone: its text is not readable through the reply (§9.2).
        "reply_to_message_id": first, "reply_to_content": null, "reply_to_type": null,
        "reply_to_sender_username": null, "reply_to_sender_name": null,
    });
    assert_eq!(m, &expected);
    assert!(
        m["sender_display_name"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );

    // A live reply target is quoted...
    let (_, quoted) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": "again", "reply_to_message_id": reply["id"]}),
        )
        .await?;
    let (_, list) = h.get("/chats/10/messages", &h.bob).await?;
    let q = &list[1];
    assert_eq!(q["id"], quoted["id"]);
    assert_eq!(
        (
            &q["reply_to_content"],
            &q["reply_to_type"],
            &q["reply_to_sender_username"]
        ),
        (&json!("answer"), &json!("text"), &json!("bob"))
    );
    assert!(
        q["reply_to_sender_name"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );

    // ...and one whose target row vanished keeps the four keys, null.
    sqlx::query("DELETE FROM messages WHERE id = $1")
        .bind(reply["id"].as_i64())
        .execute(&h.db)
        .await?;
    let (_, list) = h.get("/chats/10/messages", &h.bob).await?;
    for key in [
        "reply_to_content",
        "reply_to_type",
        "reply_to_sender_username",
        "reply_to_sender_name",
    ] {
        assert_eq!(list[0][key], Value::Null, "{key}");
    }
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_text_substrings_newest_first_in_any_script() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let hello = h.send(10, &h.alice, "Hello World").await?;
    let ru = h.send(10, &h.alice, "Привет, МИР").await?;
    let cjk = h.send(10, &h.bob, "今日は東京へ行きます").await?;
    let pct = h.send(10, &h.bob, "100% done_ok \\ slash").await?;
    let hello2 = h.send(10, &h.bob, "say hello again").await?;
    let (_, img) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": "hello image", "type": "image"}),
        )
        .await?;
    assert!(img["id"].is_i64());
    let hidden = h.send(10, &h.alice, "hello hidden").await?;
    let (s, _) = h
        .call(
            reqwest::Method::DELETE,
            &format!("/chats/10/messages/{hidden}"),
            &h.bob,
            None,
        )
        .await?;
    assert_eq!(s, StatusCode::NO_CONTENT);

    let search = |q: &str| {
        let path = format!("/chats/10/messages/search?{q}");
        let h = &h;
        async move { h.get(&path, &h.bob).await.map(|(s, v)| (s, ids(&v))) }
    };
    let ok = |v: Vec<i64>| (StatusCode::OK, v);
    assert_eq!(search("q=HELLO").await?, ok(vec![hello2, hello]));
    assert_eq!(
        search(&format!("q=hello&before_id={hello2}")).await?,
        ok(vec![hello])
    );
    assert_eq!(search("q=hello&limit=1").await?, ok(vec![hello2]));
    assert_eq!(
        search("q=%D0%BC%D0%B8%D1%80").await?,
        ok(vec![ru]),
        "Cyrillic, any case"
    );
    assert_eq!(search("q=%E6%9D%B1%E4%BA%AC").await?, ok(vec![cjk]), "CJK");
    assert_eq!(
        search("q=h_llo+w").await?,
        ok(vec![hello]),
        "_ is a wildcard"
    );
    assert_eq!(search("q=100%25").await?, ok(vec![pct]));
    assert_eq!(
        search("q=y%25gain").await?,
        ok(vec![hello2]),
        "% is a wildcard"
    );
    assert_eq!(
        search("q=%5C").await?,
        ok(vec![pct]),
        "a backslash is literal"
    );
    assert_eq!(search("q=nothing+like+it").await?, ok(vec![]));
    assert_eq!(search("q=a%00b").await?, ok(vec![]));

    let err = |text: &str| (StatusCode::BAD_REQUEST, json!({ "error": text }));
    assert_eq!(
        h.get("/chats/10/messages/search", &h.carol).await?,
        err("q parameter required")
    );
    assert_eq!(
        h.get("/chats/10/messages/search?q=", &h.carol).await?,
        err("q parameter required")
    );
    let long = "a".repeat(201);
    assert_eq!(
        h.get(&format!("/chats/10/messages/search?q={long}"), &h.carol)
            .await?,
        err("q too long (max 200)")
    );
    assert_eq!(
        h.get("/chats/10/messages/search?q=a&limit=x", &h.carol)
            .await?,
        err("Invalid limit")
    );
    assert_eq!(
        h.get("/chats/10/messages/search?q=a&before_id=x", &h.carol)
            .await?,
        err("Invalid before_id")
    );
    assert_eq!(
        h.get("/chats/10/messages/search?q=a", &h.carol).await?,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "Not a member of this chat"})
        )
    );
    h.stop().await
}
