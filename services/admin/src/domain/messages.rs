//! Messages (§14.5) and the moderation delete (additive, audited).

use super::{Paging, accounts, at, chats};
use crate::audit::{self, Action, Record};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::wire::{AdminMessage, AdminMessagePage, total_pages};
use chorus_proto::message::v1 as message;
use serde_json::json;

/// The §14.5 filters: ids only when they are integers > 0, text when non-empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub user_id: Option<i64>,
    pub chat_id: Option<i64>,
    pub q: String,
}

pub async fn list(state: &AppState, paging: Paging, f: Filter) -> Result<AdminMessagePage> {
    let reply = state
        .peers
        .messages
        .clone()
        .list_messages(message::ListMessagesRequest {
            offset: paging.offset(),
            limit: i32::try_from(paging.per_page).unwrap_or(100),
            sender_id: f.user_id.filter(|id| *id > 0),
            chat_id: f.chat_id.filter(|id| *id > 0),
            query: f.q,
        })
        .await?
        .into_inner();
    let sender_ids: Vec<i64> = reply.messages.iter().map(|m| m.sender_id).collect();
    let chat_ids: Vec<i64> = reply.messages.iter().map(|m| m.chat_id).collect();
    let (senders, chats) = tokio::try_join!(accounts(state, &sender_ids), chats(state, &chat_ids))?;
    let messages = reply
        .messages
        .into_iter()
        .map(|m| {
            let sender = senders.get(&m.sender_id);
            let chat = chats.get(&m.chat_id);
            AdminMessage {
                id: m.id,
                chat_id: m.chat_id,
                sender_id: m.sender_id,
                content: m.content,
                message_type: m.message_type,
                created_at: at(m.created_at_micros),
                sender_username: sender.map(|s| s.username.clone()).unwrap_or_default(),
                sender_display_name: sender.and_then(|s| s.display_name.clone()),
                chat_name: chat.and_then(|c| c.name.clone()),
                chat_type: chat.map(|c| c.r#type.clone()).unwrap_or_default(),
                is_deleted: m.is_deleted,
            }
        })
        .collect();
    Ok(AdminMessagePage {
        messages,
        page: paging.page,
        per_page: paging.per_page,
        total: reply.total,
        total_pages: total_pages(reply.total, paging.per_page),
    })
}

/// Deletes the message for everyone (the chat's members see it go at once). Audited.
pub async fn delete(
    state: &AppState,
    admin_id: i64,
    ip: Option<String>,
    message_id: Option<i64>,
) -> Result<()> {
    let message_id = message_id.ok_or(Error::MessageNotFound)?;
    let done = state
        .peers
        .messages
        .clone()
        .moderate_delete(message::ModerateDeleteRequest { message_id })
        .await;
    let chat_id = match done {
        Ok(reply) => reply.into_inner().chat_id,
        Err(status) if status.code() == tonic::Code::NotFound => {
            return Err(Error::MessageNotFound);
        }
        Err(status) => return Err(status.into()),
    };
    let record = Record {
        admin_id,
        action: Action::MessageDelete,
        target_type: "message",
        target_id: message_id,
        detail: Some(json!({ "chat_id": chat_id })),
        ip,
    };
    audit::record(&state.db, record).await?;
    Ok(())
}
