//! Reports this node's connection changes to the presence service, which owns
//! the state and the online/offline decisions (§17). Changes go through one
//! queue and one worker, so they reach the service in the order they happened,
//! batched when they pile up; the connection task never waits for it.
//! A heartbeat keeps the node's connections alive there; when the service has
//! forgotten the node (Redis restarted, or the node was declared dead after a
//! long pause) every live connection is reported again.

use crate::conn_handle::Conn;
use crate::registry::Registry;
use chorus_kit::Shutdown;
use chorus_kit::grpc::Channel;
use chorus_proto::presence::v1::presence_client::PresenceClient;
use chorus_proto::presence::v1::{ApplyRequest, ChangeKind, ConnectionChange, HeartbeatRequest};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

const MAX_BATCH: usize = 1000;
const MAX_RETRY_DELAY: Duration = Duration::from_secs(2);

enum Item {
    Change(ConnectionChange),
    /// Answered once everything queued before it was applied (or dropped).
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct PresenceLink {
    node_id: Arc<str>,
    tx: mpsc::UnboundedSender<Item>,
}

impl PresenceLink {
    /// Starts the worker and the heartbeat; both stop with `shutdown` after
    /// flushing what is queued.
    pub fn start(
        node_id: Arc<str>,
        channel: Channel,
        registry: Arc<Registry>,
        heartbeat: Duration,
        shutdown: Shutdown,
    ) -> (Self, Vec<tokio::task::JoinHandle<()>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let client = PresenceClient::new(channel);
        let link = Self {
            node_id: node_id.clone(),
            tx,
        };
        let worker = tokio::spawn(apply_in_order(client.clone(), node_id.clone(), rx));
        let beat = tokio::spawn(beat(client, link.clone(), registry, heartbeat, shutdown));
        (link, vec![worker, beat])
    }

    fn send(&self, conn: &Conn, kind: ChangeKind, active: bool) {
        let change = ConnectionChange {
            connection_id: format!("{}/{}", self.node_id, conn.id),
            user_id: conn.user_id,
            kind: kind as i32,
            active,
        };
        // Only fails once the worker stopped.
        let _ = self.tx.send(Item::Change(change));
    }

    pub fn opened(&self, conn: &Conn) {
        self.send(conn, ChangeKind::Opened, conn.is_active());
    }
    pub fn state(&self, conn: &Conn) {
        let kind = if conn.is_active() {
            ChangeKind::SetActive
        } else {
            ChangeKind::SetAway
        };
        self.send(conn, kind, conn.is_active());
    }
    pub fn activity(&self, conn: &Conn) {
        self.send(conn, ChangeKind::Activity, conn.is_active());
    }
    pub fn closed(&self, conn: &Conn) {
        self.send(conn, ChangeKind::Closed, false);
    }

    /// Waits until every change reported so far reached the service (shutdown:
    /// the drained connections' users go offline now, not after the node TTL).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Item::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn apply_in_order(
    mut client: PresenceClient<Channel>,
    node_id: Arc<str>,
    mut rx: mpsc::UnboundedReceiver<Item>,
) {
    let mut flushes = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut changes = Vec::new();
        let mut item = Some(first);
        while let Some(next) = item.take() {
            match next {
                Item::Change(change) => changes.push(change),
                Item::Flush(done) => flushes.push(done),
            }
            if changes.len() < MAX_BATCH {
                item = rx.try_recv().ok();
            }
        }
        apply(&mut client, &node_id, changes).await;
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Applies one batch, retrying until the service answers: dropping a change
/// (a close, say) would leave a user online for good, and changes arrive in
/// order only if later ones wait for earlier ones.
async fn apply(
    client: &mut PresenceClient<Channel>,
    node_id: &str,
    changes: Vec<ConnectionChange>,
) {
    if changes.is_empty() {
        return;
    }
    let request = ApplyRequest {
        node_id: node_id.to_string(),
        changes,
    };
    let mut delay = Duration::from_millis(50);
    loop {
        match client.apply(request.clone()).await {
            Ok(_) => return,
            Err(status) => {
                tracing::warn!(%status, count = request.changes.len(), "presence service unavailable; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_RETRY_DELAY);
            }
        }
    }
}

async fn beat(
    mut client: PresenceClient<Channel>,
    link: PresenceLink,
    registry: Arc<Registry>,
    period: Duration,
    shutdown: Shutdown,
) {
    let mut ticker = tokio::time::interval(period);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = ticker.tick() => {}
        }
        let request = HeartbeatRequest {
            node_id: link.node_id.to_string(),
        };
        match client.heartbeat(request).await {
            Ok(reply) if reply.get_ref().resync => {
                let conns = registry.all();
                tracing::info!(
                    count = conns.len(),
                    "presence service lost this node; reporting every connection again"
                );
                for conn in conns {
                    link.opened(&conn);
                }
            }
            Ok(_) => {}
            Err(status) => tracing::warn!(%status, "presence heartbeat failed"),
        }
    }
}
