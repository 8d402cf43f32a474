//! Membership events from the chat service: cache invalidation and chat
//! deletion; and the search index actually used for search.

use crate::helpers::{Harness, eventually};
use chorus_events::Relay;
use chorus_proto::chat::v1 as chat_pb;
use reqwest::StatusCode;
use serde_json::json;

/// Emits a chat-service event through a throwaway outbox in its own schema.
async fn emit_chat_event<M: prost::Message>(
    h: &Harness,
    event_type: &str,
    ev: &M,
) -> anyhow::Result<()> {
    sqlx::raw_sql("CREATE SCHEMA IF NOT EXISTS fakechat")
        .execute(&h.db)
        .await?;
    let pool = chorus_kit::db::connect_lazy(
        &chorus_kit::db::DbConfig {
            url: h.env.database_url.clone().into(),
            ..Default::default()
        },
        "fakechat",
    )?;
    sqlx::raw_sql(chorus_events::TABLES_SQL)
        .execute(&pool)
        .await?;
    let mut tx = pool.begin().await?;
    chorus_events::enqueue(&mut tx, "chat", event_type, ev).await?;
    tx.commit().await?;
    let amqp = chorus_events::AmqpConfig {
        url: h.env.amqp_url.clone(),
        exchange: h.env.exchange.clone(),
        // The message service's own queue exists already (its consumer runs).
        declare_topology: false,
        ..Default::default()
    };
    let stop = tokio_util::sync::CancellationToken::new();
    let (task, _) = Relay::new(pool.clone(), "fakechat", amqp).spawn(stop.clone());
    let drained = eventually("the fake chat outbox drains", || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM outbox")
            .fetch_one(&pool)
            .await
            .is_ok_and(|n| n == 0)
    })
    .await;
    stop.cancel();
    let _ = task.await;
    pool.close().await;
    drained
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_chat_loses_its_messages_and_a_departure_clears_the_cached_membership()
-> anyhow::Result<()> {
    let h = Harness::start_with(|cfg| cfg.membership_cache_ttl_ms = 60_000).await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(11, "group", &[(&h.alice, "owner")]);
    let m = h.send(10, &h.bob, "hello").await?;
    h.send(11, &h.alice, "kept").await?;
    h.post(
        &format!("/chats/10/messages/{m}/reactions"),
        &h.alice,
        json!({"emoji": "👍"}),
    )
    .await?;
    h.call(
        reqwest::Method::POST,
        &format!("/chats/10/messages/{m}/pin"),
        &h.alice,
        None,
    )
    .await?;

    // Bob's membership is cached: removing him from the map alone changes nothing…
    h.remove_member(10, &h.bob);
    assert_eq!(h.get("/chats/10/messages", &h.bob).await?.0, StatusCode::OK);
    // …until member.left arrives.
    emit_chat_event(
        &h,
        "member.left",
        &chat_pb::MemberLeft {
            chat_id: 10,
            user_id: h.bob.id,
        },
    )
    .await?;
    eventually("bob's cached membership is dropped", || async {
        h.get("/chats/10/messages", &h.bob)
            .await
            .is_ok_and(|r| r.0 == StatusCode::FORBIDDEN)
    })
    .await?;

    emit_chat_event(
        &h,
        "chat.deleted",
        &chat_pb::ChatDeleted {
            chat_id: 10,
            deleted_by: h.alice.id,
            former_member_ids: vec![h.alice.id],
        },
    )
    .await?;
    eventually("the chat's data is purged", || async {
        h.count("SELECT count(*) FROM messages WHERE chat_id = 10")
            .await
            .is_ok_and(|n| n == 0)
    })
    .await?;
    for sql in [
        "SELECT count(*) FROM message_reactions",
        "SELECT count(*) FROM pinned_messages",
        "SELECT count(*) FROM chat_seq WHERE chat_id = 10",
        "SELECT count(*) FROM chat_last_read WHERE chat_id = 10",
    ] {
        assert_eq!(h.count(sql).await?, 0, "{sql}");
    }
    assert_eq!(
        h.count("SELECT count(*) FROM messages WHERE chat_id = 11")
            .await?,
        1
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_uses_the_trigram_index_on_a_large_chat() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    sqlx::query(
        "INSERT INTO messages (chat_id, seq, sender_id, content) \
         SELECT 10, g, 2, 'message number ' || g || ' about ' || md5(g::text) \
         FROM generate_series(1, 100000) g",
    )
    .execute(&h.db)
    .await?;
    sqlx::raw_sql("ANALYZE messages").execute(&h.db).await?;
    // The statement search really runs, planned with a search's parameters.
    let mut conn = h.db.acquire().await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "PREPARE search_plan AS {}",
        chorus_message::db::messages::SEARCH_SQL
    )))
    .execute(&mut *conn)
    .await?;
    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN EXECUTE search_plan(10, 2, '%abcdef1%', 20, 9223372036854775807)",
    )
    .fetch_all(&mut *conn)
    .await?;
    sqlx::raw_sql("DEALLOCATE search_plan")
        .execute(&mut *conn)
        .await?;
    drop(conn);
    let plan = plan.join("\n");
    assert!(plan.contains("messages_content_trgm_idx"), "{plan}");
    h.stop().await
}
