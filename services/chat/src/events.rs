//! The events chat emits, written to its outbox in the caller's transaction, so an
//! event is published if and only if its change committed.

use crate::db::chats::ChatRow;
use chorus_proto::chat::v1::{
    ChatCreated, ChatDeleted, ChatUpdated, MemberJoined, MemberLeft, MemberRoleChanged,
};
use sqlx::PgConnection;

const PRODUCER: &str = "chat";

async fn emit<M: prost::Message>(
    tx: &mut PgConnection,
    event_type: &str,
    ev: &M,
) -> sqlx::Result<()> {
    chorus_events::enqueue(tx, PRODUCER, event_type, ev)
        .await
        .map(|_| ())
}

/// chat.created: a new chat; the audience is the creator and every requested member.
pub async fn chat_created(
    tx: &mut PgConnection,
    chat: &ChatRow,
    audience_user_ids: Vec<i64>,
) -> sqlx::Result<()> {
    let ev = ChatCreated {
        chat_id: chat.id,
        chat_type: chat.kind.clone(),
        title: chat.title.clone().unwrap_or_default(),
        created_by: chat.owner_id,
        audience_user_ids,
    };
    emit(tx, "chat.created", &ev).await
}

/// chat.updated: PATCH or avatar change; carries the stored values after the change.
pub async fn chat_updated(
    tx: &mut PgConnection,
    chat: &ChatRow,
    // Some(url) when the avatar changed: its presigned URL for the frame.
    new_avatar_url: Option<&str>,
) -> sqlx::Result<()> {
    let ev = ChatUpdated {
        chat_id: chat.id,
        title: chat.title.clone(),
        description: chat.description.clone(),
        public_name: chat.public_name.clone(),
        avatar_changed: new_avatar_url.is_some(),
        avatar_file_id: chat.avatar_file_id,
        avatar_url: new_avatar_url.map(str::to_owned),
    };
    emit(tx, "chat.updated", &ev).await
}

pub async fn chat_deleted(
    tx: &mut PgConnection,
    chat_id: i64,
    deleted_by: i64,
    former_member_ids: Vec<i64>,
) -> sqlx::Result<()> {
    let ev = ChatDeleted {
        chat_id,
        deleted_by,
        former_member_ids,
    };
    emit(tx, "chat.deleted", &ev).await
}

pub async fn member_joined(tx: &mut PgConnection, ev: MemberJoined) -> sqlx::Result<()> {
    emit(tx, "member.joined", &ev).await
}

pub async fn member_left(tx: &mut PgConnection, chat_id: i64, user_id: i64) -> sqlx::Result<()> {
    emit(tx, "member.left", &MemberLeft { chat_id, user_id }).await
}

pub async fn member_role_changed(
    tx: &mut PgConnection,
    chat_id: i64,
    user_id: i64,
    role: &str,
) -> sqlx::Result<()> {
    let ev = MemberRoleChanged {
        chat_id,
        user_id,
        role: role.into(),
    };
    emit(tx, "member.role_changed", &ev).await
}
