//! Client-originated realtime traffic that never touches a database: `typing`
//! goes straight to the chat's fan-out channel (§16.2), with the sender's
//! current username looked up once per user per node.

use crate::conn_handle::Conn;
use crate::node::Node;
use crate::wire::{WsServerMessage, WsTyping};
use chorus_events::fanout;
use chorus_proto::auth::v1::GetManyUsersRequest;
use chorus_proto::{ChatId, UserId};
use fred::prelude::*;
use std::sync::Arc;

/// Publishes a chat-scope `typing` event; from a non-member (or when membership
/// cannot be checked) it is dropped silently (D12).
pub async fn typing(node: &Node, conn: &Conn, chat_id: i64) {
    match node.membership.is_member(chat_id, conn.user_id).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(status) => {
            tracing::debug!(%status, chat_id, "typing dropped: membership unknown");
            return;
        }
    }
    let username = node.registry.username(conn.user_id);
    let frame = WsServerMessage::Typing(WsTyping {
        chat_id: ChatId(chat_id),
        user_id: UserId(conn.user_id),
        username: username.as_deref(),
    });
    let channel = fanout::chat_channel(node.registry.prefix(), chat_id);
    if let Err(err) = node
        .redis
        .publish::<(), _, _>(channel, frame.to_text())
        .await
    {
        tracing::warn!(%err, chat_id, "typing not published");
    }
}

/// Fetches the user's username in the background unless this node knows it.
pub fn learn_username(node: &Arc<Node>, user_id: i64) {
    if node.registry.username(user_id).is_some() {
        return;
    }
    let node = node.clone();
    tokio::spawn(async move {
        let request = GetManyUsersRequest { ids: vec![user_id] };
        match node.users.clone().get_many(request).await {
            Ok(reply) => {
                if let Some(user) = reply.into_inner().users.into_iter().next() {
                    node.registry
                        .set_username(user_id, Arc::from(user.username));
                }
            }
            Err(status) => tracing::debug!(%status, user_id, "username unknown for now"),
        }
    });
}
