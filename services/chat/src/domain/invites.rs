//! Invites (§8): create, list, revoke, preview without authentication, join.

use super::standing_or;
use crate::db::chats;
use crate::db::invites::{self, InviteRow};
use crate::db::members;
use crate::error::{Error, Result};
use crate::events::{self, Joined};
use crate::state::AppState;
use crate::wire::{Invite, InviteJoined, InvitePreview};
use chorus_proto::{ChatId, ChatType, Role, UserId};
use sqlx::PgPool;

impl From<&InviteRow> for Invite {
    /// Tokens are lowercase UUID v4 text, links relative.
    fn from(invite: &InviteRow) -> Self {
        Self {
            token: invite.token.clone(),
            chat_id: invite.chat_id,
            created_by: invite.created_by,
            created_at: invite.created_at.into(),
            link: format!("/join/{}", invite.token),
        }
    }
}

/// POST /chats/{id}/invites: owner/admin of a group or channel.
pub async fn create(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<Invite> {
    let standing = standing_or(db, chat_id, caller, Error::ChatNotFound).await?;
    if standing.kind == ChatType::Direct {
        return Err(Error::DirectChatInvites);
    }
    if !standing.role.manages() {
        return Err(Error::CreateInviteNeedsManager);
    }
    let token = uuid::Uuid::new_v4().to_string();
    let mut tx = db.begin().await?;
    let invite = invites::insert(&mut tx, chat_id, &token, caller).await?;
    tx.commit().await?;
    Ok((&invite).into())
}

/// GET /chats/{id}/invites: active ones, newest first.
pub async fn list(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<Vec<Invite>> {
    let standing = standing_or(db, chat_id, caller, Error::ChatNotFound).await?;
    if !standing.role.manages() {
        return Err(Error::ListInvitesNeedsManager);
    }
    let rows = invites::active_of(db, chat_id).await?;
    Ok(rows.iter().map(Invite::from).collect())
}

/// DELETE /invites/{token}: owner/admin of the invite's chat.
pub async fn revoke(db: &PgPool, token: &str, caller: UserId) -> Result<()> {
    if token.contains('\0') {
        return Err(Error::InviteNotRevocable);
    }
    let invite = invites::by_token(db, token)
        .await?
        .filter(|i| i.revoked_at.is_none())
        .ok_or(Error::InviteNotRevocable)?;
    let standing = standing_or(db, invite.chat_id, caller, Error::InviteNotRevocable).await?;
    if !standing.role.manages() {
        return Err(Error::RevokeInviteNeedsManager);
    }
    let mut tx = db.begin().await?;
    if !invites::revoke(&mut tx, token).await? {
        return Err(Error::InviteNotRevocable);
    }
    tx.commit().await?;
    Ok(())
}

/// An active invite by token: 404 unknown, 410 revoked.
async fn active(db: &PgPool, token: &str) -> Result<InviteRow> {
    if token.contains('\0') {
        return Err(Error::InviteNotFound);
    }
    let invite = invites::by_token(db, token)
        .await?
        .ok_or(Error::InviteNotFound)?;
    if invite.revoked_at.is_some() {
        return Err(Error::InviteRevoked);
    }
    Ok(invite)
}

/// GET /invites/{token}/preview: what the invite leads to, without authentication.
pub async fn preview(db: &PgPool, token: &str) -> Result<InvitePreview> {
    let invite = active(db, token).await?;
    let chat = chats::by_id(db, invite.chat_id)
        .await?
        .ok_or(Error::InviteNotFound)?;
    let member_count = members::count(db, chat.id).await?;
    Ok(InvitePreview {
        chat_id: chat.id,
        kind: chat.kind,
        title: chat.title,
        description: chat.description,
        member_count,
    })
}

/// POST /invites/{token}/join: adds the caller as `member` (or reports their role).
pub async fn join(state: &AppState, token: &str, caller: UserId) -> Result<InviteJoined> {
    let invite = active(&state.db, token).await?;
    let chat_id = invite.chat_id;
    let already = |role| InviteJoined {
        chat_id,
        role,
        already_member: true,
    };
    if let Some(standing) = members::standing(&state.db, chat_id, caller).await? {
        return Ok(already(standing.role));
    }
    let user = state.peers.users(&[caller]).await?.remove(&caller);
    let mut tx = state.db.begin().await?;
    // Re-checked under a lock on the invite: a revoke racing the join wins or loses whole.
    if !invites::lock_active(&mut tx, token).await? {
        return Err(Error::InviteRevoked);
    }
    // FOR SHARE: pairs with the owner's leave, which locks the chat row to count members.
    chats::lock(&mut tx, chat_id, true).await?;
    let Some(chat) = chats::by_id(&mut *tx, chat_id).await? else {
        return Err(Error::InviteNotFound);
    };
    if !members::add(&mut tx, chat_id, caller, Role::Member).await? {
        // A concurrent join by the same user got there first.
        let role = members::standing(&mut *tx, chat_id, caller)
            .await?
            .map_or(Role::Member, |s| s.role);
        return Ok(already(role));
    }
    let (username, display_name) = user
        .map(|u| (u.username.clone(), u.shown_name()))
        .unwrap_or_default();
    let joined = Joined {
        chat_id,
        user_id: caller,
        role: Role::Member,
        username,
        display_name,
        chat_type: chat.kind,
    };
    events::member_joined(&mut tx, joined).await?;
    tx.commit().await?;
    Ok(InviteJoined {
        chat_id,
        role: Role::Member,
        already_member: false,
    })
}
