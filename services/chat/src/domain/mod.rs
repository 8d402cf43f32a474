//! The chat service's rules, free of axum and tonic types: handlers parse requests
//! into these calls and render what they return.

pub mod chats;
pub mod create;
pub mod invites;
pub mod list;
pub mod members;

use crate::db::members::{self as member_rows, Standing};
use crate::error::{Error, Result};
use sqlx::PgExecutor;

/// `404 Chat not found or access denied`: the answer for a missing chat and a non-member alike.
pub const CHAT_NOT_FOUND: &str = "Chat not found or access denied";

/// The chat id and the caller's standing in it, or the given 404 when the id is not an id,
/// the chat is missing or the caller is not a member.
pub async fn standing_or(
    db: impl PgExecutor<'_>,
    chat_id: Option<i64>,
    user_id: i64,
    not_found: &str,
) -> Result<(i64, Standing)> {
    let Some(chat_id) = chat_id else {
        return Err(Error::not_found(not_found));
    };
    let standing = member_rows::standing(db, chat_id, user_id)
        .await?
        .ok_or_else(|| Error::not_found(not_found))?;
    Ok((chat_id, standing))
}

/// PostgreSQL rejects NUL in text, so such input is refused before it gets there.
pub fn reject_nul(field: &str, value: &str) -> Result<()> {
    if value.contains('\0') {
        return Err(Error::bad_request(&format!(
            "{field} must not contain NUL characters"
        )));
    }
    Ok(())
}

/// `true` for the roles that manage a chat (owner and admin).
pub fn is_manager(role: &str) -> bool {
    role == member_rows::OWNER || role == member_rows::ADMIN
}
