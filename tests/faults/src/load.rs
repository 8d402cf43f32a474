//! The members and their traffic: users in groups, and a sender that posts at
//! a steady rate and retries a failed send with the same `client_msg_id` until
//! it is answered. Their WebSocket clients are in `client.rs`.

use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct Member {
    pub id: i64,
    pub token: String,
    pub chats: Vec<i64>,
}

/// One frame a member's socket received: (chat, seq, message id, when).
pub type Received = (i64, i64, i64, Instant);

pub struct Group {
    pub id: i64,
    pub members: Vec<usize>,
}

/// Registers a user and logs it in.
async fn register(http: &reqwest::Client, base: &str, name: String) -> anyhow::Result<Member> {
    http.post(format!("{base}/auth/register"))
        .json(&json!({"username": name, "email": format!("{name}@faults.test"), "password": "faults-pass"}))
        .send()
        .await?
        .error_for_status()?;
    let res: Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": name, "password": "faults-pass"}))
        .send()
        .await?
        .json()
        .await?;
    let token = res["access_token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("login: {res}"))?
        .to_string();
    Ok(Member {
        id: res["user_id"].as_i64().unwrap_or_default(),
        token,
        chats: Vec::new(),
    })
}

/// Registers `members` users and puts them in `groups` groups of `per_group`.
pub async fn setup(
    http: &reqwest::Client,
    base: &str,
    run: &str,
    members: usize,
    groups: usize,
    per_group: usize,
) -> anyhow::Result<(Vec<Member>, Vec<Group>)> {
    // A few at a time: each registration and login hashes a password.
    let mut people: Vec<Member> = futures_util::stream::iter(0..members)
        .map(|n| register(http, base, format!("f{run}u{n}")))
        .buffered(4)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let mut out = Vec::new();
    for g in 0..groups {
        let owner = (g * per_group) % members;
        let idx: Vec<usize> = (0..per_group).map(|k| (owner + k) % members).collect();
        let member_ids: Vec<i64> = idx[1..].iter().map(|&i| people[i].id).collect();
        let res: Value = http
            .post(format!("{base}/chats"))
            .bearer_auth(&people[owner].token)
            .json(
                &json!({"type": "group", "title": format!("faults {g}"), "member_ids": member_ids}),
            )
            .send()
            .await?
            .json()
            .await?;
        let id = res["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("create chat: {res}"))?;
        for &i in &idx {
            people[i].chats.push(id);
        }
        out.push(Group { id, members: idx });
    }
    Ok((people, out))
}

/// One acknowledged send: chat, message id, when the first attempt began, when it was answered.
pub type Acked = (i64, i64, Instant, Instant);

/// Posts one message, retrying with the same `client_msg_id` until 201/200
/// (or two minutes pass), backing off as a real client does (exponentially, with
/// jitter, at most 5 s apart): retries at a fixed pace from every waiting send
/// would be a storm that keeps an overloaded system down. `None` if it never
/// succeeded.
pub async fn send_once(
    http: reqwest::Client,
    base: String,
    token: String,
    chat: i64,
    key: String,
) -> Option<Acked> {
    let started = Instant::now();
    let body = json!({"content": format!("fault-suite {key}"), "client_msg_id": key});
    let mut pause = Duration::from_millis(200);
    while started.elapsed() < Duration::from_secs(120) {
        let res = http
            .post(format!("{base}/chats/{chat}/messages"))
            .bearer_auth(&token)
            .timeout(Duration::from_secs(10))
            .json(&body)
            .send()
            .await;
        if let Ok(res) = res
            && (res.status().as_u16() == 201 || res.status().as_u16() == 200)
            && let Ok(m) = res.json::<Value>().await
        {
            return Some((
                chat,
                m["id"].as_i64().unwrap_or_default(),
                started,
                Instant::now(),
            ));
        }
        let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0]) * pause.as_millis() as u64 / 512;
        tokio::time::sleep(pause + Duration::from_millis(jitter)).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
    None
}

/// A stop flag shared by the member tasks.
#[derive(Clone, Default)]
pub struct Stop(Arc<std::sync::atomic::AtomicBool>);

impl Stop {
    pub fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}
