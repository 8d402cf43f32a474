//! Sending: the 201 body, validation order, channel rules, client_msg_id
//! retries, gapless seq, and the events.

use crate::helpers::Harness;
use chorus_proto::message::v1 as pb;
use prost::Message as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn is_ts(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() >= 22 && s.ends_with("+00") && s.as_bytes()[10] == b' ')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sends_a_message_and_gets_the_exact_created_body_and_one_event()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let (status, body) = h
        .post("/chats/10/messages", &h.alice, json!({"content": "hi"}))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let obj = body.as_object().cloned().unwrap_or_default();
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "chat_id",
            "content",
            "created_at",
            "id",
            "message_type",
            "sender_id",
            "seq",
            "type"
        ]
    );
    assert_eq!(body["chat_id"], 10);
    assert_eq!(body["sender_id"], h.alice.id);
    assert_eq!(body["content"], "hi");
    assert_eq!(body["message_type"], "text");
    assert_eq!(body["type"], "text");
    assert_eq!(body["seq"], 1);
    assert!(is_ts(&body["created_at"]), "{}", body["created_at"]);

    let (status, reply) = h
        .post(
            "/chats/10/messages",
            &h.bob,
            json!({"content": "yo", "type": "image", "reply_to_message_id": body["id"],
                   "duration_seconds": 0, "file_id": 0}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(reply["reply_to_message_id"], body["id"]);
    assert_eq!(reply["type"], "image");
    assert_eq!(reply["seq"], 2);
    assert!(reply.get("duration_seconds").is_none());
    assert!(reply.get("sticker_id").is_none());

    let created = h.expect_events("message.created", 2).await?;
    let first = pb::MessageCreated::decode(created[0].payload.as_slice())?;
    let msg = first.message.unwrap_or_default();
    assert_eq!((msg.chat_id, msg.seq, msg.content.as_str()), (10, 1, "hi"));
    assert_eq!(created[0].producer, "message");
    let enriched: Value = serde_json::from_str(&first.enriched_json)?;
    assert_eq!(enriched["sender_username"], "alice");
    assert_eq!(enriched["seq"], 1);
    assert_eq!(enriched["id"], body["id"]);
    // Rendered before the insert, the event carries what the database assigned.
    assert_eq!(enriched["created_at"], body["created_at"]);
    assert_eq!(Some(msg.id), body["id"].as_i64());
    let created_at = chrono::DateTime::from_timestamp_micros(msg.created_at_micros)
        .map(chorus_kit::time::Timestamp);
    assert_eq!(serde_json::to_value(created_at)?, body["created_at"]);
    assert!(enriched.get("reply_to_content").is_none());
    let second = pb::MessageCreated::decode(created[1].payload.as_slice())?;
    let enriched: Value = serde_json::from_str(&second.enriched_json)?;
    assert_eq!(enriched["reply_to_content"], "hi");
    assert_eq!(enriched["reply_to_sender_username"], "alice");
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_sends_answer_the_contract_errors_in_order_and_write_nothing() -> anyhow::Result<()>
{
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner")]);
    h.chat(11, "channel", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(12, "group", &[(&h.alice, "owner")]);
    let other = h.send(12, &h.alice, "elsewhere").await?;
    let before = h.count("SELECT count(*) FROM messages").await?;
    let huge = "x".repeat(1024 * 1024);
    let cases: Vec<(&str, &crate::helpers::User, Value, StatusCode, &str)> = vec![
        (
            "/chats/10/messages",
            &h.alice,
            json!([1]),
            StatusCode::BAD_REQUEST,
            "Invalid JSON",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({}),
            StatusCode::BAD_REQUEST,
            "content, file_id or sticker_id required",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": ""}),
            StatusCode::BAD_REQUEST,
            "content, file_id or sticker_id required",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": huge}),
            StatusCode::BAD_REQUEST,
            "Message too long",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": "x".repeat(10_001)}),
            StatusCode::BAD_REQUEST,
            "Message too long",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": "a", "client_msg_id": "c".repeat(65)}),
            StatusCode::BAD_REQUEST,
            "client_msg_id too long (max 64)",
        ),
        (
            "/chats/10/messages",
            &h.bob,
            json!({"content": "a"}),
            StatusCode::FORBIDDEN,
            "Not a member of this chat",
        ),
        (
            "/chats/999/messages",
            &h.alice,
            json!({"content": "a"}),
            StatusCode::FORBIDDEN,
            "Not a member of this chat",
        ),
        (
            "/chats/abc/messages",
            &h.alice,
            json!({"content": "a"}),
            StatusCode::FORBIDDEN,
            "Not a member of this chat",
        ),
        (
            "/chats/-1/messages",
            &h.alice,
            json!({"content": "a"}),
            StatusCode::FORBIDDEN,
            "Not a member of this chat",
        ),
        (
            "/chats/11/messages",
            &h.bob,
            json!({"content": "a"}),
            StatusCode::FORBIDDEN,
            "Only admins can post in channels",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"sticker_id": 5, "file_id": 3}),
            StatusCode::NOT_FOUND,
            "Sticker not found",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"file_id": 3}),
            StatusCode::NOT_FOUND,
            "File not found",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"file_id": 1e300}),
            StatusCode::NOT_FOUND,
            "File not found",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": "a", "reply_to_message_id": other}),
            StatusCode::BAD_REQUEST,
            "Invalid reply_to_message_id",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": "a", "reply_to_message_id": 99_999_999}),
            StatusCode::BAD_REQUEST,
            "Invalid reply_to_message_id",
        ),
        (
            "/chats/10/messages",
            &h.alice,
            json!({"content": "nul\u{0}byte"}),
            StatusCode::BAD_REQUEST,
            "Invalid content",
        ),
    ];
    for (path, user, body, status, error) in cases {
        let got = h.post(path, user, body.clone()).await?;
        assert_eq!(
            got,
            (status, json!({ "error": error })),
            "{path} {body:.60}"
        );
    }
    let res = h
        .http
        .post(format!("{}/chats/10/messages", h.base))
        .bearer_auth(&h.alice.token)
        .body("{\"content\": \"no content type\"}")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = h
        .http
        .post(format!("{}/chats/10/messages", h.base))
        .json(&json!({"content": "a"}))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(h.count("SELECT count(*) FROM messages").await?, before);
    assert_eq!(
        h.count("SELECT COALESCE(max(last_seq), 0) FROM chat_seq WHERE chat_id = 10")
            .await?,
        0
    );
    h.expect_events("message.created", 1).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_admins_post_and_wrong_json_types_are_coerced() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(11, "channel", &[(&h.alice, "owner"), (&h.bob, "admin")]);
    let (status, body) = h
        .post(
            "/chats/11/messages",
            &h.bob,
            json!({"content": 42, "reply_to_message_id": "x", "type": null}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (body["content"].clone(), body["message_type"].clone()),
        (json!("42"), json!("text"))
    );
    assert!(body.get("reply_to_message_id").is_none());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_client_msg_id_returns_the_original_with_200_and_no_second_event()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    let send = |user: &crate::helpers::User, cmid: &str, content: &str| {
        let body = json!({"content": content, "client_msg_id": cmid});
        let user = user.clone();
        let h = &h;
        async move { h.post("/chats/10/messages", &user, body).await }
    };
    let (s1, first) = send(&h.alice, "abc", "one").await?;
    let (s2, again) = send(&h.alice, "abc", "changed").await?;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(first, again);
    assert_eq!(first["client_msg_id"], "abc");
    // The id is scoped to its sender.
    let (s3, bobs) = send(&h.bob, "abc", "bob").await?;
    assert_eq!(s3, StatusCode::CREATED);
    assert_ne!(bobs["id"], first["id"]);

    let results =
        futures_util::future::join_all((0..10).map(|_| send(&h.alice, "race", "concurrent"))).await;
    let mut created = 0;
    let mut ids = Vec::new();
    for r in results {
        let (status, body) = r?;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{status} {body}"
        );
        created += usize::from(status == StatusCode::CREATED);
        ids.push(body["id"].clone());
    }
    assert_eq!(created, 1);
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(
        h.count("SELECT count(*) FROM messages WHERE client_msg_id = 'race'")
            .await?,
        1
    );
    // seq stayed gapless through the rolled-back duplicates.
    assert_eq!(
        h.count("SELECT max(seq) - count(*) FROM messages WHERE chat_id = 10")
            .await?,
        0
    );
    h.expect_events("message.created", 3).await?;
    h.stop().await
}

/// A retry is recognised even when a check of its references would now fail:
/// the original is the answer, not the check's error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_whose_reply_target_is_gone_still_gets_its_original() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner")]);
    let (s1, first) = h
        .post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": "one", "client_msg_id": "k1"}),
        )
        .await?;
    let retry = json!({"content": "one", "client_msg_id": "k1", "reply_to_message_id": 999_999});
    let (s2, again) = h.post("/chats/10/messages", &h.alice, retry).await?;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(first, again);
    // Without a stored original the check's error stands.
    let fresh = json!({"content": "two", "client_msg_id": "k2", "reply_to_message_id": 999_999});
    let (s3, err) = h.post("/chats/10/messages", &h.alice, fresh).await?;
    assert_eq!(s3, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(
        h.count("SELECT count(*) FROM messages WHERE chat_id = 10")
            .await?,
        1
    );
    h.stop().await
}

/// A send stores its message and its event in one statement: when the event
/// cannot be written, the message must not be stored either, and the
/// connection must serve the next send.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_whose_event_cannot_be_written_stores_nothing() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner")]);
    h.send(10, &h.alice, "one").await?;
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS \
           $$BEGIN RAISE EXCEPTION 'outbox refused'; END$$; \
         CREATE TRIGGER refuse BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox();",
    )
    .execute(&h.db)
    .await?;
    for i in 0..3 {
        let body = json!({"content": format!("lost {i}"), "client_msg_id": format!("k{i}")});
        let (status, err) = h.post("/chats/10/messages", &h.alice, body).await?;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{err}");
        assert_eq!(err, json!({"error": "Internal error"}));
    }
    assert_eq!(h.count("SELECT count(*) FROM messages").await?, 1);
    assert_eq!(h.count("SELECT max(last_seq) FROM chat_seq").await?, 1);
    assert_eq!(
        h.count("SELECT max(last_read_seq) FROM chat_last_read")
            .await?,
        1
    );
    sqlx::raw_sql("DROP TRIGGER refuse ON outbox")
        .execute(&h.db)
        .await?;
    // The same client_msg_id again: nothing of the failed attempt remains.
    let retry = json!({"content": "lost 0", "client_msg_id": "k0"});
    let (status, body) = h.post("/chats/10/messages", &h.alice, retry).await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["seq"], 2);
    h.expect_events("message.created", 2).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_senders_get_a_gapless_seq_in_id_order() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(
        10,
        "group",
        &[
            (&h.alice, "owner"),
            (&h.bob, "member"),
            (&h.carol, "member"),
        ],
    );
    let users = [&h.alice, &h.bob, &h.carol];
    let sends = (0..20).map(|i| {
        let user = users[i % 3];
        h.post(
            "/chats/10/messages",
            user,
            json!({"content": format!("m{i}")}),
        )
    });
    for r in futures_util::future::join_all(sends).await {
        assert_eq!(r?.0, StatusCode::CREATED);
    }
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, seq FROM messages WHERE chat_id = 10 ORDER BY created_at, id")
            .fetch_all(&h.db)
            .await?;
    let seqs: Vec<i64> = rows.iter().map(|r| r.1).collect();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    assert!(rows.windows(2).all(|w| w[0].0 < w[1].0));
    h.expect_events("message.created", 20).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_that_answered_201_survive_killed_connections_and_retries_dedupe()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner")]);
    let db_name = h.env.id.clone();
    // Terminates the service's backends that are inside a statement or a
    // transaction (never the relay's idle LISTEN session, nor idle pooled ones,
    // which the pool replaces unnoticed), over and over while sends run.
    let sending = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let killer = {
        let url = h.env.database_url.clone();
        let sending = sending.clone();
        tokio::spawn(async move {
            let Ok(pool) = sqlx::PgPool::connect(&url).await else {
                return 0;
            };
            let mut killed = 0;
            while sending.load(std::sync::atomic::Ordering::Relaxed) {
                killed += sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name = 'chorus-message' \
                     AND state IN ('active', 'idle in transaction') AND query NOT ILIKE 'LISTEN%'",
                )
                .bind(&db_name)
                .fetch_all(&pool)
                .await
                .map_or(0, |rows| rows.len());
                tokio::time::sleep(std::time::Duration::from_millis(3)).await;
            }
            killed
        })
    };
    let send = |i: usize| {
        h.post(
            "/chats/10/messages",
            &h.alice,
            json!({"content": format!("m{i}"), "client_msg_id": format!("k{i}")}),
        )
    };
    // Rounds of 10 concurrent sends until one was really interrupted (at least 4).
    let mut acked = Vec::new();
    let mut interrupted = 0;
    let mut total = 0;
    for round in 0..30 {
        let results = futures_util::future::join_all((round * 10..round * 10 + 10).map(send)).await;
        total += 10;
        for (i, r) in (round * 10..).zip(results) {
            match r {
                Ok((StatusCode::CREATED, body)) => acked.push((i, body["id"].clone())),
                _ => interrupted += 1,
            }
        }
        if round >= 3 && interrupted > 0 {
            break;
        }
    }
    sending.store(false, std::sync::atomic::Ordering::Relaxed);
    assert!(killer.await? > 0, "no busy connection was killed");
    assert!(interrupted > 0, "no send was interrupted");
    for (i, id) in &acked {
        let stored: Option<i64> =
            sqlx::query_scalar("SELECT id FROM messages WHERE client_msg_id = $1")
                .bind(format!("k{i}"))
                .fetch_optional(&h.db)
                .await?;
        assert_eq!(
            stored.map(Value::from),
            Some(id.clone()),
            "acked send k{i} lost"
        );
    }
    // Retry every send until it answers 201 or 200.
    for i in 0..total {
        let mut done = false;
        for _ in 0..20 {
            let (status, _) = send(i).await?;
            if status == StatusCode::CREATED || status == StatusCode::OK {
                done = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(done, "k{i} never succeeded");
    }
    let total = total as i64;
    assert_eq!(h.count("SELECT count(*) FROM messages").await?, total);
    assert_eq!(
        h.count("SELECT count(DISTINCT client_msg_id) FROM messages")
            .await?,
        total
    );
    assert_eq!(h.count("SELECT max(seq) FROM messages").await?, total);
    h.stop().await
}
