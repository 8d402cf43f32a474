//! The events chat emits, written to its outbox in the caller's transaction, so an
//! event is published if and only if its change committed. Routing keys come from
//! `chorus_proto::Event::TYPE`; ids and vocabulary become proto scalars here.

use crate::db::chats::ChatRow;
use chorus_proto::chat::v1::{
    ChatCreated, ChatDeleted, ChatUpdated, MemberJoined, MemberLeft, MemberRoleChanged,
};
use chorus_proto::{ChatId, ChatType, Event, Role, UserId};
use sqlx::PgConnection;

const PRODUCER: &str = "chat";

async fn emit<E: Event>(tx: &mut PgConnection, ev: &E) -> sqlx::Result<()> {
    chorus_events::enqueue_event(tx, PRODUCER, ev)
        .await
        .map(|_| ())
}

fn raw(ids: &[UserId]) -> Vec<i64> {
    ids.iter().copied().map(i64::from).collect()
}

/// chat.created: a new chat; the audience is the creator and every requested member.
pub async fn chat_created(
    tx: &mut PgConnection,
    chat: &ChatRow,
    audience: &[UserId],
) -> sqlx::Result<()> {
    let ev = ChatCreated {
        chat_id: chat.id.0,
        chat_type: chat.kind.as_str().to_string(),
        title: chat.title.clone().unwrap_or_default(),
        created_by: chat.owner_id.0,
        audience_user_ids: raw(audience),
    };
    emit(tx, &ev).await
}

/// chat.updated: PATCH or avatar change; carries the stored values after the change.
pub async fn chat_updated(
    tx: &mut PgConnection,
    chat: &ChatRow,
    // Some(url) when the avatar changed: its presigned URL for the frame.
    new_avatar_url: Option<&str>,
) -> sqlx::Result<()> {
    let ev = ChatUpdated {
        chat_id: chat.id.0,
        title: chat.title.clone(),
        description: chat.description.clone(),
        public_name: chat.public_name.clone(),
        avatar_changed: new_avatar_url.is_some(),
        avatar_file_id: chat.avatar_file_id.map(i64::from),
        avatar_url: new_avatar_url.map(str::to_owned),
    };
    emit(tx, &ev).await
}

pub async fn chat_deleted(
    tx: &mut PgConnection,
    chat_id: ChatId,
    deleted_by: UserId,
    former_members: &[UserId],
) -> sqlx::Result<()> {
    let ev = ChatDeleted {
        chat_id: chat_id.0,
        deleted_by: deleted_by.0,
        former_member_ids: raw(former_members),
    };
    emit(tx, &ev).await
}

/// member.joined: someone joined through an invite, with the names the frame shows.
pub struct Joined {
    pub chat_id: ChatId,
    pub user_id: UserId,
    pub role: Role,
    pub username: String,
    /// Falls back to the username.
    pub display_name: String,
    pub chat_type: ChatType,
}

pub async fn member_joined(tx: &mut PgConnection, joined: Joined) -> sqlx::Result<()> {
    let ev = MemberJoined {
        chat_id: joined.chat_id.0,
        user_id: joined.user_id.0,
        role: joined.role.as_str().to_string(),
        username: joined.username,
        display_name: joined.display_name,
        chat_type: joined.chat_type.as_str().to_string(),
    };
    emit(tx, &ev).await
}

pub async fn member_left(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
) -> sqlx::Result<()> {
    let ev = MemberLeft {
        chat_id: chat_id.0,
        user_id: user_id.0,
    };
    emit(tx, &ev).await
}

pub async fn member_role_changed(
    tx: &mut PgConnection,
    chat_id: ChatId,
    user_id: UserId,
    role: Role,
) -> sqlx::Result<()> {
    let ev = MemberRoleChanged {
        chat_id: chat_id.0,
        user_id: user_id.0,
        role: role.as_str().to_string(),
    };
    emit(tx, &ev).await
}
