//! The events the message service emits (written to its outbox in the caller's
//! transaction) and the one it consumes: membership changes and chat deletion.

use crate::db;
use crate::db::messages::MessageRow;
use crate::peers::Membership;
use chorus_events::{Envelope, EventHandler, HandleError};
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::message::v1 as pb;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use prost::Message as _;
use sqlx::PgConnection;

const PRODUCER: &str = "message";

/// The event types the membership consumer binds.
pub const CONSUMED: [&str; 3] = ["member.left", "member.role_changed", "chat.deleted"];

pub fn to_pb(m: &MessageRow) -> pb::Message {
    pb::Message {
        id: m.id,
        chat_id: m.chat_id,
        seq: m.seq,
        sender_id: m.sender_id,
        content: m.content.clone(),
        message_type: m.message_type.clone(),
        created_at_micros: m.created_at.timestamp_micros(),
        is_edited: m.is_edited,
        updated_at_micros: m.updated_at.map(|t| t.timestamp_micros()),
        is_deleted: m.is_deleted,
        file_id: m.file_id,
        sticker_id: m.sticker_id,
        duration_seconds: m.duration_seconds,
        reply_to_message_id: m.reply_to_message_id,
        forwarded_from_chat_id: m.forwarded_from_chat_id,
        forwarded_from_message_id: m.forwarded_from_message_id,
        forwarded_from_user_id: m.forwarded_from_user_id,
        forwarded_from_display_name: m.forwarded_from_display_name.clone(),
        client_msg_id: m.client_msg_id.clone(),
    }
}

async fn emit<M: prost::Message>(tx: &mut PgConnection, kind: &str, ev: &M) -> sqlx::Result<()> {
    chorus_events::enqueue(tx, PRODUCER, kind, ev)
        .await
        .map(|_| ())
}

pub async fn message_created(
    tx: &mut PgConnection,
    m: &MessageRow,
    enriched_json: String,
) -> sqlx::Result<()> {
    let ev = pb::MessageCreated {
        message: Some(to_pb(m)),
        enriched_json,
    };
    emit(tx, "message.created", &ev).await
}

pub async fn message_updated(
    tx: &mut PgConnection,
    chat_id: i64,
    message_id: i64,
    content: &str,
    updated_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let ev = pb::MessageUpdated {
        chat_id,
        message_id,
        content: content.into(),
        updated_at_micros: updated_at.timestamp_micros(),
    };
    emit(tx, "message.updated", &ev).await
}

pub async fn message_deleted(
    tx: &mut PgConnection,
    chat_id: i64,
    message_id: i64,
    deleted_by: i64,
) -> sqlx::Result<()> {
    let ev = pb::MessageDeleted {
        chat_id,
        message_id,
        deleted_by,
    };
    emit(tx, "message.deleted", &ev).await
}

pub async fn message_pinned(
    tx: &mut PgConnection,
    pin: &db::pins::Pin,
    chat_id: i64,
    enriched_json: String,
) -> sqlx::Result<()> {
    let ev = pb::MessagePinned {
        chat_id,
        message_id: pin.message_id,
        pinned_by: pin.pinned_by,
        pinned_at_micros: pin.pinned_at.timestamp_micros(),
        enriched_json,
    };
    emit(tx, "message.pinned", &ev).await
}

pub async fn message_unpinned(
    tx: &mut PgConnection,
    chat_id: i64,
    message_id: i64,
) -> sqlx::Result<()> {
    let ev = pb::MessageUnpinned {
        chat_id,
        message_id,
    };
    emit(tx, "message.unpinned", &ev).await
}

pub async fn reaction_changed(
    tx: &mut PgConnection,
    chat_id: i64,
    message_id: i64,
    user_id: i64,
    emoji: &str,
    added: bool,
) -> sqlx::Result<()> {
    let ev = pb::ReactionChanged {
        chat_id,
        message_id,
        user_id,
        emoji: emoji.into(),
        action: if added { "added" } else { "removed" }.into(),
    };
    emit(tx, "reaction.changed", &ev).await
}

pub async fn receipt_read(
    tx: &mut PgConnection,
    chat_id: i64,
    user_id: i64,
    last_read_msg_id: i64,
) -> sqlx::Result<()> {
    let ev = pb::ReceiptRead {
        chat_id,
        user_id,
        last_read_msg_id,
    };
    emit(tx, "receipt.read", &ev).await
}

/// Drops cached memberships when they change and a deleted chat's data with it.
pub struct MembershipEvents(pub Membership);

impl EventHandler for MembershipEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            match event.r#type.as_str() {
                "member.left" => {
                    let ev = chat_pb::MemberLeft::decode(event.payload.as_slice())?;
                    self.0.forget(ev.chat_id, ev.user_id);
                }
                "member.role_changed" => {
                    let ev = chat_pb::MemberRoleChanged::decode(event.payload.as_slice())?;
                    self.0.forget(ev.chat_id, ev.user_id);
                }
                "chat.deleted" => {
                    let ev = chat_pb::ChatDeleted::decode(event.payload.as_slice())?;
                    self.0.forget_chat(ev.chat_id);
                    db::messages::purge_chat(tx, ev.chat_id).await?;
                }
                other => tracing::debug!(event_type = other, "event ignored"),
            }
            Ok(())
        })
    }
}
