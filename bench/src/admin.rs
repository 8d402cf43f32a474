//! `admin-stats`: the dashboard's `GET /admin-api/stats` over a large system.
//! Seeds USERS accounts into the auth schema and MESSAGES messages (spread over
//! 15 days and 1000 chats) into the message schema directly — the counters'
//! triggers fire as for real inserts — then times the endpoint as alice.

use crate::report;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Messages per INSERT statement (progress is printed after each).
const BATCH: i64 = 1_000_000;

pub async fn stats(
    url: &str,
    database_url: &str,
    users: i64,
    messages: i64,
    secs: u64,
    concurrency: usize,
    pid: Option<u32>,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{url}/auth/login"))
        .json(&json!({"username": "alice", "password": "testpass"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    use sqlx::Connection;
    let mut db = sqlx::PgConnection::connect(database_url).await?;
    let t = Instant::now();
    sqlx::query(
        "INSERT INTO auth.users (username, email, password_hash, display_name, created_at, last_activity)
         SELECT 'bench_' || g, 'bench_' || g || '@example.org', 'SYSTEM_ACCOUNT_NO_LOGIN', 'Bench ' || g,
                now() - (g % 30) * interval '1 day', now() - (g % 10) * interval '1 day'
         FROM generate_series(1, $1) AS g",
    )
    .bind(users)
    .execute(&mut db)
    .await?;
    println!("seeded {users} users in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut start = 1;
    while start <= messages {
        let end = (start + BATCH - 1).min(messages);
        // (chat, seq) stays unique: 1000 chats, seq = g / 1000 + 1.
        sqlx::query(
            "INSERT INTO message.messages (chat_id, seq, sender_id, content, created_at)
             SELECT 9000000 + g % 1000, g / 1000 + 1, 2, '', now() - (g % 15) * interval '1 day'
             FROM generate_series($1::bigint, $2::bigint) AS g",
        )
        .bind(start)
        .bind(end)
        .execute(&mut db)
        .await?;
        println!("  {end} messages ({:.0} s)", t.elapsed().as_secs_f64());
        start = end + 1;
    }
    sqlx::query("ANALYZE auth.users").execute(&mut db).await?;
    sqlx::query("ANALYZE message.messages")
        .execute(&mut db)
        .await?;
    println!(
        "seeded {messages} messages in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let stats: Value = http
        .get(format!("{url}/admin-api/stats"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "stats: total_users {}, dau {}, wau {}, total_messages {}, messages_today {}",
        stats["total_users"],
        stats["dau"],
        stats["wau"],
        stats["total_messages"],
        stats["messages_today"]
    );

    let cpu_before = pid.map(cpu_seconds).transpose()?;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let token = Arc::new(token);
    let mut tasks = Vec::new();
    let started = Instant::now();
    for _ in 0..concurrency {
        let (http, token, url) = (http.clone(), token.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3)?;
            while Instant::now() < deadline {
                let t = Instant::now();
                http.get(format!("{url}/admin-api/stats"))
                    .bearer_auth(token.as_str())
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                hist.record(t.elapsed().as_micros() as u64)?;
            }
            anyhow::Ok(hist)
        }));
    }
    let mut hist = Histogram::<u64>::new(3)?;
    for task in tasks {
        hist.add(task.await??)?;
    }
    let elapsed = started.elapsed();
    report(
        &format!("GET /admin-api/stats ({concurrency} concurrent)"),
        &hist,
        elapsed,
    );
    if let (Some(pid), Some(before)) = (pid, cpu_before) {
        let used = cpu_seconds(pid)? - before;
        println!(
            "chorus (pid {pid}) CPU: {used:.2} s over {:.1} s = {:.0} % of one core",
            elapsed.as_secs_f64(),
            100.0 * used / elapsed.as_secs_f64()
        );
    }
    Ok(())
}

fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let ticks = crate::ws::cpu_ticks(&pid.to_string())?;
    Ok(ticks as f64 / crate::ws::clock_ticks_per_sec())
}
