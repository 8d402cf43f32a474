//! Benchmarks of the chat and message services (issue figures):
//!
//! * `send`: durable sends/s and latency from N concurrent senders (each its own
//!   chat, or all in one chat to show the per-chat seq lock);
//! * `bigchat`: one chat holding N messages (seeded straight into the message
//!   service's table — going through HTTP would take longer than the benchmark),
//!   then history-page and search latency over it;
//! * `chats`: `GET /chats` for a user in N chats, each with a recent message.

use crate::procs::{Roots, Snapshot, per_request};
use crate::{drive, report};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
    pub token: String,
}

impl Api {
    pub async fn login(url: &str, username: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{url}/auth/login"))
            .json(&json!({"username": username, "password": "testpass"}))
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "login answered {}", res.status());
        let body: Value = res.json().await?;
        Ok(Self {
            http,
            url: url.to_owned(),
            token: body["access_token"].as_str().unwrap_or_default().to_owned(),
        })
    }

    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(
            res.status().is_success(),
            "POST {path} answered {}",
            res.status()
        );
        Ok(res.json().await?)
    }

    pub async fn group(&self, title: &str, members: &[i64]) -> anyhow::Result<i64> {
        let body = self
            .post(
                "/chats",
                json!({"type": "group", "title": title, "member_ids": members}),
            )
            .await?;
        body["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no chat id"))
    }
}

async fn timed_get(http: reqwest::Client, url: String, token: String) -> anyhow::Result<()> {
    let res = http.get(&url).bearer_auth(token).send().await?;
    anyhow::ensure!(
        res.status().is_success(),
        "GET {url} answered {}",
        res.status()
    );
    res.bytes().await?;
    Ok(())
}

/// `send URL SECONDS CONCURRENCY many|one`
pub async fn send(url: &str, secs: u64, concurrency: usize, one_chat: bool) -> anyhow::Result<()> {
    let api = Api::login(url, "bob").await?;
    let mut chats = Vec::new();
    for i in 0..concurrency {
        if one_chat && i > 0 {
            chats.push(chats[0]);
        } else {
            chats.push(api.group(&format!("bench-send-{i}"), &[]).await?);
        }
    }
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let chats = std::sync::Arc::new(chats);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (http, base, token) = (api.http.clone(), api.url.clone(), api.token.clone());
    let roots = Roots::from_env()?;
    let cpu = Snapshot::take(&roots)?;
    let (hist, elapsed) = drive(usize::MAX, concurrency, Some(deadline), move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let chat = chats[i % chats.len()];
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        async move {
            let res = http
                .post(format!("{base}/chats/{chat}/messages"))
                .bearer_auth(&token)
                // With a retry key, as the web app sends every message.
                .json(&json!({
                    "content": "x".repeat(100),
                    "client_msg_id": format!("{}-{i}", std::process::id()),
                }))
                .send()
                .await?;
            anyhow::ensure!(
                res.status().as_u16() == 201,
                "send answered {}",
                res.status()
            );
            res.bytes().await?;
            Ok(())
        }
    })
    .await?;
    let shape = if one_chat {
        "one chat"
    } else {
        "one chat each"
    };
    report(
        &format!("send ({concurrency} concurrent senders, {shape})"),
        &hist,
        elapsed,
    );
    // The relay, the broker and the edge finish the last events just after.
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("  {}", per_request(&cpu, &roots, hist.len() as usize)?);
    Ok(())
}

/// Words in three scripts, so search is measured over Latin, Cyrillic and CJK text.
const WORDS: &[&str] = &[
    "hello",
    "world",
    "release",
    "meeting",
    "coffee",
    "deploy",
    "привет",
    "встреча",
    "кофе",
    "東京",
    "会議",
    "コーヒー",
    "rust",
    "postgres",
    "weekend",
    "ticket",
];

/// `bigchat URL DATABASE_URL MESSAGES SECONDS CONCURRENCY`
pub async fn bigchat(
    url: &str,
    database_url: &str,
    messages: i64,
    secs: u64,
    concurrency: usize,
) -> anyhow::Result<()> {
    let api = Api::login(url, "bob").await?;
    let me: Value = api
        .http
        .get(format!("{url}/me"))
        .bearer_auth(&api.token)
        .send()
        .await?
        .json()
        .await?;
    let sender = me["id"].as_i64().unwrap_or(3);
    let chat = api.group("bench-big", &[]).await?;
    let db = sqlx::PgPool::connect(database_url).await?;
    let t = Instant::now();
    // created_at spaced 1 ms apart, oldest first; content from the mixed-script words.
    sqlx::query(
        "INSERT INTO message.messages (chat_id, seq, sender_id, content, created_at)
         SELECT $1, g, $2,
                'msg ' || g || ' ' || ($4::text[])[1 + g % 16] || ' ' || ($4::text[])[1 + (g / 16) % 16] || ' ' || md5(g::text),
                now() - ($3 - g) * interval '1 millisecond'
         FROM generate_series(1, $3) AS g",
    )
    .bind(chat)
    .bind(sender)
    .bind(messages)
    .bind(WORDS.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    .execute(&db)
    .await?;
    sqlx::query("INSERT INTO message.chat_seq (chat_id, last_seq) VALUES ($1, $2)")
        .bind(chat)
        .bind(messages)
        .execute(&db)
        .await?;
    // As a real send would: the sender has read up to their own last message.
    sqlx::query(
        "INSERT INTO message.chat_last_read (user_id, chat_id, last_read_msg_id, last_read_seq)
         SELECT $2, $1, max(id), max(seq) FROM message.messages WHERE chat_id = $1",
    )
    .bind(chat)
    .bind(sender)
    .execute(&db)
    .await?;
    sqlx::query("ANALYZE message.messages").execute(&db).await?;
    println!(
        "seeded chat {chat} with {messages} messages in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let middle: i64 =
        sqlx::query_scalar("SELECT id FROM message.messages WHERE chat_id = $1 AND seq = $2")
            .bind(chat)
            .bind(messages / 2)
            .fetch_one(&db)
            .await?;

    let pages = [
        (
            "history: newest page (limit 50)".to_owned(),
            format!("/chats/{chat}/messages?limit=50"),
        ),
        (
            "history: page before a middle id (limit 50)".to_owned(),
            format!("/chats/{chat}/messages?limit=50&before={middle}"),
        ),
        (
            "history: after_seq from the middle (limit 50)".to_owned(),
            format!("/chats/{chat}/messages?limit=50&after_seq={}", messages / 2),
        ),
        (
            "search: 'coffee' (limit 20)".to_owned(),
            format!("/chats/{chat}/messages/search?q=coffee"),
        ),
        (
            "search: 'встреча' (limit 20)".to_owned(),
            format!("/chats/{chat}/messages/search?q=%D0%B2%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0"),
        ),
        (
            "search: '会議' (limit 20)".to_owned(),
            format!("/chats/{chat}/messages/search?q=%E4%BC%9A%E8%AD%B0"),
        ),
        (
            "search: rare 'msg 77777 ' (limit 20)".to_owned(),
            format!("/chats/{chat}/messages/search?q=msg%2077777%20"),
        ),
    ];
    let roots = Roots::from_env()?;
    for (name, path) in pages {
        let (http, token, full) = (api.http.clone(), api.token.clone(), format!("{url}{path}"));
        let deadline = Instant::now() + Duration::from_secs(secs);
        let cpu = Snapshot::take(&roots)?;
        let (hist, elapsed) = drive(usize::MAX, concurrency, Some(deadline), move || {
            timed_get(http.clone(), full.clone(), token.clone())
        })
        .await?;
        report(
            &format!("{name}, {messages} messages, {concurrency} concurrent"),
            &hist,
            elapsed,
        );
        println!("  {}", per_request(&cpu, &roots, hist.len() as usize)?);
    }
    Ok(())
}

/// `chats URL CHATS SECONDS CONCURRENCY` — bob in CHATS groups, each with a message from alice.
pub async fn chats(url: &str, n: usize, secs: u64, concurrency: usize) -> anyhow::Result<()> {
    let bob = Api::login(url, "bob").await?;
    let alice = Api::login(url, "alice").await?;
    let me: Value = bob
        .http
        .get(format!("{url}/me"))
        .bearer_auth(&bob.token)
        .send()
        .await?
        .json()
        .await?;
    let bob_id = me["id"].as_i64().unwrap_or_default();
    let t = Instant::now();
    for i in 0..n {
        let chat = alice.group(&format!("bench-list-{i}"), &[bob_id]).await?;
        alice
            .post(
                &format!("/chats/{chat}/messages"),
                json!({"content": format!("hello {i}")}),
            )
            .await?;
    }
    println!(
        "created {n} chats with a message each in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let (http, token, full) = (bob.http.clone(), bob.token.clone(), format!("{url}/chats"));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (hist, elapsed) = drive(usize::MAX, concurrency, Some(deadline), move || {
        timed_get(http.clone(), full.clone(), token.clone())
    })
    .await?;
    report(
        &format!("GET /chats (user in ≥{n} chats, {concurrency} concurrent)"),
        &hist,
        elapsed,
    );
    Ok(())
}
