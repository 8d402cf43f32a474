//! Read state (§11): mark read and read receipts.

use crate::db;
use crate::db::reads::Position;
use crate::error::Result;
use crate::events;
use crate::peers::UserInfo;
use crate::state::AppState;
use crate::wire::ReadReceipt;
use chorus_proto::{ChatId, MessageId, UserId};
use std::collections::HashMap;

#[tracing::instrument(skip_all, fields(%chat_id, %user_id))]
pub async fn mark_read(state: &AppState, chat_id: ChatId, user_id: UserId) -> Result<()> {
    state.membership.require(chat_id, user_id).await?;
    let me = state.users.many(&[user_id]).await?;
    let receipts = receipts_on(&me, user_id);
    let mut tx = state.db.begin().await?;
    let last = db::messages::last_id(&mut *tx, chat_id).await?;
    let position = db::reads::advance(&mut *tx, user_id, chat_id, last).await?;
    if receipts && position > MessageId(0) {
        events::receipt_read(&mut tx, chat_id, user_id, position).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Missing settings (or a user auth does not know) mean read receipts are on.
fn receipts_on(users: &HashMap<UserId, UserInfo>, user_id: UserId) -> bool {
    users.get(&user_id).is_none_or(|u| u.read_receipts_enabled)
}

#[tracing::instrument(skip_all, fields(%chat_id, %user_id))]
pub async fn receipts(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
) -> Result<Vec<ReadReceipt>> {
    state.membership.require(chat_id, user_id).await?;
    let others: Vec<UserId> = state
        .membership
        .members(chat_id)
        .await?
        .into_iter()
        .filter(|id| *id != user_id)
        .collect();
    let positions = if others.is_empty() {
        Vec::new()
    } else {
        db::reads::positions(&state.db, chat_id, &others).await?
    };
    // One lookup for the caller and everyone with a position.
    let mut ids: Vec<UserId> = positions.iter().map(|p| p.user_id).collect();
    ids.push(user_id);
    let users = state.users.many(&ids).await?;
    Ok(visible_receipts(positions, &users, user_id))
}

/// Receipts are mutual: a caller who hides theirs sees nobody's, and nobody's
/// hidden receipt is shown.
pub fn visible_receipts(
    positions: Vec<Position>,
    users: &HashMap<UserId, UserInfo>,
    caller: UserId,
) -> Vec<ReadReceipt> {
    if !receipts_on(users, caller) {
        return Vec::new();
    }
    positions
        .into_iter()
        .filter(|p| receipts_on(users, p.user_id))
        .map(|p| ReadReceipt {
            last_read_msg_id: p.last_read_msg_id,
            read_at: p.read_at.into(),
            user_id: p.user_id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn user(receipts: bool) -> UserInfo {
        UserInfo {
            read_receipts_enabled: receipts,
            ..UserInfo::default()
        }
    }

    fn at(user_id: i64) -> Position {
        Position {
            user_id: UserId(user_id),
            last_read_msg_id: MessageId(10),
            read_at: Utc::now(),
        }
    }

    #[test]
    fn receipts_show_only_between_users_who_share_them() {
        let users = HashMap::from([
            (UserId(1), user(true)),
            (UserId(2), user(false)),
            (UserId(3), user(true)),
        ]);
        let shown = visible_receipts(vec![at(2), at(3), at(4)], &users, UserId(1));
        // 2 hides theirs; 4 has no settings, which means on.
        let ids: Vec<_> = shown.iter().map(|r| r.user_id).collect();
        assert_eq!(ids, [UserId(3), UserId(4)]);
        assert!(visible_receipts(vec![at(3)], &users, UserId(2)).is_empty());
    }
}
