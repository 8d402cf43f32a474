//! One chat: detail (§7.4), lookup by public name (§7.5), update (§7.6),
//! delete (§7.7) and avatar (§7.8).

use super::{CHAT_NOT_FOUND, is_manager, reject_nul, standing_or};
use crate::db::chats::{self, ChatPatch, PUBLIC_NAME_KEY};
use crate::db::members::{self, OWNER};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::db::is_unique_violation;
use chorus_kit::time::format_ts;
use serde_json::{Value, json};

/// GET /chats/{id}: the chat, its members with names and avatars, and the caller's role.
pub async fn detail(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<Value> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    let chat = chats::by_id(&state.db, chat_id)
        .await?
        .ok_or_else(|| Error::not_found(CHAT_NOT_FOUND))?;
    let rows = members::list(&state.db, chat_id).await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.user_id).collect();
    let users = state.peers.users(&ids).await?;
    let mut files: Vec<i64> = users.values().filter_map(|u| u.avatar_file_id).collect();
    files.extend(chat.avatar_file_id);
    let urls = if files.is_empty() {
        Default::default()
    } else {
        state.media.urls(&files).await
    };
    let url_of = |file: Option<i64>| file.and_then(|f| urls.get(&f).cloned());
    let member_list: Vec<Value> = rows
        .iter()
        .map(|m| {
            let user = users.get(&m.user_id);
            json!({
                "id": m.user_id,
                // A member auth no longer knows keeps their row; never a 500.
                "username": user.map(|u| u.username.clone()).unwrap_or_default(),
                "display_name": user.and_then(|u| u.display_name.clone()),
                "role": m.role,
                "joined_at": format_ts(m.joined_at),
                "avatar_url": url_of(user.and_then(|u| u.avatar_file_id)),
            })
        })
        .collect();
    Ok(json!({
        "id": chat.id,
        "type": chat.kind,
        "name": chat.name,
        "title": chat.title,
        "description": chat.description,
        "public_name": chat.public_name,
        "owner_id": chat.owner_id,
        "created_at": format_ts(chat.created_at),
        "avatar_url": url_of(chat.avatar_file_id),
        "members": member_list,
        "member_count": rows.len(),
        "my_role": standing.role,
    }))
}

/// GET /chats/by-name/{public_name}: no membership needed.
pub async fn by_public_name(state: &AppState, public_name: &str) -> Result<Value> {
    let not_found = || Error::not_found("Chat not found");
    if public_name.contains('\0') {
        return Err(not_found());
    }
    let (chat, member_count) = chats::by_public_name(&state.db, public_name)
        .await?
        .ok_or_else(not_found)?;
    Ok(json!({
        "id": chat.id,
        "type": chat.kind,
        "name": chat.name,
        "title": chat.title,
        "description": chat.description,
        "public_name": chat.public_name,
        "created_at": format_ts(chat.created_at),
        "member_count": member_count,
    }))
}

/// PATCH /chats/{id}: title, description, public_name (`""` ⇒ null); owner or admin.
pub async fn update(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    mut patch: ChatPatch,
) -> Result<Value> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if !is_manager(&standing.role) {
        return Err(Error::forbidden("Only owner or admin can update chat"));
    }
    if patch.title.is_none() && patch.description.is_none() && patch.public_name.is_none() {
        return Err(Error::bad_request("No fields to update"));
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
    let mut tx = state.db.begin().await?;
    let chat = match chats::update(&mut tx, chat_id, &patch).await {
        Ok(chat) => chat,
        Err(err) if is_unique_violation(&err, PUBLIC_NAME_KEY) => {
            return Err(Error::conflict("public_name already taken"));
        }
        Err(err) => return Err(err.into()),
    };
    events::chat_updated(&mut tx, &chat, None).await?;
    tx.commit().await?;
    Ok(json!({
        "id": chat.id,
        "type": chat.kind,
        "name": chat.name,
        "title": chat.title,
        "description": chat.description,
        "public_name": chat.public_name,
    }))
}

/// DELETE /chats/{id}: owner only; everything in the chat goes with it.
pub async fn delete(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<()> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if standing.role != OWNER {
        return Err(Error::forbidden("Only the chat owner can delete it"));
    }
    let mut tx = state.db.begin().await?;
    // Lock the chat row first so no one joins between capturing members and deleting.
    sqlx::query("SELECT id FROM chats WHERE id = $1 FOR UPDATE")
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
    let former: Vec<i64> = members::list(&mut *tx, chat_id)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    if !chats::delete(&mut tx, chat_id).await? {
        return Err(Error::not_found(CHAT_NOT_FOUND));
    }
    events::chat_deleted(&mut tx, chat_id, caller, former).await?;
    tx.commit().await?;
    Ok(())
}

/// POST /chats/{id}/avatar: owner only; the file must be one the caller uploaded.
/// Returns the new avatar's presigned URL.
pub async fn set_avatar(
    state: &AppState,
    chat_id: Option<i64>,
    caller: i64,
    file_id: i64,
) -> Result<Option<String>> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if standing.role != OWNER {
        return Err(Error::forbidden("Only owner can set chat avatar"));
    }
    let file = state.media.file(file_id).await?;
    let Some(file) = file.filter(|f| f.uploader_id == caller) else {
        return Err(Error::not_found("File not found"));
    };
    let mut tx = state.db.begin().await?;
    let Some(chat) = chats::set_avatar(&mut tx, chat_id, file_id).await? else {
        return Err(Error::not_found(CHAT_NOT_FOUND));
    };
    events::chat_updated(&mut tx, &chat, Some(&file.url)).await?;
    tx.commit().await?;
    Ok(Some(file.url))
}
