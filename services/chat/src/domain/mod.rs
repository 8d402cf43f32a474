//! The chat service's rules, free of axum and tonic types: handlers resolve path
//! ids and parse bodies into these calls and render what they return.

pub mod chats;
pub mod create;
pub mod invites;
pub mod list;
pub mod members;
pub mod support;

use crate::db::members::{self as member_rows, Standing};
use crate::error::{Error, Result};
use crate::seams::Media;
use chorus_proto::{ChatId, FileId, UserId};
use sqlx::PgExecutor;
use std::collections::HashMap;

/// The caller's standing in a chat, or `not_found` when the chat is missing or
/// the caller is not a member (one answer for both, §7.4).
pub async fn standing_or(
    db: impl PgExecutor<'_>,
    chat_id: ChatId,
    user_id: UserId,
    not_found: Error,
) -> Result<Standing> {
    member_rows::standing(db, chat_id, user_id)
        .await?
        .ok_or(not_found)
}

/// PostgreSQL rejects NUL in text, so such input is refused before it gets there.
pub fn reject_nul(field: &'static str, value: &str) -> Result<()> {
    if value.contains('\0') {
        return Err(Error::NulInField(field));
    }
    Ok(())
}

/// Presigned URLs of files, fetched in one batch.
#[derive(Debug, Default)]
pub struct Urls(HashMap<i64, String>);

impl From<HashMap<i64, String>> for Urls {
    fn from(urls: HashMap<i64, String>) -> Self {
        Self(urls)
    }
}

impl Urls {
    /// One call to media for all `files` (none when there are none).
    pub async fn fetch(media: &dyn Media, files: impl IntoIterator<Item = FileId>) -> Self {
        let mut ids: Vec<i64> = files.into_iter().map(i64::from).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Self::default();
        }
        Self(media.urls(&ids).await)
    }

    /// The URL of a file, null when there is none or media does not know it.
    pub fn of(&self, file: Option<FileId>) -> Option<String> {
        file.and_then(|f| self.0.get(&f.0).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_refused_by_field_name() {
        assert!(reject_nul("title", "Team").is_ok());
        let err = reject_nul("title", "Te\0am").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("title must not contain NUL characters")
        );
    }
}
