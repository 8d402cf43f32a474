//! Broadcasting a transition to its audience (CONTRACT §17.4) through the Redis
//! fan-out channels every edge node understands (`chorus_events::fanout`).
//!
//! Broadcasts run on a few workers, each owning a share of the users, so `Apply`
//! and the timers never wait for auth, chat or Redis pub/sub, while one user's
//! `online` and `offline` still leave in the order they were decided.

use crate::metrics::PresenceMetrics;
use crate::peers::{Peers, Visibility};
use chorus_events::fanout::{self, Control};
use chorus_kit::Shutdown;
use fred::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const SHARDS: usize = 8;
const QUEUE: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Online,
    Offline,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Offline => "offline",
        }
    }

    /// The approximate bucket shown instead of the status (§17.4).
    fn bucket(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Offline => "recently",
        }
    }
}

/// The `presence` frame (CONTRACT §16.3; documented as the edge's
/// `WsPresenceFull` / `WsPresenceApprox` schemas, which the edge forwards as is).
#[derive(Serialize)]
struct PresenceFrame<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    user_id: i64,
    username: &'a str,
    #[serde(flatten)]
    shown: Shown,
}

/// The exact status, or only an approximate bucket (§17.4).
#[derive(Serialize)]
#[serde(untagged)]
enum Shown {
    Status {
        status: &'static str,
    },
    Approx {
        privacy: &'static str,
        last_seen_bucket: &'static str,
    },
}

fn frame(user_id: i64, username: &str, shown: Shown) -> String {
    let frame = PresenceFrame {
        kind: "presence",
        user_id,
        username,
        shown,
    };
    // Strings and an integer only: serializing cannot fail.
    serde_json::to_string(&frame).unwrap_or_default()
}

/// What a broadcast needs: who the subject is, who the audience is, where to publish.
pub struct Audience {
    pub peers: Peers,
    pub redis: Client,
    pub prefix: String,
    pub metrics: PresenceMetrics,
}

impl Audience {
    /// Reads the subject's visibility now and publishes the frames for it.
    /// Failures are logged and counted: a lost broadcast is repaired by the
    /// client's next `GET /chats`, a crashed worker would lose all of them.
    async fn broadcast(&self, user_id: i64, status: Status) {
        let subject = match self.peers.subject(user_id).await {
            Ok(Some(subject)) => subject,
            Ok(None) => {
                tracing::debug!(user_id, "presence of an unknown user not broadcast");
                return;
            }
            Err(err) => {
                self.metrics.failed("users");
                tracing::warn!(user_id, error = %err, "Users.GetMany failed; presence not broadcast");
                return;
            }
        };
        let full = frame(
            user_id,
            &subject.username,
            Shown::Status {
                status: status.label(),
            },
        );
        let published = match subject.visibility {
            Visibility::Everyone => self.to_contacts(user_id, &full).await,
            Visibility::ApproxOnly | Visibility::Nobody => {
                let approx = (subject.visibility == Visibility::ApproxOnly).then(|| {
                    frame(
                        user_id,
                        &subject.username,
                        Shown::Approx {
                            privacy: "approx_only",
                            last_seen_bucket: status.bucket(),
                        },
                    )
                });
                self.to_subscribers(user_id, full, approx).await
            }
        };
        if published {
            self.metrics
                .broadcasts
                .with_label_values(&[subject.visibility.label()])
                .inc();
        }
    }

    /// `everyone`: the full frame on the user channel of every contact.
    async fn to_contacts(&self, user_id: i64, full: &str) -> bool {
        let contacts = match self.peers.contacts(user_id).await {
            Ok(contacts) => contacts,
            Err(err) => {
                self.metrics.failed("membership");
                tracing::warn!(user_id, error = %err, "ListContacts failed; presence not broadcast");
                return false;
            }
        };
        let sends = contacts.iter().map(|contact| {
            self.redis.publish::<i64, _, _>(
                fanout::user_channel(&self.prefix, *contact),
                full.to_string(),
            )
        });
        let failed = futures_util::future::join_all(sends)
            .await
            .into_iter()
            .filter(Result::is_err)
            .count();
        if failed > 0 {
            self.metrics.failed("publish");
            tracing::warn!(user_id, failed, "presence not published to some contacts");
        }
        failed < contacts.len() || contacts.is_empty()
    }

    /// `approx_only` / `nobody`: one instruction to every edge node, which picks
    /// the copy per connection (admin token or not) among the subject's chats.
    async fn to_subscribers(&self, user_id: i64, full: String, approx: Option<String>) -> bool {
        let chat_ids = match self.peers.chats(user_id).await {
            Ok(chats) => chats,
            Err(err) => {
                self.metrics.failed("membership");
                tracing::warn!(user_id, error = %err, "ListUserChats failed; presence not broadcast");
                return false;
            }
        };
        if chat_ids.is_empty() {
            return true;
        }
        let control = Control::Presence {
            chat_ids,
            full,
            approx,
        };
        let sent = self
            .redis
            .publish::<i64, _, _>(
                fanout::broadcast_channel(&self.prefix),
                fanout::encode_control(&control),
            )
            .await;
        if let Err(err) = sent {
            self.metrics.failed("publish");
            tracing::warn!(user_id, error = %err, "presence not published");
            return false;
        }
        true
    }
}

/// Hands transitions to the broadcast workers, by user.
#[derive(Clone)]
pub struct Broadcaster {
    shards: Arc<[mpsc::Sender<(i64, Status)>]>,
}

impl Broadcaster {
    /// Starts the workers; they stop at `shutdown`.
    pub fn spawn(audience: Arc<Audience>, shutdown: Shutdown) -> (Self, Vec<JoinHandle<()>>) {
        let mut shards = Vec::with_capacity(SHARDS);
        let mut tasks = Vec::with_capacity(SHARDS);
        for _ in 0..SHARDS {
            let (tx, mut rx) = mpsc::channel::<(i64, Status)>(QUEUE);
            let audience = audience.clone();
            let shutdown = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    let job = tokio::select! {
                        _ = shutdown.cancelled() => return,
                        job = rx.recv() => job,
                    };
                    let Some((user_id, status)) = job else { return };
                    audience.broadcast(user_id, status).await;
                }
            }));
            shards.push(tx);
        }
        (
            Self {
                shards: shards.into(),
            },
            tasks,
        )
    }

    /// Queues a broadcast; waits only when that worker is far behind.
    pub async fn send(&self, user_id: i64, status: Status) {
        let shard = user_id.unsigned_abs() as usize % self.shards.len();
        if self.shards[shard].send((user_id, status)).await.is_err() {
            tracing::warn!(
                user_id,
                "presence broadcast dropped: the service is stopping"
            );
        }
    }
}
