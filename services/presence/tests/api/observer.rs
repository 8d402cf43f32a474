//! An observer subscribed to every fan-out channel of a test's prefix: what
//! the presence service published, decoded as the edge nodes decode it.

use crate::helpers::PATIENCE;
use chorus_events::fanout::{self, Control, Payload};
use chorus_testkit::TestEnv;
use fred::prelude::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, mpsc};

/// One message seen on a fan-out channel.
#[derive(Debug, Clone)]
pub struct Received {
    /// Without the test's prefix: `user:2`, `edge:all`.
    pub channel: String,
    /// A frame as JSON; a presence control as `{"op":"presence","chat_ids",…}`
    /// with `full`/`approx` parsed.
    pub json: Value,
    /// The version of a presence transition (0 for anything else).
    pub version: u64,
    pub at: Instant,
}

pub struct Observer {
    client: Client,
    rx: Mutex<mpsc::UnboundedReceiver<Received>>,
}

fn parse(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// The payload as JSON, and the version of a presence transition.
fn to_json(payload: &str) -> (Value, u64) {
    match fanout::decode(payload.as_bytes()) {
        Some(Payload::Frame(frame)) => (parse(frame), 0),
        Some(Payload::Presence { version, frame, .. }) => (parse(frame), version),
        Some(Payload::Control(Control::Presence {
            version,
            chat_ids,
            full,
            approx,
            ..
        })) => (
            json!({
                "op": "presence",
                "chat_ids": chat_ids,
                "full": parse(&full),
                "approx": approx.as_deref().map(parse),
            }),
            version,
        ),
        _ => (Value::String(payload.to_string()), 0),
    }
}

impl Observer {
    pub async fn start(env: &TestEnv) -> anyhow::Result<Self> {
        let client = Client::new(Config::from_url(&env.redis_url)?, None, None, None);
        client.init().await?;
        let (tx, rx) = mpsc::unbounded_channel();
        let mut messages = client.message_rx();
        let prefix = env.redis_prefix.clone();
        tokio::spawn(async move {
            while let Ok(message) = messages.recv().await {
                let channel = message.channel.to_string();
                let payload = message.value.as_string().unwrap_or_default();
                let (json, version) = to_json(&payload);
                let received = Received {
                    channel: channel
                        .strip_prefix(&prefix)
                        .unwrap_or(&channel)
                        .to_string(),
                    json,
                    version,
                    at: Instant::now(),
                };
                if tx.send(received).is_err() {
                    return;
                }
            }
        });
        client.psubscribe(format!("{}*", env.redis_prefix)).await?;
        Ok(Self {
            client,
            rx: Mutex::new(rx),
        })
    }

    /// The next message; fails after [`PATIENCE`].
    pub async fn next(&self) -> anyhow::Result<Received> {
        let mut rx = self.rx.lock().await;
        match tokio::time::timeout(PATIENCE, rx.recv()).await {
            Ok(Some(received)) => Ok(received),
            Ok(None) => anyhow::bail!("observer stopped"),
            Err(_) => anyhow::bail!("no broadcast within {PATIENCE:?}"),
        }
    }

    /// The next `n` messages, ordered by channel.
    pub async fn take(&self, n: usize) -> anyhow::Result<Vec<Received>> {
        let mut all = Vec::with_capacity(n);
        for _ in 0..n {
            all.push(self.next().await?);
        }
        all.sort_by(|a, b| a.channel.cmp(&b.channel));
        Ok(all)
    }

    /// Unsubscribes and disconnects.
    pub async fn quit(&self) {
        let _ = self.client.quit().await;
    }

    /// Fails if anything is published within `window`.
    pub async fn quiet(&self, window: Duration) -> anyhow::Result<()> {
        let mut rx = self.rx.lock().await;
        match tokio::time::timeout(window, rx.recv()).await {
            Ok(Some(received)) => anyhow::bail!("unexpected broadcast: {received:?}"),
            _ => Ok(()),
        }
    }
}
