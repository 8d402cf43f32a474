//! A member's WebSocket client as a real one behaves: it authenticates,
//! subscribes to its chats with the last `seq` it saw of each (`after_seq`),
//! pings every 25 s (§16.4) and, on any loss or `error` frame, reconnects with
//! backoff, alternating between the edges. A steady client stays until the
//! end; a churning one leaves after a random while and comes back.
//!
//! It keeps every message frame as received, duplicates included: judging
//! them is the verifier's job.

use crate::load::{Received, Stop};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

const PING_EVERY: Duration = Duration::from_secs(25);
const BACKOFF_MIN: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// A steady connection that lasted this long without an error frame resets the backoff.
const HEALTHY_AFTER: Duration = Duration::from_secs(10);

pub struct Client {
    /// The edges in the order this client tries them.
    pub urls: Vec<String>,
    pub token: String,
    pub chats: Vec<i64>,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub stop: Stop,
}

/// What a client went through.
#[derive(Clone, Copy, Default)]
pub struct Tally {
    /// Connections that were opened and authenticated (auth frame sent).
    pub connects: usize,
    /// `error` frames (a failed subscribe or catch-up): the client reconnects.
    pub errors: usize,
    /// `catch_up_truncated` markers: this client does not fetch the rest over
    /// HTTP, so what the replay left out shows as lost.
    pub truncated: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Self) {
        self.connects += other.connects;
        self.errors += other.errors;
        self.truncated += other.truncated;
    }
}

/// How long a churning client stays connected, and pauses between visits.
#[derive(Clone, Copy, Debug)]
pub struct Churn {
    pub stay_min: Duration,
    pub stay_max: Duration,
    pub away_max: Duration,
}

/// A uniform pick in `[low, high]`, from the system's randomness.
pub fn random_between(low: Duration, high: Duration) -> Duration {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let r = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let span = high.saturating_sub(low);
    low + span.mul_f64(f64::from(r) / f64::from(u32::MAX))
}

impl Client {
    /// Connected until `stop`, reconnecting after every loss.
    pub async fn steady(self) -> Tally {
        self.run(None).await
    }

    /// Until `stop`: connected for a random while, gone for a random while,
    /// back with `after_seq`. The first connection comes at a random moment
    /// within the longest stay, so arrivals start at the rate churning keeps.
    pub async fn churn(self, churn: Churn) -> Tally {
        tokio::time::sleep(random_between(Duration::ZERO, churn.stay_max)).await;
        self.run(Some(churn)).await
    }

    async fn run(self, churn: Option<Churn>) -> Tally {
        let mut last: HashMap<i64, i64> = self.chats.iter().map(|&c| (c, 0)).collect();
        let mut tally = Tally::default();
        let mut attempt = 0usize;
        let mut backoff = BACKOFF_MIN;
        while !self.stop.is_set() {
            let url = &self.urls[attempt % self.urls.len()];
            let leave_at = churn.map(|c| Instant::now() + random_between(c.stay_min, c.stay_max));
            let began = Instant::now();
            let errors = tally.errors;
            let end = self.session(url, &mut last, leave_at, &mut tally).await;
            // A connection that lived its stay, or a while, without an error
            // went well: the next trouble starts the backoff from the bottom.
            let went_well = matches!(end, End::Left) || began.elapsed() >= HEALTHY_AFTER;
            if went_well && tally.errors == errors {
                backoff = BACKOFF_MIN;
            }
            match end {
                // Left on purpose: come back later, to the other edge.
                End::Left => {
                    if let Some(c) = churn {
                        tokio::time::sleep(random_between(Duration::ZERO, c.away_max)).await;
                    }
                }
                // Failed or refused: back off (1 s doubling to 30 s, with
                // jitter, as the web app does), so that thousands of clients
                // do not keep an overloaded system down; try the other edge.
                End::Lost => {
                    tokio::time::sleep(random_between(backoff, backoff.mul_f64(1.5))).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
                End::Stopped => {}
            }
            attempt += 1;
        }
        tally
    }

    /// One connection, from the upgrade to its end.
    async fn session(
        &self,
        url: &str,
        last: &mut HashMap<i64, i64>,
        leave_at: Option<Instant>,
        tally: &mut Tally,
    ) -> End {
        let Ok(Ok((mut ws, _))) = tokio::time::timeout(
            Duration::from_secs(3),
            tokio_tungstenite::connect_async(url),
        )
        .await
        else {
            return End::Lost;
        };
        let mut frames = vec![json!({"type": "auth", "token": self.token})];
        frames.extend(self.chats.iter().map(
            |c| json!({"type": "subscribe", "chat_id": c, "after_seq": last.get(c).copied().unwrap_or(0)}),
        ));
        for f in frames {
            if ws.send(Message::text(f.to_string())).await.is_err() {
                return End::Lost;
            }
        }
        tally.connects += 1;
        let mut next_ping = Instant::now() + PING_EVERY;
        loop {
            if self.stop.is_set() {
                return End::Stopped;
            }
            if leave_at.is_some_and(|at| Instant::now() >= at) {
                // Half leave with a close frame, half just drop the connection
                // (a closed laptop, a lost network).
                if random_between(Duration::ZERO, Duration::from_secs(1))
                    < Duration::from_millis(500)
                {
                    let _ = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
                }
                return End::Left;
            }
            if Instant::now() >= next_ping {
                next_ping = Instant::now() + PING_EVERY;
                let ping = json!({"type": "ping"}).to_string();
                if ws.send(Message::text(ping)).await.is_err() {
                    return End::Lost;
                }
            }
            let next = tokio::time::timeout(Duration::from_millis(250), ws.next()).await;
            let text = match next {
                Err(_) => continue,
                Ok(Some(Ok(Message::Text(text)))) => text,
                Ok(Some(Ok(
                    Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_),
                ))) => continue,
                Ok(_) => return End::Lost,
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
                    if let Ok(mut r) = self.received.lock() {
                        r.push((chat, seq, id, Instant::now()));
                    }
                }
                Some("catch_up_truncated") => tally.truncated += 1,
                // A subscribe or its catch-up failed: which chat is not said,
                // so start over (a real client also reloads over HTTP).
                Some("error") => {
                    tally.errors += 1;
                    return End::Lost;
                }
                _ => {}
            }
        }
    }
}

enum End {
    /// The run is over.
    Stopped,
    /// A churning client's stay ended.
    Left,
    /// The connection failed or broke.
    Lost,
}
