//! Per-user flags (§7.9), leaving (§7.10) and role management (§7.11).

use super::standing_or;
use crate::db::chats;
use crate::db::flags::{self, Flag};
use crate::db::members;
use crate::error::{Error, Result};
use crate::events;
use chorus_proto::{ChatId, Role, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

async fn require_member(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<()> {
    if members::is_member(db, chat_id, caller).await? {
        Ok(())
    } else {
        Err(Error::NotMember)
    }
}

/// POST favorite / pin / archive: members only; idempotent.
pub async fn set_flag(db: &PgPool, chat_id: ChatId, caller: UserId, flag: Flag) -> Result<()> {
    require_member(db, chat_id, caller).await?;
    flags::set(db, flag, caller, chat_id).await?;
    Ok(())
}

/// DELETE favorite / pin / archive: no membership check; idempotent.
pub async fn unset_flag(db: &PgPool, chat_id: ChatId, caller: UserId, flag: Flag) -> Result<()> {
    flags::unset(db, flag, caller, chat_id).await?;
    Ok(())
}

/// POST mute: members only; `None` mutes indefinitely; re-posting overwrites.
pub async fn mute(
    db: &PgPool,
    chat_id: ChatId,
    caller: UserId,
    until: Option<DateTime<Utc>>,
) -> Result<()> {
    require_member(db, chat_id, caller).await?;
    flags::mute(db, caller, chat_id, until).await?;
    Ok(())
}

/// DELETE mute: no membership check.
pub async fn unmute(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<()> {
    flags::unmute(db, caller, chat_id).await?;
    Ok(())
}

/// DELETE /chats/{id}/leave: an owner leaves only when alone in the chat.
pub async fn leave(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<()> {
    let mut tx = db.begin().await?;
    // The chat row is locked first so that a join (which takes it FOR SHARE)
    // cannot slip a member in between the count below and the removal: an owner
    // never leaves a chat that has other members.
    chats::lock(&mut tx, chat_id, false).await?;
    let standing = members::standing_for_update(&mut tx, chat_id, caller)
        .await?
        .ok_or(Error::NotMemberOfChat)?;
    if standing.role == Role::Owner && members::count(&mut *tx, chat_id).await? > 1 {
        return Err(Error::OwnerMustTransfer);
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
    /// The role the target must have, and the one they get.
    pub fn roles(self) -> (Role, Role) {
        match self {
            Self::Promote => (Role::Member, Role::Admin),
            Self::Demote => (Role::Admin, Role::Member),
        }
    }
    fn not_owner(self) -> Error {
        match self {
            Self::Promote => Error::PromoteNeedsOwner,
            Self::Demote => Error::DemoteNeedsOwner,
        }
    }
    fn no_target(self) -> Error {
        match self {
            Self::Promote => Error::NotPromotable,
            Self::Demote => Error::NotDemotable,
        }
    }
}

/// POST /chats/{id}/members/{userId}/promote|demote: owner only; returns the new
/// role. `target` is `None` when the path segment is not an id: after the owner
/// check it is answered like a user who is not in the chat (§1.2).
pub async fn change_role(
    db: &PgPool,
    chat_id: ChatId,
    caller: UserId,
    target: Option<UserId>,
    change: RoleChange,
) -> Result<Role> {
    let standing = standing_or(db, chat_id, caller, Error::ChatNotFound).await?;
    if standing.role != Role::Owner {
        return Err(change.not_owner());
    }
    let target = target.ok_or(change.no_target())?;
    let (from, to) = change.roles();
    let mut tx = db.begin().await?;
    if !members::change_role(&mut tx, chat_id, target, from, to).await? {
        return Err(change.no_target());
    }
    events::member_role_changed(&mut tx, chat_id, target, to).await?;
    tx.commit().await?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_and_demotion_move_between_member_and_admin_only() {
        assert_eq!(RoleChange::Promote.roles(), (Role::Member, Role::Admin));
        assert_eq!(RoleChange::Demote.roles(), (Role::Admin, Role::Member));
        assert_eq!(
            RoleChange::Demote.no_target().to_string(),
            "User not found or not an admin"
        );
        assert_eq!(
            RoleChange::Promote.not_owner().to_string(),
            "Only owner can promote members"
        );
    }
}
