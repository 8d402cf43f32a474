//! One WebSocket connection (§16): its task reads client frames in order,
//! answers them, and writes the frames queued for it — several per wake-up,
//! flushed once. Everything a handler needs lives on the heap only while it
//! runs (`Box::pin`), so an idle connection costs little more than its buffers.

use crate::conn_handle::{Conn, Outbound};
use crate::node::Node;
use crate::protocol::{self, ClientFrame, Reply};
use crate::rate::TokenBucket;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::SinkExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Frames written per wake-up before flushing (bounds one connection's turn).
const WRITE_BATCH: usize = 64;
/// Activity pings refresh `last_activity` at most this often per connection (§16.4).
const ACTIVITY_EVERY: Duration = Duration::from_secs(90);
/// How long a closing connection gets to take its close frame and answer it.
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// A client that does not take a write for this long is gone or stalled.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Bound on one catch-up replay (history calls and writes).
const REPLAY_TIMEOUT: Duration = Duration::from_secs(60);

pub type Close = (u16, String);

/// Per-connection state kept by its task.
struct Session {
    conn: Option<Arc<Conn>>,
    rx: Option<mpsc::Receiver<Outbound>>,
    limiter: TokenBucket,
    subscribes: TokenBucket,
    refused_in_a_row: u32,
    /// Last client frame of any kind: the idle timeout counts from it.
    last_inbound: Instant,
    last_activity: Instant,
    /// Chats replayed by `subscribe` with `after_seq`, and the last seq sent:
    /// live copies up to it are dropped.
    replayed: Vec<(i64, i64)>,
    /// Message seqs written lately, per chat: a redelivered event goes out once.
    sent: crate::dedup::SentSeqs,
}

pub async fn run(mut ws: WebSocket, node: Arc<Node>) {
    let cfg = &node.cfg;
    let mut s = Session {
        conn: None,
        rx: None,
        limiter: TokenBucket::new(cfg.rate_per_sec, cfg.rate_burst),
        subscribes: TokenBucket::new(cfg.subscribe_per_sec, cfg.subscribe_burst),
        refused_in_a_row: 0,
        last_inbound: Instant::now(),
        last_activity: Instant::now(),
        replayed: Vec::new(),
        sent: Default::default(),
    };
    let idle = Duration::from_secs(cfg.idle_timeout_secs.max(1));
    let close: Option<Close> = loop {
        tokio::select! {
            biased;
            _ = node.shutdown.cancelled() => break Some((1001, "Server shutting down".into())),
            reason = killed(&s.conn) => break Some(reason),
            inbound = tokio::time::timeout_at((s.last_inbound + idle).into(), ws.recv()) => match inbound {
                Err(_) => break Some((1000, "Idle timeout".into())),
                Ok(None) | Ok(Some(Ok(Message::Close(_)))) => break None,
                Ok(Some(Err(err))) => break read_error(&err),
                Ok(Some(Ok(Message::Text(text)))) => {
                    s.last_inbound = Instant::now();
                    if let Some(close) = Box::pin(on_text(&mut ws, &node, &mut s, text)).await {
                        break Some(close);
                    }
                }
                // Binary frames are ignored; protocol pings are answered by the codec.
                Ok(Some(Ok(_))) => s.last_inbound = Instant::now(),
            },
            out = next(&mut s.rx) => {
                let Some(first) = out else { break None };
                let conn = s.conn.clone();
                let written = tokio::select! {
                    written = tokio::time::timeout(WRITE_TIMEOUT, Box::pin(write_batch(&mut ws, &mut s, first))) => {
                        written.unwrap_or_else(|_| Err(timed_out()))
                    }
                    reason = killed(&conn) => break Some(reason),
                };
                if written.is_err() {
                    break None;
                }
            }
        }
    };
    if let Some(conn) = s.conn.take() {
        node.registry.remove(&conn);
        node.presence.closed(&conn);
    }
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from(reason),
        };
        // Send the close, then wait for the client's: dropping the socket with
        // its pipelined frames unread would reset the connection, and the
        // client might never see the error frame and close code sent before.
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            if ws.send(Message::Close(Some(frame))).await.is_ok() {
                while let Some(Ok(message)) = ws.recv().await {
                    if matches!(message, Message::Close(_)) {
                        break;
                    }
                }
            }
        })
        .await;
    }
}

/// A write that failed ends the connection (the socket is gone or stalled).
fn close_if_failed(written: Result<(), axum::Error>) -> Option<Close> {
    written.err().map(|_| (1011, String::new()))
}

fn timed_out() -> axum::Error {
    axum::Error::new(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "client did not take a write",
    ))
}

async fn killed(conn: &Option<Arc<Conn>>) -> Close {
    match conn {
        Some(conn) => conn.killed().await,
        None => std::future::pending().await,
    }
}

async fn next(rx: &mut Option<mpsc::Receiver<Outbound>>) -> Option<Outbound> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

fn read_error(err: &axum::Error) -> Option<Close> {
    // The codec reports an over-long frame or message as a capacity error.
    let text = err.to_string();
    (text.contains("Space limit exceeded")
        || text.contains("too long")
        || text.contains("Capacity"))
    .then(|| (1009, "Frame too large".into()))
}

/// Writes `first` and whatever else is queued (up to a batch), then flushes once.
async fn write_batch(
    ws: &mut WebSocket,
    s: &mut Session,
    first: Outbound,
) -> Result<(), axum::Error> {
    let mut out = Some(first);
    let mut n = 0;
    // Traced frames: one span per write, ended once the batch is flushed.
    let mut writes = Vec::new();
    while let Some(frame) = out.take() {
        if let Some(dispatch) = &frame.trace {
            writes.push(tracing::info_span!(
                parent: dispatch,
                "ws.send",
                otel.name = "ws send",
                otel.kind = "producer",
                chorus.service = "edge",
            ));
        }
        let fresh = frame.seq <= 0 || s.sent.first_time(frame.chat_id, frame.seq);
        if fresh && !already_replayed(&s.replayed, &frame) {
            ws.feed(Message::Text(frame.frame)).await?;
        }
        n += 1;
        if n < WRITE_BATCH {
            out = s.rx.as_mut().and_then(|rx| rx.try_recv().ok());
        }
    }
    ws.flush().await
}

fn already_replayed(replayed: &[(i64, i64)], out: &Outbound) -> bool {
    out.seq > 0
        && replayed
            .iter()
            .any(|(chat, seq)| *chat == out.chat_id && out.seq <= *seq)
}

async fn send(ws: &mut WebSocket, reply: Reply) -> Result<(), axum::Error> {
    let frame = Message::Text(Utf8Bytes::from(reply.to_json()));
    tokio::time::timeout(WRITE_TIMEOUT, ws.send(frame))
        .await
        .unwrap_or_else(|_| Err(timed_out()))
}

/// Handles one client frame; `Some` closes the connection.
async fn on_text(
    ws: &mut WebSocket,
    node: &Arc<Node>,
    s: &mut Session,
    text: Utf8Bytes,
) -> Option<Close> {
    let parsed = protocol::parse(text.as_str(), s.conn.is_some());
    // A client subscribes to every chat at once after auth (§16.1): subscribes
    // have their own, much larger allowance.
    let bucket = match parsed {
        Ok(ClientFrame::Subscribe { .. }) => &mut s.subscribes,
        _ => &mut s.limiter,
    };
    if !bucket.take() {
        s.refused_in_a_row += 1;
        if s.refused_in_a_row >= node.cfg.flood_close_after {
            return Some((1008, "Too many messages".into()));
        }
        return close_if_failed(send(ws, Reply::error("Too many messages")).await);
    }
    s.refused_in_a_row = 0;
    let frame = match parsed {
        Ok(frame) => frame,
        Err(reply) => return close_if_failed(send(ws, reply).await),
    };
    let result = match (frame, s.conn.clone()) {
        (ClientFrame::Auth { token, active }, current) => {
            return auth(ws, node, s, current, &token, active).await;
        }
        (_, None) => send(ws, Reply::error("Not authenticated")).await,
        (ClientFrame::Ping { active }, Some(conn)) => {
            if active {
                if conn.set_active(true) {
                    node.presence.state(&conn);
                }
                if s.last_activity.elapsed() >= ACTIVITY_EVERY {
                    s.last_activity = Instant::now();
                    node.presence.activity(&conn);
                }
            }
            send(ws, Reply::Pong).await
        }
        (ClientFrame::Presence { active }, Some(conn)) => {
            if conn.set_active(active) {
                node.presence.state(&conn);
            }
            Ok(())
        }
        (ClientFrame::Typing { chat_id }, Some(conn)) => {
            crate::realtime::typing(node, &conn, chat_id).await;
            Ok(())
        }
        (ClientFrame::Subscribe { chat_id, after_seq }, Some(conn)) => {
            subscribe(ws, node, s, &conn, chat_id, after_seq).await
        }
    };
    close_if_failed(result)
}

async fn auth(
    ws: &mut WebSocket,
    node: &Arc<Node>,
    s: &mut Session,
    current: Option<Arc<Conn>>,
    token: &str,
    active: bool,
) -> Option<Close> {
    const INVALID: &str = "Invalid or expired access token";
    let claims = node.verifier.verify_access(token).await.ok();
    let user_id = claims.as_ref().and_then(|c| c.user_id());
    let (Some(claims), Some(user_id)) = (claims, user_id) else {
        let _ = send(ws, Reply::error(INVALID)).await;
        return Some((1008, INVALID.into()));
    };
    if let Some(conn) = current {
        // A repeated auth for the same user is harmless; switching users is not supported.
        if conn.user_id == user_id {
            return close_if_failed(send(ws, Reply::AuthOk { user_id }).await);
        }
        let _ = send(ws, Reply::error(INVALID)).await;
        return Some((1008, INVALID.into()));
    }
    let (conn, rx) = Conn::new(
        node.next_conn_id(),
        user_id,
        claims.is_admin,
        active,
        node.cfg.send_queue_frames,
    );
    let conn = Arc::new(conn);
    if let Err(err) = node.registry.add(&conn).await {
        tracing::warn!(%err, "cannot listen for the user's events");
        let _ = send(ws, Reply::error("Internal error")).await;
        return Some((1011, "Internal error".into()));
    }
    s.conn = Some(conn.clone());
    s.rx = Some(rx);
    s.last_activity = Instant::now();
    // auth_ok first: anything queued for the connection is written only after
    // this handler returns.
    if let Some(close) = close_if_failed(send(ws, Reply::AuthOk { user_id }).await) {
        return Some(close);
    }
    node.presence.opened(&conn);
    crate::realtime::learn_username(node, user_id);
    None
}

async fn subscribe(
    ws: &mut WebSocket,
    node: &Arc<Node>,
    s: &mut Session,
    conn: &Arc<Conn>,
    chat_id: i64,
    after_seq: Option<i64>,
) -> Result<(), axum::Error> {
    const NOT_MEMBER: &str = "Not a member of this chat";
    let member_since = match node.membership.check(chat_id, conn.user_id).await {
        Ok(Some(since)) => since,
        Ok(None) => return send(ws, Reply::error(NOT_MEMBER)).await,
        Err(status) => {
            tracing::warn!(%status, chat_id, "membership check failed");
            return send(ws, Reply::error("Internal error")).await;
        }
    };
    match node.registry.subscribe(conn, chat_id, member_since).await {
        Ok(true) => {}
        Ok(false) => return send(ws, Reply::error(NOT_MEMBER)).await,
        Err(err) => {
            tracing::warn!(%err, chat_id, "cannot listen for the chat's events");
            return send(ws, Reply::error("Internal error")).await;
        }
    }
    send(ws, Reply::Subscribed { chat_id }).await?;
    let Some(after_seq) = after_seq else {
        return Ok(());
    };
    let replay = crate::catchup::replay(ws, node, conn.user_id, chat_id, after_seq);
    let replayed = tokio::time::timeout(REPLAY_TIMEOUT, replay)
        .await
        .unwrap_or_else(|_| Err(timed_out()))?;
    match replayed {
        Some(replayed) => {
            s.replayed.retain(|(chat, _)| *chat != chat_id);
            s.replayed.push((chat_id, replayed.last));
            if replayed.truncated {
                send(
                    ws,
                    Reply::CatchUpTruncated {
                        chat_id,
                        last_seq: replayed.last,
                    },
                )
                .await?;
            }
            Ok(())
        }
        None => send(ws, Reply::error("Internal error")).await,
    }
}
