//! This node's authenticated connections, who is subscribed to what, and the
//! Redis channels the node listens to because of them. `dispatch` turns one
//! pub/sub payload into queued frames for the local connections it concerns.
//!
//! Channel bookkeeping: a channel is SUBSCRIBEd before the first local
//! connection that needs it is registered, and UNSUBSCRIBEd lazily by
//! [`Registry::sweep`]. Both hold `sub_lock`, and the sweep decides "unused"
//! under the same lock that registers connections, so a connection can never
//! be registered on a channel the node is leaving.

use crate::conn_handle::{Conn, Outbound, Pushed};
use crate::membership::Membership;
use crate::metrics::EdgeMetrics;
use crate::presence_order::PresenceOrder;
use axum::extract::ws::Utf8Bytes;
use bytes::Bytes;
use chorus_events::fanout::{self, Control, Payload};
use fred::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

#[derive(Default)]
struct Inner {
    by_user: HashMap<i64, Vec<Arc<Conn>>>,
    by_chat: HashMap<i64, Vec<Arc<Conn>>>,
    /// Chats each connection is subscribed to (by connection id).
    chats_of: HashMap<u64, Vec<i64>>,
    /// Redis channels this node is subscribed to.
    channels: HashSet<String>,
    /// Current usernames of local users, for `typing` frames.
    usernames: HashMap<i64, Arc<str>>,
}

pub struct Registry {
    inner: Mutex<Inner>,
    sub_lock: tokio::sync::Mutex<()>,
    subscriber: Client,
    prefix: String,
    membership: Arc<Membership>,
    metrics: EdgeMetrics,
    /// The newest presence transition delivered per subject.
    presence_order: PresenceOrder,
}

impl Registry {
    pub fn new(
        subscriber: Client,
        prefix: String,
        membership: Arc<Membership>,
        metrics: EdgeMetrics,
    ) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            sub_lock: tokio::sync::Mutex::new(()),
            subscriber,
            prefix,
            membership,
            metrics,
            presence_order: PresenceOrder::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps half-updated in a
        // way that matters more than losing every connection, so keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Registers an authenticated connection for its user-scope events.
    pub async fn add(&self, conn: &Arc<Conn>) -> Result<(), Error> {
        let channel = fanout::user_channel(&self.prefix, conn.user_id);
        self.with_channel(channel, |inner| {
            inner
                .by_user
                .entry(conn.user_id)
                .or_default()
                .push(conn.clone());
        })
        .await?;
        self.metrics.connections.inc();
        self.metrics.opened.inc();
        Ok(())
    }

    /// Starts delivering `chat_id`'s chat-scope events to `conn` (idempotent),
    /// unless the membership that was checked at `member_since` has ended
    /// meanwhile (then `false`: a leave raced the subscribe).
    pub async fn subscribe(
        &self,
        conn: &Arc<Conn>,
        chat_id: i64,
        member_since: Instant,
    ) -> Result<bool, Error> {
        let channel = fanout::chat_channel(&self.prefix, chat_id);
        let mut registered = false;
        self.with_channel(channel, |inner| {
            // Under the registry lock: `Control::Left` forgets before it takes
            // this lock, so either it sees this subscription or this sees it.
            if self
                .membership
                .ended_since(chat_id, conn.user_id, member_since)
            {
                return;
            }
            registered = true;
            let chats = inner.chats_of.entry(conn.id).or_default();
            if !chats.contains(&chat_id) {
                chats.push(chat_id);
                inner.by_chat.entry(chat_id).or_default().push(conn.clone());
            }
        })
        .await?;
        Ok(registered)
    }

    /// Runs `register` under the lock once `channel` is subscribed.
    async fn with_channel(
        &self,
        channel: String,
        register: impl FnOnce(&mut Inner),
    ) -> Result<(), Error> {
        {
            let mut inner = self.lock();
            if inner.channels.contains(&channel) {
                register(&mut inner);
                return Ok(());
            }
        }
        let _guard = self.sub_lock.lock().await;
        if !self.lock().channels.contains(&channel) {
            self.subscriber.subscribe(channel.as_str()).await?;
            // SUBSCRIBE resolves once written; the PING's answer comes after
            // Redis processed it, so nothing published from now on is missed.
            self.subscriber.ping::<()>(None).await?;
        }
        let mut inner = self.lock();
        inner.channels.insert(channel);
        register(&mut inner);
        Ok(())
    }

    /// Forgets a closed connection.
    pub fn remove(&self, conn: &Conn) {
        let mut inner = self.lock();
        let Some(list) = inner.by_user.get_mut(&conn.user_id) else {
            return;
        };
        list.retain(|c| c.id != conn.id);
        if list.is_empty() {
            inner.by_user.remove(&conn.user_id);
            inner.usernames.remove(&conn.user_id);
        }
        for chat_id in inner.chats_of.remove(&conn.id).unwrap_or_default() {
            detach(&mut inner.by_chat, chat_id, conn.id);
        }
        self.metrics.connections.dec();
    }

    pub fn set_username(&self, user_id: i64, username: Arc<str>) {
        let mut inner = self.lock();
        if inner.by_user.contains_key(&user_id) {
            inner.usernames.insert(user_id, username);
        }
    }

    pub fn username(&self, user_id: i64) -> Option<Arc<str>> {
        self.lock().usernames.get(&user_id).cloned()
    }

    /// Every live connection (presence resync, shutdown).
    pub fn all(&self) -> Vec<Arc<Conn>> {
        self.lock().by_user.values().flatten().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.lock().by_user.values().map(Vec::len).sum()
    }

    /// Joins the channel every node listens to (presence audiences, cache invalidations).
    pub async fn listen_broadcast(&self) -> Result<(), Error> {
        self.with_channel(fanout::broadcast_channel(&self.prefix), |_| {})
            .await
    }

    pub fn is_empty(&self) -> bool {
        self.lock().by_user.is_empty()
    }

    /// Closes every connection with 1012 ("service restart") and forgets every
    /// cached membership: after frames were lost (Redis link down, reader
    /// lagging) clients reconnect and catch up by seq (§16.4).
    pub fn restart_all(&self) {
        self.membership.forget_all();
        let conns = self.all();
        if !conns.is_empty() {
            tracing::warn!(
                count = conns.len(),
                "fan-out interrupted; closing connections so they catch up"
            );
        }
        for conn in conns {
            let _ = conn.kill(
                1012,
                "Realtime link restarted: reconnect and catch up".into(),
            );
        }
    }

    /// The channels this node must listen to, for re-subscribing after Redis
    /// came back (a fresh server knows none of them).
    pub fn channels(&self) -> Vec<String> {
        self.lock().channels.iter().cloned().collect()
    }

    /// Leaves the channels no local connection needs any more.
    pub async fn sweep(&self) -> Result<(), Error> {
        let _guard = self.sub_lock.lock().await;
        let unused: Vec<String> = {
            let mut inner = self.lock();
            let prefix = self.prefix.as_str();
            let unused: Vec<String> = inner
                .channels
                .iter()
                .filter(|ch| match target(prefix, ch) {
                    Some(Target::Chat(id)) => !inner.by_chat.contains_key(&id),
                    Some(Target::User(id)) => !inner.by_user.contains_key(&id),
                    _ => false,
                })
                .cloned()
                .collect();
            for ch in &unused {
                inner.channels.remove(ch);
            }
            unused
        };
        if !unused.is_empty() {
            self.subscriber.unsubscribe(unused).await?;
        }
        Ok(())
    }

    /// Delivers one pub/sub payload to the local connections it concerns.
    pub fn dispatch(&self, channel: &str, payload: Bytes) {
        let Some(target) = target(&self.prefix, channel) else {
            return;
        };
        let Some(decoded) = fanout::decode(&payload) else {
            tracing::warn!(channel, "undecodable fan-out payload dropped");
            return;
        };
        match decoded {
            Payload::Frame(text) => {
                let frame = slice_text(&payload, text);
                self.deliver(target, frame, 0, None);
            }
            Payload::Message {
                seq,
                at_ms,
                traceparent,
                frame: text,
            } => {
                let frame = slice_text(&payload, text);
                let trace = traceparent.map(|tp| dispatch_span(channel, seq, tp));
                self.deliver(target, frame, seq, trace);
                if let Some(at_ms) = at_ms {
                    let lag_ms = chrono::Utc::now().timestamp_millis() - at_ms;
                    self.metrics
                        .fanout_lag
                        .observe(lag_ms.max(0) as f64 / 1000.0);
                }
            }
            Payload::Presence {
                user_id,
                version,
                frame: text,
            } => {
                if self.admit_presence(user_id, version) {
                    self.deliver(target, slice_text(&payload, text), 0, None);
                }
            }
            Payload::Control(control) => self.control(target, control),
        }
    }

    /// Whether a presence transition is new enough to deliver (see
    /// [`PresenceOrder`]); a stale one is counted.
    fn admit_presence(&self, user_id: i64, version: u64) -> bool {
        let admitted = self.presence_order.admit(user_id, version);
        if !admitted {
            self.metrics.presence_stale.inc();
        }
        admitted
    }

    fn deliver(
        &self,
        target: Target,
        frame: Option<Utf8Bytes>,
        seq: i64,
        trace: Option<tracing::Span>,
    ) {
        let Some(frame) = frame else { return };
        let inner = self.lock();
        let (list, chat_id) = match target {
            Target::Chat(id) => (inner.by_chat.get(&id), id),
            Target::User(id) => (inner.by_user.get(&id), 0),
            Target::Broadcast => return,
        };
        for conn in list.into_iter().flatten() {
            self.push(
                conn,
                Outbound {
                    frame: frame.clone(),
                    chat_id,
                    seq,
                    trace: trace.clone(),
                },
            );
        }
    }

    fn push(&self, conn: &Conn, out: Outbound) {
        match conn.push(out) {
            Pushed::Queued => self.metrics.frames_sent.inc(),
            Pushed::Overflowed => self.metrics.overflows.inc(),
            Pushed::Dropped => {}
        }
    }

    fn control(&self, target: Target, control: Control) {
        match (target, control) {
            (Target::User(user_id), Control::Close { code, reason }) => {
                for conn in self.lock().by_user.get(&user_id).into_iter().flatten() {
                    let _ = conn.kill(code, reason.clone());
                }
            }
            (Target::User(user_id), Control::Left { chat_id, frame }) => {
                self.membership.forget(chat_id, Some(user_id));
                let frame = Utf8Bytes::from(frame);
                let mut inner = self.lock();
                let conns = inner.by_user.get(&user_id).cloned().unwrap_or_default();
                for conn in conns {
                    let chats = inner.chats_of.entry(conn.id).or_default();
                    if let Some(pos) = chats.iter().position(|c| *c == chat_id) {
                        // It got chat_member_left on the chat channel already.
                        chats.swap_remove(pos);
                        detach(&mut inner.by_chat, chat_id, conn.id);
                    } else {
                        self.push(
                            &conn,
                            Outbound {
                                frame: frame.clone(),
                                chat_id: 0,
                                seq: 0,
                                trace: None,
                            },
                        );
                    }
                }
            }
            (Target::Chat(chat_id), Control::Drop) => {
                self.membership.forget(chat_id, None);
                let mut inner = self.lock();
                for conn in inner.by_chat.remove(&chat_id).unwrap_or_default() {
                    if let Some(chats) = inner.chats_of.get_mut(&conn.id) {
                        chats.retain(|c| *c != chat_id);
                    }
                }
            }
            (Target::Broadcast, Control::Membership { chat_id, user_id }) => {
                self.membership.forget(chat_id, user_id);
            }
            (
                Target::Broadcast,
                Control::Presence {
                    user_id,
                    version,
                    chat_ids,
                    full,
                    approx,
                },
            ) => {
                if self.admit_presence(user_id, version) {
                    self.presence(&chat_ids, full, approx);
                }
            }
            (_, control) => tracing::warn!(?control, "control on the wrong channel dropped"),
        }
    }

    /// §17.4 approx_only / nobody: one copy per connection subscribed to any of
    /// the subject's chats; admin tokens get the full payload.
    fn presence(&self, chat_ids: &[i64], full: String, approx: Option<String>) {
        let full = Utf8Bytes::from(full);
        let approx = approx.map(Utf8Bytes::from);
        let inner = self.lock();
        let mut seen = HashSet::new();
        for conn in chat_ids
            .iter()
            .filter_map(|id| inner.by_chat.get(id))
            .flatten()
        {
            if !seen.insert(conn.id) {
                continue;
            }
            let frame = if conn.is_admin {
                Some(&full)
            } else {
                approx.as_ref()
            };
            if let Some(frame) = frame {
                self.push(
                    conn,
                    Outbound {
                        frame: frame.clone(),
                        chat_id: 0,
                        seq: 0,
                        trace: None,
                    },
                );
            }
        }
    }
}

fn detach(by_chat: &mut HashMap<i64, Vec<Arc<Conn>>>, chat_id: i64, conn_id: u64) {
    if let Some(list) = by_chat.get_mut(&chat_id) {
        list.retain(|c| c.id != conn_id);
        if list.is_empty() {
            by_chat.remove(&chat_id);
        }
    }
}

/// The part of `payload` that `text` (a slice of it) covers, without copying.
fn slice_text(payload: &Bytes, text: &str) -> Option<Utf8Bytes> {
    let start = (text.as_ptr() as usize).checked_sub(payload.as_ptr() as usize)?;
    Utf8Bytes::try_from(payload.slice(start..start + text.len())).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Chat(i64),
    User(i64),
    Broadcast,
}

fn target(prefix: &str, channel: &str) -> Option<Target> {
    let rest = channel.strip_prefix(prefix)?;
    if let Some(id) = rest.strip_prefix("chat:") {
        return id.parse().ok().map(Target::Chat);
    }
    if let Some(id) = rest.strip_prefix("user:") {
        return id.parse().ok().map(Target::User);
    }
    (rest == "edge:all").then_some(Target::Broadcast)
}

/// This node's part of a traced message's fan-out: from the Redis payload to
/// the last local socket write (each write a child span).
fn dispatch_span(channel: &str, seq: i64, traceparent: &str) -> tracing::Span {
    let span = tracing::info_span!(
        "edge.dispatch",
        otel.name = "edge dispatch",
        otel.kind = "consumer",
        messaging.system = "redis",
        messaging.destination.name = %channel,
        chorus.seq = seq,
        chorus.service = "edge",
    );
    chorus_kit::telemetry::set_traceparent(&span, traceparent);
    span
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
