//! The events the message service emits (written to its outbox in the caller's
//! transaction) and the ones it consumes: membership changes and chat deletion.

use crate::db;
use crate::db::messages::MessageRow;
use crate::peers::{Membership, Users};
use crate::wire::ReactionAction;
use chorus_events::{Envelope, Event, EventHandler, HandleError, OutboxRow, enqueue_event};
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::message::v1 as pb;
use chorus_proto::{ChatId, MessageId, UserId};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use prost::Message as _;
use sqlx::PgConnection;

const PRODUCER: &str = "message";

pub fn to_pb(m: &MessageRow) -> pb::Message {
    pb::Message {
        id: m.id.0,
        chat_id: m.chat_id.0,
        seq: m.seq,
        sender_id: m.sender_id.0,
        content: m.content.clone(),
        message_type: m.message_type.clone(),
        created_at_micros: m.created_at.timestamp_micros(),
        is_edited: m.is_edited,
        updated_at_micros: m.updated_at.map(|t| t.timestamp_micros()),
        is_deleted: m.is_deleted,
        file_id: m.file_id.map(i64::from),
        sticker_id: m.sticker_id,
        duration_seconds: m.duration_seconds,
        reply_to_message_id: m.reply_to_message_id.map(i64::from),
        forwarded_from_chat_id: m.forwarded_from_chat_id.map(i64::from),
        forwarded_from_message_id: m.forwarded_from_message_id.map(i64::from),
        forwarded_from_user_id: m.forwarded_from_user_id.map(i64::from),
        forwarded_from_display_name: m.forwarded_from_display_name.clone(),
        client_msg_id: m.client_msg_id.clone(),
    }
}

async fn emit<E: Event>(tx: &mut PgConnection, ev: &E) -> sqlx::Result<()> {
    enqueue_event(tx, PRODUCER, ev).await.map(|_| ())
}

/// The `message.created` event of a new message, as an outbox row for the
/// statement or transaction that stores the message. Written without a NOTIFY (it would serialise the
/// commits of every send): the caller wakes the relay after its commit
/// (`AppState::outbox`). `enriched_json` is the serialized
/// [`crate::wire::Message`]: the edge sends it to clients as the `message`
/// frame without parsing it.
pub fn message_created(m: &MessageRow, enriched_json: String) -> OutboxRow {
    let ev = pb::MessageCreated {
        message: Some(to_pb(m)),
        enriched_json,
    };
    // Messages with a file are routed apart: media binds only those.
    OutboxRow::new(
        PRODUCER,
        <pb::MessageCreated as Event>::TYPE,
        ev.routing_key(),
        &ev,
    )
}

/// The relay's [`chorus_events::Finish`] for this service: writes the id, seq
/// and `created_at` the database assigned ([`crate::db::store::SEND`]'s
/// `[id, seq, created_at µs]`) into a `message.created` event rendered before
/// the message was stored, in its message and in its `enriched_json`. Any
/// other envelope is published as it is.
pub fn finish_created(routing_key: &str, envelope: Vec<u8>, assigned: &[i64]) -> Vec<u8> {
    match finished(envelope.as_slice(), assigned) {
        Ok(done) => done,
        Err(err) => {
            // Only this service writes `assigned`, always for this event: a
            // failure here is a bug, and the consumers get the event unfinished.
            tracing::error!(%routing_key, error = %err, "cannot finish an outbox event");
            envelope
        }
    }
}

fn finished(envelope: &[u8], assigned: &[i64]) -> anyhow::Result<Vec<u8>> {
    let &[id, seq, created_micros] = assigned else {
        anyhow::bail!("assigned holds {} values, not 3", assigned.len());
    };
    let created_at = DateTime::<Utc>::from_timestamp_micros(created_micros)
        .ok_or_else(|| anyhow::anyhow!("created_at {created_micros} µs is out of range"))?;
    let mut env = Envelope::decode(envelope)?;
    let mut ev = pb::MessageCreated::decode(env.payload.as_slice())?;
    let message = ev
        .message
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("message.created without its message"))?;
    message.id = id;
    message.seq = seq;
    message.created_at_micros = created_micros;
    let mut json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&ev.enriched_json)?;
    json.insert("id".into(), id.into());
    json.insert("seq".into(), seq.into());
    let created_at = serde_json::to_value(chorus_kit::time::Timestamp(created_at))?;
    json.insert("created_at".into(), created_at);
    ev.enriched_json = serde_json::to_string(&json)?;
    env.payload = ev.encode_to_vec();
    Ok(env.encode_to_vec())
}

pub async fn message_updated(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
    content: &str,
    updated_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let ev = pb::MessageUpdated {
        chat_id: chat_id.0,
        message_id: message_id.0,
        content: content.into(),
        updated_at_micros: updated_at.timestamp_micros(),
    };
    emit(tx, &ev).await
}

pub async fn message_deleted(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
    deleted_by: UserId,
) -> sqlx::Result<()> {
    let ev = pb::MessageDeleted {
        chat_id: chat_id.0,
        message_id: message_id.0,
        deleted_by: deleted_by.0,
    };
    emit(tx, &ev).await
}

pub async fn message_pinned(
    tx: &mut PgConnection,
    pin: &db::pins::Pin,
    chat_id: ChatId,
    enriched_json: String,
) -> sqlx::Result<()> {
    let ev = pb::MessagePinned {
        chat_id: chat_id.0,
        message_id: pin.message_id.0,
        pinned_by: pin.pinned_by.0,
        pinned_at_micros: pin.pinned_at.timestamp_micros(),
        enriched_json,
    };
    emit(tx, &ev).await
}

pub async fn message_unpinned(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
) -> sqlx::Result<()> {
    let ev = pb::MessageUnpinned {
        chat_id: chat_id.0,
        message_id: message_id.0,
    };
    emit(tx, &ev).await
}

pub async fn reaction_changed(
    tx: &mut PgConnection,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
    emoji: &str,
    action: ReactionAction,
) -> sqlx::Result<()> {
    let ev = pb::ReactionChanged {
        chat_id: chat_id.0,
        message_id: message_id.0,
        user_id: user_id.0,
        emoji: emoji.into(),
        action: action.as_str().into(),
    };
    emit(tx, &ev).await
}

pub async fn receipt_read(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
    last_read_msg_id: MessageId,
) -> sqlx::Result<()> {
    let ev = pb::ReceiptRead {
        chat_id: chat_id.0,
        user_id: user_id.0,
        last_read_msg_id: last_read_msg_id.0,
    };
    emit(tx, &ev).await
}

/// Drops cached memberships and users when they change, and a deleted chat's data.
pub struct MembershipEvents {
    pub membership: Membership,
    pub users: Users,
}

impl EventHandler for MembershipEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            match event.r#type.as_str() {
                <chat_pb::MemberLeft as Event>::TYPE => {
                    let ev = chat_pb::MemberLeft::decode(event.payload.as_slice())?;
                    self.membership
                        .forget(ChatId(ev.chat_id), UserId(ev.user_id));
                }
                <chat_pb::MemberRoleChanged as Event>::TYPE => {
                    let ev = chat_pb::MemberRoleChanged::decode(event.payload.as_slice())?;
                    self.membership
                        .forget(ChatId(ev.chat_id), UserId(ev.user_id));
                }
                <chat_pb::ChatDeleted as Event>::TYPE => {
                    let ev = chat_pb::ChatDeleted::decode(event.payload.as_slice())?;
                    self.membership.forget_chat(ChatId(ev.chat_id));
                    db::messages::purge_chat(tx, ChatId(ev.chat_id)).await?;
                }
                <auth_pb::UserUpdated as Event>::TYPE => {
                    let ev = auth_pb::UserUpdated::decode(event.payload.as_slice())?;
                    self.users.forget(UserId(ev.user_id));
                }
                other => tracing::debug!(event_type = other, "event ignored"),
            }
            Ok(())
        })
    }
}
