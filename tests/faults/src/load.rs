//! The members and their traffic: users in groups, one WebSocket each (spread
//! over the edge nodes) that reconnects and resubscribes with `after_seq` the
//! way a client must, and a sender that posts at a steady rate and retries a
//! failed send with the same `client_msg_id` until it is answered.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

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

/// Registers `members` users and puts them in `groups` groups of `per_group`.
pub async fn setup(
    http: &reqwest::Client,
    base: &str,
    run: &str,
    members: usize,
    groups: usize,
    per_group: usize,
) -> anyhow::Result<(Vec<Member>, Vec<Group>)> {
    let mut people = Vec::new();
    for n in 0..members {
        let name = format!("f{run}u{n}");
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
        let id = res["user_id"].as_i64().unwrap_or_default();
        people.push(Member {
            id,
            token,
            chats: Vec::new(),
        });
    }
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

/// Keeps a member's socket open until `stop`: on any loss it reconnects (to
/// the same edge, or the other when it is down) and resubscribes with the last
/// seq it saw of each chat.
pub async fn listen(
    urls: Vec<String>,
    token: String,
    chats: Vec<i64>,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Stop,
) {
    let mut last: HashMap<i64, i64> = chats.iter().map(|&c| (c, 0)).collect();
    let mut attempt = 0usize;
    while !stop.is_set() {
        let url = &urls[attempt % urls.len()];
        attempt += 1;
        let Ok(Ok((mut ws, _))) = tokio::time::timeout(
            Duration::from_secs(3),
            tokio_tungstenite::connect_async(url.as_str()),
        )
        .await
        else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let mut frames = vec![json!({"type": "auth", "token": token})];
        frames.extend(
            chats
                .iter()
                .map(|c| json!({"type": "subscribe", "chat_id": c, "after_seq": last[c]})),
        );
        let mut ok = true;
        for f in frames {
            ok &= ws.send(Message::text(f.to_string())).await.is_ok();
        }
        while ok && !stop.is_set() {
            let next = tokio::time::timeout(Duration::from_millis(250), ws.next()).await;
            let text = match next {
                Err(_) => continue,
                Ok(Some(Ok(Message::Text(text)))) => text,
                Ok(Some(Ok(
                    Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_),
                ))) => continue,
                Ok(_) => break,
            };
            let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else {
                continue;
            };
            match frame["type"].as_str() {
                Some("message") => {
                    let (chat, seq, id) = (
                        frame["chat_id"].as_i64().unwrap_or_default(),
                        frame["seq"].as_i64().unwrap_or_default(),
                        frame["id"].as_i64().unwrap_or_default(),
                    );
                    if let Some(l) = last.get_mut(&chat) {
                        *l = (*l).max(seq);
                    }
                    if let Ok(mut r) = received.lock() {
                        r.push((chat, seq, id, Instant::now()));
                    }
                }
                Some("catch_up_truncated") => {
                    // This client does not fetch over HTTP: it would show as lost.
                }
                _ => {}
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
