//! Broadcasting a transition to its audience (CONTRACT §17.4) through the Redis
//! fan-out channels every edge node understands (`chorus_events::fanout`).
//!
//! Broadcasts run on a few workers, each owning a share of the users, so `Apply`
//! and the timers never wait for auth, chat or Redis pub/sub, while one user's
//! `online` and `offline` still leave in the order they were decided. Each
//! carries its version, so that edge nodes drop one overtaken by a newer one
//! from another instance. A broadcast that failed (a lookup, a publish) stays
//! pending in Redis and is attempted again by the tracker's ticks; one that
//! succeeded is settled there.

use crate::metrics::PresenceMetrics;
use crate::peers::{Peers, Visibility};
use crate::store::{Status, Store, Transition};
use chorus_events::fanout::{self, Control};
use chorus_kit::Shutdown;
use fred::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const SHARDS: usize = 8;
const QUEUE: usize = 1024;

/// The approximate bucket shown instead of the status (§17.4).
fn bucket(status: Status) -> &'static str {
    match status {
        Status::Online => "online",
        Status::Offline => "recently",
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

/// What a broadcast needs: who the subject is, who the audience is, where to
/// publish, and where its transition is settled.
pub struct Audience {
    pub peers: Peers,
    pub redis: Client,
    pub prefix: String,
    pub store: Store,
    pub metrics: PresenceMetrics,
}

/// A broadcast that did not reach its whole audience; it is attempted again.
struct Failed;

/// How far a broadcast got: some copy published, every copy published.
struct Reach {
    any: bool,
    all: bool,
}

impl Reach {
    const NOBODY: Self = Self {
        any: false,
        all: false,
    };
    /// Nothing to publish (no audience), so nothing failed.
    const EMPTY: Self = Self {
        any: false,
        all: true,
    };
}

impl Audience {
    /// Broadcasts a transition and settles it once it reached everyone;
    /// failures are logged and counted, and the transition stays pending.
    async fn run(&self, transition: Transition) {
        if self.broadcast(&transition).await.is_err() {
            return;
        }
        if let Err(err) = self.store.settle(&transition).await {
            // Only costs a second broadcast of the same version, which edge
            // nodes deliver as an idempotent repeat.
            self.metrics.failed("redis");
            tracing::warn!(user_id = transition.user_id, error = %err, "presence broadcast not settled");
        }
    }

    /// Reads the subject's visibility now and publishes the frames for it.
    async fn broadcast(&self, t: &Transition) -> Result<(), Failed> {
        let (user_id, status) = (t.user_id, t.status);
        let subject = match self.peers.subject(user_id).await {
            Ok(Some(subject)) => subject,
            Ok(None) => {
                tracing::debug!(user_id, "presence of an unknown user not broadcast");
                return Ok(());
            }
            Err(err) => {
                self.metrics.failed("users");
                tracing::warn!(user_id, error = %err, "Users.GetMany failed; presence broadcast will be retried");
                return Err(Failed);
            }
        };
        let full = frame(
            user_id,
            &subject.username,
            Shown::Status {
                status: status.label(),
            },
        );
        let reach = match subject.visibility {
            Visibility::Everyone => self.to_contacts(t, &full).await,
            Visibility::ApproxOnly | Visibility::Nobody => {
                let approx = (subject.visibility == Visibility::ApproxOnly).then(|| {
                    frame(
                        user_id,
                        &subject.username,
                        Shown::Approx {
                            privacy: "approx_only",
                            last_seen_bucket: bucket(status),
                        },
                    )
                });
                self.to_subscribers(t, full, approx).await
            }
        };
        // Counted when anyone may have received it, even if some copy failed.
        if reach.any {
            self.metrics
                .broadcasts
                .with_label_values(&[subject.visibility.label()])
                .inc();
        }
        if reach.all { Ok(()) } else { Err(Failed) }
    }

    /// `everyone`: the full frame on the user channel of every contact.
    async fn to_contacts(&self, t: &Transition, full: &str) -> Reach {
        let user_id = t.user_id;
        let contacts = match self.peers.contacts(user_id).await {
            Ok(contacts) => contacts,
            Err(err) => {
                self.metrics.failed("membership");
                tracing::warn!(user_id, error = %err, "ListContacts failed; presence broadcast will be retried");
                return Reach::NOBODY;
            }
        };
        let payload = fanout::encode_presence(user_id, t.version, full);
        let sends = contacts.iter().map(|contact| {
            self.redis.publish::<i64, _, _>(
                fanout::user_channel(&self.prefix, *contact),
                payload.clone(),
            )
        });
        let failed = futures_util::future::join_all(sends)
            .await
            .into_iter()
            .filter(Result::is_err)
            .count();
        if failed > 0 {
            self.metrics.failed("publish");
            tracing::warn!(
                user_id,
                failed,
                "presence not published to some contacts; will be retried"
            );
        }
        Reach {
            any: failed < contacts.len(),
            all: failed == 0,
        }
    }

    /// `approx_only` / `nobody`: one instruction to every edge node, which picks
    /// the copy per connection (admin token or not) among the subject's chats.
    async fn to_subscribers(&self, t: &Transition, full: String, approx: Option<String>) -> Reach {
        let user_id = t.user_id;
        let chat_ids = match self.peers.chats(user_id).await {
            Ok(chats) => chats,
            Err(err) => {
                self.metrics.failed("membership");
                tracing::warn!(user_id, error = %err, "ListUserChats failed; presence broadcast will be retried");
                return Reach::NOBODY;
            }
        };
        if chat_ids.is_empty() {
            return Reach::EMPTY;
        }
        let control = Control::Presence {
            user_id,
            version: t.version,
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
            tracing::warn!(user_id, error = %err, "presence not published; will be retried");
            return Reach::NOBODY;
        }
        Reach {
            any: true,
            all: true,
        }
    }
}

/// Hands transitions to the broadcast workers, by user.
#[derive(Clone)]
pub struct Broadcaster {
    shards: Arc<[mpsc::Sender<Transition>]>,
}

impl Broadcaster {
    /// Starts the workers; they stop at `shutdown`.
    pub fn spawn(audience: Arc<Audience>, shutdown: Shutdown) -> (Self, Vec<JoinHandle<()>>) {
        let mut shards = Vec::with_capacity(SHARDS);
        let mut tasks = Vec::with_capacity(SHARDS);
        for _ in 0..SHARDS {
            let (tx, mut rx) = mpsc::channel::<Transition>(QUEUE);
            let audience = audience.clone();
            let shutdown = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    let job = tokio::select! {
                        _ = shutdown.cancelled() => return,
                        job = rx.recv() => job,
                    };
                    let Some(transition) = job else { return };
                    audience.run(transition).await;
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
    pub async fn send(&self, transition: Transition) {
        let user_id = transition.user_id;
        let shard = user_id.unsigned_abs() as usize % self.shards.len();
        if self.shards[shard].send(transition).await.is_err() {
            // Still pending in Redis: another instance (or this one after a
            // restart) broadcasts it.
            tracing::warn!(
                user_id,
                "presence broadcast not queued: the service is stopping"
            );
        }
    }
}
