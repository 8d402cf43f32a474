//! Users (§14.2–§14.4): the page, one user's detail, and the four actions.

use super::{Paging, at, chats};
use crate::audit::{self, Action, Record};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::wire::{
    AdminUser, AdminUserChat, AdminUserDetail, AdminUserFull, AdminUserMessage, AdminUserPage,
    total_pages,
};
use chorus_proto::auth::v1 as auth;
use chorus_proto::chat::v1 as chat;
use chorus_proto::message::v1 as message;
use serde_json::json;

/// How many of a user's messages the detail shows.
const RECENT_MESSAGES: i32 = 50;

pub async fn list(
    state: &AppState,
    paging: Paging,
    q: &str,
    status: &str,
) -> Result<AdminUserPage> {
    let reply = state
        .peers
        .accounts
        .clone()
        .list_accounts(auth::ListAccountsRequest {
            offset: paging.offset(),
            limit: i32::try_from(paging.per_page).unwrap_or(100),
            query: q.to_string(),
            status: status.to_string(),
        })
        .await?
        .into_inner();
    Ok(AdminUserPage {
        users: reply.accounts.into_iter().map(summary).collect(),
        page: paging.page,
        per_page: paging.per_page,
        total: reply.total,
        total_pages: total_pages(reply.total, paging.per_page),
    })
}

fn summary(a: auth::Account) -> AdminUser {
    AdminUser {
        id: a.id,
        username: a.username,
        display_name: a.display_name,
        email: a.email,
        is_active: a.is_active,
        is_admin: a.is_admin,
        is_blocked: a.is_blocked,
        created_at: at(a.created_at_micros),
        last_activity: a.last_activity_micros.map(at),
    }
}

pub async fn detail(state: &AppState, user_id: Option<i64>) -> Result<AdminUserDetail> {
    let user_id = user_id.ok_or(Error::UserNotFound)?;
    let (mut accounts, mut chat_admin, mut messages) = (
        state.peers.accounts.clone(),
        state.peers.chats.clone(),
        state.peers.messages.clone(),
    );
    let (found, memberships, recent) = tokio::try_join!(
        accounts.get_accounts(auth::GetAccountsRequest { ids: vec![user_id] }),
        chat_admin.user_chats(chat::UserChatsRequest { user_id }),
        messages.list_messages(message::ListMessagesRequest {
            offset: 0,
            limit: RECENT_MESSAGES,
            sender_id: Some(user_id),
            ..Default::default()
        }),
    )?;
    let account = found
        .into_inner()
        .accounts
        .into_iter()
        .next()
        .ok_or(Error::UserNotFound)?;
    let recent = recent.into_inner();
    // Messages may sit in chats the user has left: look those up too.
    let chat_ids: Vec<i64> = recent.messages.iter().map(|m| m.chat_id).collect();
    let names = chats(state, &chat_ids).await?;
    let chats = memberships
        .into_inner()
        .chats
        .into_iter()
        .filter_map(|m| {
            let c = m.chat?;
            Some(AdminUserChat {
                id: c.id,
                kind: c.r#type,
                name: c.name,
                title: c.title,
                role: m.role,
                joined_at: at(m.joined_at_micros),
                member_count: c.member_count,
            })
        })
        .collect();
    let messages = recent
        .messages
        .into_iter()
        .map(|m| {
            let chat = names.get(&m.chat_id);
            AdminUserMessage {
                id: m.id,
                chat_id: m.chat_id,
                content: m.content,
                message_type: m.message_type,
                created_at: at(m.created_at_micros),
                chat_name: chat.and_then(|c| c.name.clone()),
                chat_type: chat.map(|c| c.r#type.clone()).unwrap_or_default(),
                is_deleted: m.is_deleted,
            }
        })
        .collect();
    Ok(AdminUserDetail {
        user: AdminUserFull {
            id: account.id,
            username: account.username,
            display_name: account.display_name,
            email: account.email,
            bio: account.bio,
            is_active: account.is_active,
            is_admin: account.is_admin,
            is_blocked: account.is_blocked,
            created_at: at(account.created_at_micros),
            updated_at: at(account.updated_at_micros),
            last_activity: account.last_activity_micros.map(at),
        },
        message_count: recent.total,
        chats,
        messages,
    })
}

/// One of the four actions of §14.4, by its path segment.
pub fn parse_action(segment: &str) -> Result<Action> {
    match Action::parse(segment) {
        Some(a @ (Action::Block | Action::Unblock | Action::SoftDelete | Action::ToggleAdmin)) => {
            Ok(a)
        }
        _ => Err(Error::RouteNotFound),
    }
}

/// The self-target refusal of §14.4, if any.
pub fn refuse_self(action: Action, admin_id: i64, target: i64) -> Result<()> {
    if admin_id != target {
        return Ok(());
    }
    match action {
        Action::Block => Err(Error::CannotBlockSelf),
        Action::SoftDelete => Err(Error::CannotDeleteSelf),
        Action::ToggleAdmin => Err(Error::CannotChangeOwnAdmin),
        _ => Ok(()),
    }
}

/// Applies the action through auth (which revokes sessions and closes sockets
/// for block and soft-delete); an unknown id is not an error (§14.4). Audited.
pub async fn act(
    state: &AppState,
    admin_id: i64,
    ip: Option<String>,
    target: Option<i64>,
    action: Action,
) -> Result<()> {
    // A path id that is not a number names nobody: nothing to do, 204 (§14.4).
    let Some(user_id) = target else {
        return Ok(());
    };
    refuse_self(action, admin_id, user_id)?;
    let mut accounts = state.peers.accounts.clone();
    let done = match action {
        Action::Block | Action::Unblock => accounts
            .set_blocked(auth::SetBlockedRequest {
                user_id,
                blocked: action == Action::Block,
            })
            .await
            .map(|_| ()),
        Action::SoftDelete => accounts
            .soft_delete(auth::SoftDeleteRequest { user_id })
            .await
            .map(|_| ()),
        _ => accounts
            .toggle_admin(auth::ToggleAdminRequest { user_id })
            .await
            .map(|_| ()),
    };
    let found = match done {
        Ok(()) => true,
        Err(status) if status.code() == tonic::Code::NotFound => false,
        Err(status) => return Err(status.into()),
    };
    let record = Record {
        admin_id,
        action,
        target_type: "user",
        target_id: user_id,
        detail: (!found).then(|| json!({ "found": false })),
        ip,
    };
    audit::record(&state.db, record).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_four_actions_are_routes() {
        assert_eq!(parse_action("soft-delete").ok(), Some(Action::SoftDelete));
        assert!(matches!(
            parse_action("support-send"),
            Err(Error::RouteNotFound)
        ));
        assert!(matches!(parse_action("delete"), Err(Error::RouteNotFound)));
    }

    #[test]
    fn an_admin_may_unblock_but_not_otherwise_target_themselves() {
        assert!(matches!(
            refuse_self(Action::Block, 1, 1),
            Err(Error::CannotBlockSelf)
        ));
        assert!(matches!(
            refuse_self(Action::SoftDelete, 1, 1),
            Err(Error::CannotDeleteSelf)
        ));
        assert!(matches!(
            refuse_self(Action::ToggleAdmin, 1, 1),
            Err(Error::CannotChangeOwnAdmin)
        ));
        assert!(refuse_self(Action::Unblock, 1, 1).is_ok());
        assert!(refuse_self(Action::Block, 1, 2).is_ok());
    }
}
