//! One chat: detail (§7.4), lookup by public name (§7.5), update (§7.6),
//! delete (§7.7) and avatar (§7.8).

use super::{Urls, reject_nul, standing_or};
use crate::db::chats::{self, ChatPatch, ChatRow, PUBLIC_NAME_KEY};
use crate::db::members::{self, MemberRow};
use crate::error::{Error, Result};
use crate::events;
use crate::peers::UserInfo;
use crate::state::AppState;
use crate::wire::{ChatDetail, ChatFields, ChatMember, PublicChat};
use chorus_kit::db::is_unique_violation;
use chorus_proto::{ChatId, FileId, Role, UserId};
use sqlx::PgPool;
use std::collections::HashMap;

impl From<&ChatRow> for ChatFields {
    fn from(chat: &ChatRow) -> Self {
        Self {
            id: chat.id,
            kind: chat.kind,
            name: chat.name.clone(),
            title: chat.title.clone(),
            description: chat.description.clone(),
            public_name: chat.public_name.clone(),
        }
    }
}

/// GET /chats/{id}: the chat, its members with names and avatars, and the caller's role.
pub async fn detail(state: &AppState, chat_id: ChatId, caller: UserId) -> Result<ChatDetail> {
    let standing = standing_or(&state.db, chat_id, caller, Error::ChatNotFound).await?;
    let chat = chats::by_id(&state.db, chat_id)
        .await?
        .ok_or(Error::ChatNotFound)?;
    let rows = members::list(&state.db, chat_id).await?;
    let ids: Vec<UserId> = rows.iter().map(|m| m.user_id).collect();
    let users = state.peers.users(&ids).await?;
    let files = users
        .values()
        .filter_map(|u| u.avatar_file_id)
        .chain(chat.avatar_file_id);
    let urls = Urls::fetch(state.media.as_ref(), files).await;
    Ok(detail_of(&chat, standing.role, &rows, &users, &urls))
}

/// The detail from what was looked up (no I/O).
pub fn detail_of(
    chat: &ChatRow,
    my_role: Role,
    rows: &[MemberRow],
    users: &HashMap<UserId, UserInfo>,
    urls: &Urls,
) -> ChatDetail {
    let members = rows
        .iter()
        .map(|m| {
            let user = users.get(&m.user_id);
            ChatMember {
                id: m.user_id,
                // A member auth no longer knows keeps their row; never a 500.
                username: user.map(|u| u.username.clone()).unwrap_or_default(),
                display_name: user.and_then(|u| u.display_name.clone()),
                role: m.role,
                joined_at: m.joined_at.into(),
                avatar_url: urls.of(user.and_then(|u| u.avatar_file_id)),
            }
        })
        .collect::<Vec<_>>();
    ChatDetail {
        chat: chat.into(),
        owner_id: chat.owner_id,
        created_at: chat.created_at.into(),
        avatar_url: urls.of(chat.avatar_file_id),
        member_count: i64::try_from(members.len()).unwrap_or(i64::MAX),
        members,
        my_role,
    }
}

/// GET /chats/by-name/{public_name}: no membership needed.
pub async fn by_public_name(db: &PgPool, public_name: &str) -> Result<PublicChat> {
    if public_name.contains('\0') {
        return Err(Error::PublicChatNotFound);
    }
    let (chat, member_count) = chats::by_public_name(db, public_name)
        .await?
        .ok_or(Error::PublicChatNotFound)?;
    Ok(PublicChat {
        chat: (&chat).into(),
        created_at: chat.created_at.into(),
        member_count,
    })
}

/// PATCH /chats/{id}: title, description, public_name (`""` ⇒ null); owner or admin.
pub async fn update(
    db: &PgPool,
    chat_id: ChatId,
    caller: UserId,
    mut patch: ChatPatch,
) -> Result<ChatFields> {
    let standing = standing_or(db, chat_id, caller, Error::ChatNotFound).await?;
    if !standing.role.manages() {
        return Err(Error::UpdateNeedsManager);
    }
    if patch.title.is_none() && patch.description.is_none() && patch.public_name.is_none() {
        return Err(Error::NoFieldsToUpdate);
    }
    if let Some(v) = &patch.title {
        reject_nul("title", v)?;
    }
    if let Some(v) = &patch.description {
        reject_nul("description", v)?;
    }
    if let Some(Some(v)) = &patch.public_name {
        reject_nul("public_name", v)?;
    }
    if let Some(p) = &patch.public_name {
        patch.public_name = Some(p.clone().filter(|p| !p.is_empty()));
    }
    let mut tx = db.begin().await?;
    // A chat deleted since the role check is gone, like any missing chat.
    let chat = match chats::update(&mut tx, chat_id, &patch).await {
        Ok(Some(chat)) => chat,
        Ok(None) => return Err(Error::ChatNotFound),
        Err(err) if is_unique_violation(&err, PUBLIC_NAME_KEY) => {
            return Err(Error::PublicNameTaken);
        }
        Err(err) => return Err(err.into()),
    };
    events::chat_updated(&mut tx, &chat, None).await?;
    tx.commit().await?;
    Ok((&chat).into())
}

/// DELETE /chats/{id}: owner only; everything in the chat goes with it.
pub async fn delete(db: &PgPool, chat_id: ChatId, caller: UserId) -> Result<()> {
    let standing = standing_or(db, chat_id, caller, Error::ChatNotFound).await?;
    if standing.role != Role::Owner {
        return Err(Error::DeleteNeedsOwner);
    }
    let mut tx = db.begin().await?;
    // Lock the chat row first so no one joins between capturing members and deleting.
    chats::lock(&mut tx, chat_id, false).await?;
    let former: Vec<UserId> = members::list(&mut *tx, chat_id)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    if !chats::delete(&mut tx, chat_id).await? {
        return Err(Error::ChatNotFound);
    }
    events::chat_deleted(&mut tx, chat_id, caller, &former).await?;
    tx.commit().await?;
    Ok(())
}

/// POST /chats/{id}/avatar: owner only; the file must be one the caller uploaded.
/// Returns the new avatar's presigned URL.
pub async fn set_avatar(
    state: &AppState,
    chat_id: ChatId,
    caller: UserId,
    file_id: FileId,
) -> Result<Option<String>> {
    let standing = standing_or(&state.db, chat_id, caller, Error::ChatNotFound).await?;
    if standing.role != Role::Owner {
        return Err(Error::AvatarNeedsOwner);
    }
    let file = state.media.file(file_id.0).await?;
    let Some(file) = file.filter(|f| f.uploader_id == caller.0) else {
        return Err(Error::FileNotFound);
    };
    let mut tx = state.db.begin().await?;
    let Some(chat) = chats::set_avatar(&mut tx, chat_id, file_id).await? else {
        return Err(Error::ChatNotFound);
    };
    events::chat_updated(&mut tx, &chat, Some(&file.url)).await?;
    tx.commit().await?;
    Ok(Some(file.url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_proto::ChatType;
    use chrono::{TimeZone, Utc};

    fn at(secs: i64) -> chrono::DateTime<Utc> {
        Utc.timestamp_opt(1_780_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_member_auth_no_longer_knows_is_listed_without_name_or_avatar() {
        let chat = ChatRow {
            id: ChatId(4),
            kind: ChatType::Group,
            name: Some("Team".into()),
            title: None,
            description: None,
            public_name: None,
            owner_id: UserId(1),
            avatar_file_id: Some(FileId(1001)),
            created_at: at(0),
            updated_at: at(5),
        };
        let rows = [
            MemberRow {
                user_id: UserId(1),
                role: Role::Owner,
                joined_at: at(0),
            },
            MemberRow {
                user_id: UserId(2),
                role: Role::Member,
                joined_at: at(1),
            },
        ];
        let users = HashMap::from([(
            UserId(1),
            UserInfo {
                id: UserId(1),
                username: "alice".into(),
                display_name: None,
                avatar_file_id: Some(FileId(1002)),
                is_active: true,
                hides_presence: false,
            },
        )]);
        let urls = Urls::from(HashMap::from([
            (1001, "https://m/1001".to_string()),
            (1002, "https://m/1002".to_string()),
        ]));
        let detail = detail_of(&chat, Role::Owner, &rows, &users, &urls);
        assert_eq!(detail.member_count, 2);
        assert_eq!(detail.avatar_url.as_deref(), Some("https://m/1001"));
        assert_eq!(
            detail.members[0].avatar_url.as_deref(),
            Some("https://m/1002")
        );
        assert_eq!(detail.members[1].username, "");
        assert_eq!(detail.members[1].avatar_url, None);
        assert_eq!(detail.my_role, Role::Owner);
    }
}
