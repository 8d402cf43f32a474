//! Support messaging (§14.6): the support account's recipients, chats and
//! recent messages, and sending as it (audited).

use super::{at, chats, support_id};
use crate::audit::{self, Action, Record};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::wire::{
    SupportChat, SupportChats, SupportMessage, SupportMessages, SupportSendRequest, SupportSent,
    SupportUser, SupportUsers,
};
use chorus_proto::auth::v1 as auth;
use chorus_proto::chat::v1 as chat;
use chorus_proto::message::v1 as message;
use serde_json::json;

const RECENT_MESSAGES: i32 = 50;
/// Every support message starts with this marker (§14.6).
const PREFIX: &str = "[SUPPORT] ";

pub async fn users(state: &AppState) -> Result<SupportUsers> {
    let reply = state
        .peers
        .accounts
        .clone()
        .list_active_accounts(auth::ListActiveAccountsRequest {})
        .await?
        .into_inner();
    let users = reply
        .accounts
        .into_iter()
        .filter(|a| a.username != super::SUPPORT_USERNAME)
        .map(|a| SupportUser {
            id: a.id,
            display_name: a
                .display_name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| a.username.clone()),
            username: a.username,
        })
        .collect();
    Ok(SupportUsers { users })
}

pub async fn chats_of_support(state: &AppState) -> Result<SupportChats> {
    let support = support_id(state).await?;
    let reply = state
        .peers
        .chats
        .clone()
        .user_chats(chat::UserChatsRequest { user_id: support })
        .await?
        .into_inner();
    let mut briefs: Vec<chat::ChatBrief> = reply.chats.into_iter().filter_map(|m| m.chat).collect();
    briefs.sort_by_key(|c| std::cmp::Reverse((c.updated_at_micros, c.id)));
    let chats = briefs
        .into_iter()
        .map(|c| SupportChat {
            id: c.id,
            kind: c.r#type,
            name: c.name,
            title: c.title,
            member_count: c.member_count,
        })
        .collect();
    Ok(SupportChats { chats })
}

pub async fn messages(state: &AppState) -> Result<SupportMessages> {
    let support = support_id(state).await?;
    let reply = state
        .peers
        .messages
        .clone()
        .list_messages(message::ListMessagesRequest {
            offset: 0,
            limit: RECENT_MESSAGES,
            sender_id: Some(support),
            ..Default::default()
        })
        .await?
        .into_inner();
    let chat_ids: Vec<i64> = reply.messages.iter().map(|m| m.chat_id).collect();
    let names = chats(state, &chat_ids).await?;
    let messages = reply
        .messages
        .into_iter()
        .map(|m| {
            let chat = names.get(&m.chat_id);
            SupportMessage {
                id: m.id,
                chat_id: m.chat_id,
                content: m.content,
                created_at: at(m.created_at_micros),
                chat_name: chat.and_then(|c| c.name.clone()),
                chat_type: chat.map(|c| c.r#type.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(SupportMessages { messages })
}

/// Checks of §14.6 made before anyone is asked anything, in the contract's order.
pub fn validate(req: &SupportSendRequest, max_chars: usize) -> Result<()> {
    if req.content.is_empty() {
        return Err(Error::ContentRequired);
    }
    if req.content.chars().count() > max_chars {
        return Err(Error::TooLong);
    }
    if req.content.contains('\0') {
        return Err(Error::InvalidText("content"));
    }
    if target(req).is_none() {
        return Err(Error::TargetRequired);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    User(i64),
    Chat(i64),
}

/// `target_user_id` wins over `chat_id`; null and zero are absent.
fn target(req: &SupportSendRequest) -> Option<Target> {
    match (
        req.target_user_id.filter(|id| *id != 0),
        req.chat_id.filter(|id| *id != 0),
    ) {
        (Some(user), _) => Some(Target::User(user)),
        (None, Some(chat)) => Some(Target::Chat(chat)),
        (None, None) => None,
    }
}

pub async fn send(
    state: &AppState,
    admin_id: i64,
    ip: Option<String>,
    req: SupportSendRequest,
) -> Result<SupportSent> {
    validate(&req, state.cfg.max_content_chars)?;
    let support = support_id(state).await?;
    let mut chat_admin = state.peers.chats.clone();
    let chat_id = match target(&req) {
        Some(Target::User(user)) if user == support => return Err(Error::UserNotFound),
        Some(Target::User(user)) => {
            let known = super::accounts(state, &[user]).await?;
            if !known.get(&user).is_some_and(|a| a.is_active) {
                return Err(Error::UserNotFound);
            }
            chat_admin
                .ensure_direct(chat::EnsureDirectRequest {
                    owner_id: support,
                    member_id: user,
                })
                .await?
                .into_inner()
                .chat_id
        }
        Some(Target::Chat(chat_id)) => {
            let added = chat_admin
                .ensure_member(chat::EnsureMemberRequest {
                    chat_id,
                    user_id: support,
                    role: "admin".into(),
                })
                .await;
            match added {
                Ok(reply) => reply.into_inner().chat_id,
                Err(status) if status.code() == tonic::Code::NotFound => {
                    return Err(Error::ChatNotFound);
                }
                Err(status) => return Err(status.into()),
            }
        }
        None => return Err(Error::TargetRequired),
    };
    let posted = state
        .peers
        .messages
        .clone()
        .post_as(message::PostAsRequest {
            chat_id,
            sender_id: support,
            content: format!("{PREFIX}{}", req.content),
        })
        .await?
        .into_inner();
    let (target_type, target_id) = match target(&req) {
        Some(Target::User(user)) => ("user", user),
        _ => ("chat", chat_id),
    };
    let record = Record {
        admin_id,
        action: Action::SupportSend,
        target_type,
        target_id,
        detail: Some(
            json!({ "message_id": posted.id, "chat_id": chat_id, "content": req.content }),
        ),
        ip,
    };
    audit::record(&state.db, record).await?;
    Ok(SupportSent {
        id: posted.id,
        chat_id: posted.chat_id,
        created_at: at(posted.created_at_micros),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(content: &str, user: Option<i64>, chat: Option<i64>) -> SupportSendRequest {
        SupportSendRequest {
            content: content.into(),
            target_user_id: user,
            chat_id: chat,
        }
    }

    #[test]
    fn the_checks_come_in_the_contracts_order() {
        assert!(matches!(
            validate(&req("", None, None), 10),
            Err(Error::ContentRequired)
        ));
        assert!(matches!(
            validate(&req("x".repeat(11).as_str(), None, None), 10),
            Err(Error::TooLong)
        ));
        assert!(matches!(
            validate(&req("hi", Some(0), None), 10),
            Err(Error::TargetRequired)
        ));
        assert!(validate(&req("hi", None, Some(3)), 10).is_ok());
        assert!(validate(&req(&"é".repeat(10), Some(1), None), 10).is_ok());
    }

    #[test]
    fn a_user_target_wins_over_a_chat() {
        assert_eq!(target(&req("hi", Some(4), Some(9))), Some(Target::User(4)));
        assert_eq!(target(&req("hi", Some(0), Some(9))), Some(Target::Chat(9)));
    }
}
