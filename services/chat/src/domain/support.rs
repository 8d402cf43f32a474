//! Where the admin service's support messages go (§14.6): the support account's
//! direct chat with a user (created when missing), or any chat it joins as admin.

use crate::db::{chats, members};
use crate::error::{Error, Result};
use crate::events::{self, Joined};
use crate::state::AppState;
use chorus_proto::{ChatId, Role, UserId};

/// The direct chat of `owner` and `member`, created when there is none. A new
/// chat is announced with chat.created to both — the extension §23 D9 permits —
/// so the member's open app shows it and its first message live.
pub async fn ensure_direct(state: &AppState, owner: UserId, member: UserId) -> Result<ChatId> {
    let mut tx = state.db.begin().await?;
    chats::lock_direct_pair(&mut tx, owner, member).await?;
    if let Some(id) = chats::find_direct(&mut tx, owner, member).await? {
        chats::touch(&mut tx, id).await?;
        tx.commit().await?;
        return Ok(id);
    }
    let chat = chats::insert_bare_direct(&mut tx, owner).await?;
    members::add(&mut tx, chat.id, owner, Role::Owner).await?;
    members::add(&mut tx, chat.id, member, Role::Member).await?;
    events::chat_created(&mut tx, &chat, &[owner, member]).await?;
    tx.commit().await?;
    Ok(chat.id)
}

/// Adds `user` to the chat with `role` unless already a member (announced with
/// member.joined like any join), and marks the chat updated.
pub async fn ensure_member(
    state: &AppState,
    chat_id: ChatId,
    user: UserId,
    role: Role,
) -> Result<()> {
    if members::standing(&state.db, chat_id, user).await?.is_some() {
        let mut tx = state.db.begin().await?;
        chats::touch(&mut tx, chat_id).await?;
        return Ok(tx.commit().await?);
    }
    let info = state.peers.users(&[user]).await?.remove(&user);
    let mut tx = state.db.begin().await?;
    chats::lock(&mut tx, chat_id, true).await?;
    let Some(chat) = chats::by_id(&mut *tx, chat_id).await? else {
        return Err(Error::ChatNotFound);
    };
    if members::add(&mut tx, chat_id, user, role).await? {
        let (username, display_name) = info
            .map(|u| (u.username.clone(), u.shown_name()))
            .unwrap_or_default();
        let joined = Joined {
            chat_id,
            user_id: user,
            role,
            username,
            display_name,
            chat_type: chat.kind,
        };
        events::member_joined(&mut tx, joined).await?;
    }
    chats::touch(&mut tx, chat_id).await?;
    Ok(tx.commit().await?)
}
