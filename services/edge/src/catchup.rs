//! `subscribe` with `after_seq` (DESIGN §3): replays what the client missed from
//! the message service, in `seq` order, before any live frame of that chat.
//! The connection is registered for live frames first, so nothing falls in the
//! gap; live copies of replayed messages are dropped by the session (by seq).

use crate::node::Node;
use crate::wire::WsMessage;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use chorus_proto::message::v1::HistoryRequest;
use futures_util::SinkExt;

const PAGE: i32 = 500;

/// What a replay covered.
pub struct Replayed {
    /// The last seq sent (or skipped as deleted).
    pub last: i64,
    /// Stopped at `catch_up_max` with more to come: the client must fetch the rest.
    pub truncated: bool,
}

/// Sends the missed messages; `None` if the message service could not answer
/// (the client falls back to HTTP).
pub async fn replay(
    ws: &mut WebSocket,
    node: &Node,
    user_id: i64,
    chat_id: i64,
    after_seq: i64,
) -> Result<Option<Replayed>, axum::Error> {
    let mut last = after_seq;
    let mut sent = 0usize;
    loop {
        // Never more than the limit allows: the marker then names exactly
        // where the replay stopped.
        let room = node.cfg.catch_up_max.saturating_sub(sent).max(1);
        let request = HistoryRequest {
            chat_id,
            user_id,
            after_seq: last,
            limit: PAGE.min(i32::try_from(room).unwrap_or(PAGE)),
        };
        let page = match node.history.clone().after(request).await {
            Ok(page) => page.into_inner(),
            Err(status) => {
                tracing::warn!(%status, chat_id, "catch-up unavailable");
                return Ok(None);
            }
        };
        for (message, json) in page.messages.iter().zip(&page.enriched_json) {
            last = last.max(message.seq);
            // Deleted messages only hold their place in the seq order.
            if message.is_deleted {
                continue;
            }
            ws.feed(Message::Text(Utf8Bytes::from(WsMessage(json).frame())))
                .await?;
            sent += 1;
        }
        ws.flush().await?;
        if !page.has_more || page.messages.is_empty() {
            return Ok(Some(Replayed {
                last,
                truncated: false,
            }));
        }
        if sent >= node.cfg.catch_up_max {
            return Ok(Some(Replayed {
                last,
                truncated: true,
            }));
        }
    }
}
