//! Per-user flags (§7.9), leaving (§7.10) and role management (§7.11).

use super::{CHAT_NOT_FOUND, standing_or};
use crate::db::flags::{self, Flag};
use crate::db::members::{self, ADMIN, MEMBER, OWNER};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chrono::{DateTime, Utc};

const NOT_A_MEMBER: &str = "Not a member";

async fn require_member(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<i64> {
    match chat_id {
        Some(id) if members::is_member(&state.db, id, caller).await? => Ok(id),
        _ => Err(Error::forbidden(NOT_A_MEMBER)),
    }
}

/// POST favorite / pin / archive: members only; idempotent.
pub async fn set_flag(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    flag: Flag,
) -> Result<()> {
    let chat_id = require_member(state, chat_id, caller).await?;
    flags::set(&state.db, flag, caller, chat_id).await?;
    Ok(())
}

/// DELETE favorite / pin / archive: no membership check; idempotent.
pub async fn unset_flag(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    flag: Flag,
) -> Result<()> {
    if let Some(chat_id) = chat_id {
        flags::unset(&state.db, flag, caller, chat_id).await?;
    }
    Ok(())
}

/// POST mute: members only; `None` mutes indefinitely; re-posting overwrites.
pub async fn mute(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    until: Option<DateTime<Utc>>,
) -> Result<()> {
    let chat_id = require_member(state, chat_id, caller).await?;
    flags::mute(&state.db, caller, chat_id, until).await?;
    Ok(())
}

/// DELETE mute: no membership check.
pub async fn unmute(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<()> {
    if let Some(chat_id) = chat_id {
        flags::unmute(&state.db, caller, chat_id).await?;
    }
    Ok(())
}

/// DELETE /chats/{id}/leave: an owner leaves only when alone in the chat.
pub async fn leave(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<()> {
    const NOT_MEMBER: &str = "Not a member of this chat";
    let Some(chat_id) = chat_id else {
        return Err(Error::not_found(NOT_MEMBER));
    };
    let mut tx = state.db.begin().await?;
    // The chat row is locked first so that a join (which takes it FOR SHARE)
    // cannot slip a member in between the count below and the removal: an owner
    // never leaves a chat that has other members.
    sqlx::query("SELECT 1 FROM chats WHERE id = $1 FOR UPDATE")
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
    let standing = members::standing_for_update(&mut tx, chat_id, caller)
        .await?
        .ok_or_else(|| Error::not_found(NOT_MEMBER))?;
    if standing.role == OWNER && members::count(&mut *tx, chat_id).await? > 1 {
        return Err(Error::bad_request(
            "Transfer ownership before leaving, or delete the chat",
        ));
    }
    members::remove(&mut tx, chat_id, caller).await?;
    events::member_left(&mut tx, chat_id, caller).await?;
    tx.commit().await?;
    Ok(())
}

/// Promote (member → admin) or demote (admin → member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Promote,
    Demote,
}

impl RoleChange {
    fn roles(self) -> (&'static str, &'static str) {
        match self {
            Self::Promote => (MEMBER, ADMIN),
            Self::Demote => (ADMIN, MEMBER),
        }
    }
    fn not_owner(self) -> &'static str {
        match self {
            Self::Promote => "Only owner can promote members",
            Self::Demote => "Only owner can demote members",
        }
    }
    fn no_target(self) -> &'static str {
        match self {
            Self::Promote => "User not found or already admin/owner",
            Self::Demote => "User not found or not an admin",
        }
    }
}

/// POST /chats/{id}/members/{userId}/promote|demote: owner only; returns the new role.
pub async fn change_role(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    target: Option<i64>,
    change: RoleChange,
) -> Result<&'static str> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if standing.role != OWNER {
        return Err(Error::forbidden(change.not_owner()));
    }
    let Some(target) = target else {
        return Err(Error::not_found(change.no_target()));
    };
    let (from, to) = change.roles();
    let mut tx = state.db.begin().await?;
    if !members::change_role(&mut tx, chat_id, target, from, to).await? {
        return Err(Error::not_found(change.no_target()));
    }
    events::member_role_changed(&mut tx, chat_id, target, to).await?;
    tx.commit().await?;
    Ok(to)
}
