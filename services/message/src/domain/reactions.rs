//! Reactions (§10): toggle and the batch map.

use crate::db;
use crate::db::reactions::Group;
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use crate::wire::{ReactionAction, ReactionGroup, ReactionToggled};
use chorus_proto::{ChatId, MessageId, UserId};
use std::collections::BTreeMap;

/// Emoji are short: at most 32 bytes (§10.1).
const MAX_EMOJI_BYTES: usize = 32;

/// A valid emoji: non-empty, at most 32 bytes, no NUL. `emoji` is `None` when
/// the request did not carry it as a JSON string.
pub fn emoji(emoji: Option<String>) -> Result<String> {
    emoji
        .filter(|e| !e.is_empty() && e.len() <= MAX_EMOJI_BYTES && !e.contains('\0'))
        .ok_or(Error::InvalidEmoji)
}

#[tracing::instrument(skip_all, fields(%chat_id, %message_id, %user_id))]
pub async fn toggle(
    state: &AppState,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
    emoji: String,
) -> Result<ReactionToggled> {
    state.membership.require(chat_id, user_id).await?;
    // Deleted-for-everyone messages keep their reactions toggleable (§9.7).
    db::messages::in_chat(&state.db, chat_id, message_id)
        .await?
        .ok_or(Error::MessageNotInChat)?;
    let mut tx = state.db.begin().await?;
    let added = db::reactions::toggle(&mut tx, chat_id, message_id, user_id, &emoji).await?;
    let action = if added {
        ReactionAction::Added
    } else {
        ReactionAction::Removed
    };
    events::reaction_changed(&mut tx, chat_id, message_id, user_id, &emoji, action).await?;
    tx.commit().await?;
    Ok(ReactionToggled {
        action,
        emoji,
        message_id,
    })
}

/// The reactions of the chat's messages among `ids`.
pub async fn batch(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    ids: &[MessageId],
) -> Result<BTreeMap<String, Vec<ReactionGroup>>> {
    state.membership.require(chat_id, user_id).await?;
    let groups = db::reactions::groups(&state.db, chat_id, ids, user_id).await?;
    Ok(by_message(groups))
}

/// `{"<message id>": [{emoji, count, me}]}` from groups ordered by message and
/// first use; messages without reactions are absent, never `[]`.
pub fn by_message(groups: Vec<Group>) -> BTreeMap<String, Vec<ReactionGroup>> {
    let mut out: BTreeMap<String, Vec<ReactionGroup>> = BTreeMap::new();
    for g in groups {
        out.entry(g.message_id.to_string())
            .or_default()
            .push(ReactionGroup {
                count: g.count,
                emoji: g.emoji,
                me: g.me,
            });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn group(message_id: i64, emoji: &str, count: i64, me: bool) -> Group {
        Group {
            message_id: MessageId(message_id),
            emoji: emoji.into(),
            count,
            me,
            first_at: Utc::now(),
        }
    }

    #[test]
    fn groups_are_keyed_by_message_in_their_order_of_first_use() {
        let map = by_message(vec![
            group(101, "🔥", 1, false),
            group(101, "👍", 2, true),
            group(99, "👍", 1, false),
        ]);
        let json = serde_json::to_string(&map).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"101":[{"count":1,"emoji":"🔥","me":false},{"count":2,"emoji":"👍","me":true}],"99":[{"count":1,"emoji":"👍","me":false}]}"#
        );
        assert!(by_message(Vec::new()).is_empty());
    }

    #[test]
    fn emoji_are_short_non_empty_strings() {
        assert_eq!(emoji(Some("👍".into())).ok().as_deref(), Some("👍"));
        assert!(emoji(None).is_err());
        assert!(emoji(Some(String::new())).is_err());
        assert!(emoji(Some("a".repeat(33))).is_err());
        assert!(emoji(Some("a\0".into())).is_err());
    }
}
