//! Invites (§8): create, list, revoke, preview without authentication, join.

use super::{CHAT_NOT_FOUND, is_manager, standing_or};
use crate::db::chats;
use crate::db::invites::{self, InviteRow};
use crate::db::members::{self, MEMBER};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::time::format_ts;
use chorus_proto::chat::v1::MemberJoined;
use serde_json::{Value, json};

/// The invite object; tokens are lowercase UUID v4 text, links relative.
pub fn invite_json(invite: &InviteRow) -> Value {
    json!({
        "token": invite.token,
        "chat_id": invite.chat_id,
        "created_by": invite.created_by,
        "created_at": format_ts(invite.created_at),
        "link": format!("/join/{}", invite.token),
    })
}

/// POST /chats/{id}/invites: owner/admin of a group or channel.
pub async fn create(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<InviteRow> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if standing.kind == "direct" {
        return Err(Error::bad_request("Cannot create invites for direct chats"));
    }
    if !is_manager(&standing.role) {
        return Err(Error::forbidden("Only owner or admin can create invites"));
    }
    let token = uuid::Uuid::new_v4().to_string();
    let mut tx = state.db.begin().await?;
    let invite = invites::insert(&mut tx, chat_id, &token, caller).await?;
    tx.commit().await?;
    Ok(invite)
}

/// GET /chats/{id}/invites: active ones, newest first.
pub async fn list(state: &AppState, chat_id: Option<i64>, caller: i64) -> Result<Vec<InviteRow>> {
    let (chat_id, standing) = standing_or(&state.db, chat_id, caller, CHAT_NOT_FOUND).await?;
    if !is_manager(&standing.role) {
        return Err(Error::forbidden("Only owner or admin can list invites"));
    }
    Ok(invites::active_of(&state.db, chat_id).await?)
}

/// DELETE /invites/{token}: owner/admin of the invite's chat.
pub async fn revoke(state: &AppState, token: &str, caller: i64) -> Result<()> {
    const NOT_FOUND: &str = "Invite not found or already revoked";
    if token.contains('\0') {
        return Err(Error::not_found(NOT_FOUND));
    }
    let invite = invites::by_token(&state.db, token)
        .await?
        .filter(|i| i.revoked_at.is_none())
        .ok_or_else(|| Error::not_found(NOT_FOUND))?;
    let (_, standing) = standing_or(&state.db, Some(invite.chat_id), caller, NOT_FOUND).await?;
    if !is_manager(&standing.role) {
        return Err(Error::forbidden("Only owner or admin can revoke invites"));
    }
    let mut tx = state.db.begin().await?;
    if !invites::revoke(&mut tx, token).await? {
        return Err(Error::not_found(NOT_FOUND));
    }
    tx.commit().await?;
    Ok(())
}

/// An active invite by token: 404 unknown, 410 revoked.
async fn active(state: &AppState, token: &str) -> Result<InviteRow> {
    let not_found = || Error::not_found("Invite not found");
    if token.contains('\0') {
        return Err(not_found());
    }
    let invite = invites::by_token(&state.db, token)
        .await?
        .ok_or_else(not_found)?;
    if invite.revoked_at.is_some() {
        return Err(Error::gone("Invite has been revoked"));
    }
    Ok(invite)
}

/// GET /invites/{token}/preview: what the invite leads to, without authentication.
pub async fn preview(state: &AppState, token: &str) -> Result<Value> {
    let invite = active(state, token).await?;
    let chat = chats::by_id(&state.db, invite.chat_id)
        .await?
        .ok_or_else(|| Error::not_found("Invite not found"))?;
    let member_count = members::count(&state.db, chat.id).await?;
    Ok(json!({
        "chat_id": chat.id,
        "type": chat.kind,
        "title": chat.title,
        "description": chat.description,
        "member_count": member_count,
    }))
}

/// POST /invites/{token}/join: adds the caller as `member` (or reports their role).
pub async fn join(state: &AppState, token: &str, caller: i64) -> Result<Value> {
    let invite = active(state, token).await?;
    let chat_id = invite.chat_id;
    if let Some(standing) = members::standing(&state.db, chat_id, caller).await? {
        return Ok(already(chat_id, &standing.role));
    }
    let user = state.peers.users(&[caller]).await?.remove(&caller);
    let mut tx = state.db.begin().await?;
    // Re-checked under a lock on the invite: a revoke racing the join wins or loses whole.
    let still_active: Option<i64> = sqlx::query_scalar(
        "SELECT chat_id FROM invites WHERE token = $1 AND revoked_at IS NULL FOR SHARE",
    )
    .bind(token)
    .fetch_optional(&mut *tx)
    .await?;
    if still_active.is_none() {
        return Err(Error::gone("Invite has been revoked"));
    }
    // FOR SHARE: pairs with the owner's leave, which locks the chat row to count members.
    sqlx::query("SELECT 1 FROM chats WHERE id = $1 FOR SHARE")
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
    let Some(chat) = chats::by_id(&mut *tx, chat_id).await? else {
        return Err(Error::not_found("Invite not found"));
    };
    if !members::add(&mut tx, chat_id, caller, MEMBER).await? {
        // A concurrent join by the same user got there first.
        let role = members::standing(&mut *tx, chat_id, caller)
            .await?
            .map_or_else(|| MEMBER.to_string(), |s| s.role);
        return Ok(already(chat_id, &role));
    }
    let (username, display_name) = user
        .map(|u| (u.username.clone(), u.shown_name()))
        .unwrap_or_default();
    events::member_joined(
        &mut tx,
        MemberJoined {
            chat_id,
            user_id: caller,
            role: MEMBER.into(),
            username,
            display_name,
            chat_type: chat.kind,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(json!({"chat_id": chat_id, "role": MEMBER, "already_member": false}))
}

fn already(chat_id: i64, role: &str) -> Value {
    json!({"chat_id": chat_id, "role": role, "already_member": true})
}
