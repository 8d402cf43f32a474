//! What the rest of the node holds of one authenticated connection: identity,
//! presence state, its bounded send queue and a way to close it. The socket
//! itself belongs to the connection's task (`session.rs`).

use axum::extract::ws::Utf8Bytes;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{Notify, mpsc};

/// One frame queued for a connection. `seq > 0` marks a `message` frame of
/// `chat_id`, so a catch-up replay can drop live copies it already sent.
pub struct Outbound {
    pub frame: Utf8Bytes,
    pub chat_id: i64,
    pub seq: i64,
    /// The node's dispatch span of a traced message: the write is its child,
    /// and the dispatch lasts until every local copy is written.
    pub trace: Option<tracing::Span>,
}

/// Close code for a connection that could not keep up with its send queue:
/// "try again later" — it reconnects and catches up by `seq`.
pub const CLOSE_TOO_SLOW: u16 = 1013;

/// What became of a pushed frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    Queued,
    /// The queue was full: the connection is being closed as too slow.
    Overflowed,
    /// The connection is closing already.
    Dropped,
}

pub struct Conn {
    pub id: u64,
    pub user_id: i64,
    /// The `is_admin` claim of the token this connection authenticated with (§17.4).
    pub is_admin: bool,
    /// Presence state of this connection: active (true) or away.
    pub active: AtomicBool,
    tx: mpsc::Sender<Outbound>,
    kill: Notify,
    close: Mutex<Option<(u16, String)>>,
}

impl Conn {
    pub fn new(
        id: u64,
        user_id: i64,
        is_admin: bool,
        active: bool,
        queue: usize,
    ) -> (Self, mpsc::Receiver<Outbound>) {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let conn = Self {
            id,
            user_id,
            is_admin,
            active: AtomicBool::new(active),
            tx,
            kill: Notify::new(),
            close: Mutex::new(None),
        };
        (conn, rx)
    }

    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire)
    }

    /// Sets the presence state; returns whether it changed.
    pub fn set_active(&self, active: bool) -> bool {
        self.active.swap(active, Ordering::AcqRel) != active
    }

    /// Queues a frame without waiting. A full queue means the client is too
    /// slow: the connection is closed instead of stalling everyone else.
    pub fn push(&self, out: Outbound) -> Pushed {
        match self.tx.try_send(out) {
            Ok(()) => Pushed::Queued,
            Err(mpsc::error::TrySendError::Full(_)) => {
                let first = self.kill(
                    CLOSE_TOO_SLOW,
                    "Send queue overflow: reconnect and catch up by seq".into(),
                );
                if first {
                    Pushed::Overflowed
                } else {
                    Pushed::Dropped
                }
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Pushed::Dropped,
        }
    }

    /// Asks the connection's task to close the socket with `code`; the first
    /// request wins. Returns whether this was the first.
    pub fn kill(&self, code: u16, reason: String) -> bool {
        let first = match self.close.lock() {
            Ok(mut close) => {
                let first = close.is_none();
                close.get_or_insert((code, reason));
                first
            }
            Err(_) => false,
        };
        self.kill.notify_one();
        first
    }

    /// Resolves once `kill` was called, with its close code and reason.
    pub async fn killed(&self) -> (u16, String) {
        self.kill.notified().await;
        self.close
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .unwrap_or((1011, String::new()))
    }
}
