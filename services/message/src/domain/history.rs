//! Reading messages: history pages (§9.4 plus `after_seq`), search (§9.5) and
//! the edge's catch-up by seq.

use crate::db;
use crate::db::messages::{MessageRow, Page};
use crate::domain::enrich::{Context, Needs};
use crate::error::Result;
use crate::state::AppState;
use crate::wire::Message;
use chorus_proto::{ChatId, MessageId, UserId};

#[tracing::instrument(skip_all, fields(%chat_id, %user_id))]
pub async fn list(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    page: Page,
    limit: i64,
) -> Result<Vec<Message>> {
    state.membership.require(chat_id, user_id).await?;
    let rows = db::messages::page(&state.db, chat_id, user_id, page, limit).await?;
    let ctx = Context::load(state, Needs::of(&rows)).await?;
    Ok(rows.iter().map(|m| ctx.render(m)).collect())
}

/// The ILIKE pattern for a substring search where `%` and `_` stay wildcards
/// (§9.5) but a backslash is literal, so no query can form an invalid pattern.
pub fn pattern(q: &str) -> String {
    format!("%{}%", q.replace('\\', "\\\\"))
}

#[tracing::instrument(skip_all, fields(%chat_id, %user_id))]
pub async fn search(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    q: &str,
    before_id: Option<MessageId>,
    limit: i64,
) -> Result<Vec<Message>> {
    state.membership.require(chat_id, user_id).await?;
    // PostgreSQL text cannot hold NUL, so no message contains one.
    if q.contains('\0') {
        return Ok(Vec::new());
    }
    let rows =
        db::messages::search(&state.db, chat_id, user_id, &pattern(q), before_id, limit).await?;
    let ctx = Context::load(state, Needs::of(&rows)).await?;
    Ok(rows.iter().map(|m| ctx.render(m)).collect())
}

/// Deleted-for-everyone messages keep their place in the seq order but none
/// of their content: clients must never see it again (§9.7).
fn redact(m: &mut MessageRow) {
    if m.is_deleted {
        m.content = String::new();
        m.file_id = None;
        m.sticker_id = None;
        m.duration_seconds = None;
        m.reply_to_message_id = None;
        m.forwarded_from_display_name = None;
    }
}

/// Catch-up for the edge: messages after `after_seq`, deleted ones included
/// (flagged) so the client's seq stays contiguous. Returns (messages, enriched
/// JSON with `is_deleted`, has_more).
pub async fn after(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    after_seq: i64,
    limit: i64,
) -> Result<(Vec<MessageRow>, Vec<String>, bool)> {
    state.membership.require(chat_id, user_id).await?;
    let limit = limit.clamp(1, 500);
    let mut rows =
        db::messages::after_seq_all(&state.db, chat_id, user_id, after_seq, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    rows.iter_mut().for_each(redact);
    let ctx = Context::load(state, Needs::of(&rows)).await?;
    let enriched = rows
        .iter()
        .map(|m| {
            let message = Message {
                is_deleted: Some(m.is_deleted),
                ..ctx.render(m)
            };
            serde_json::to_string(&message)
        })
        .collect::<Result<_, _>>()?;
    Ok((rows, enriched, has_more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_keep_wildcards_but_not_escapes() {
        assert_eq!(pattern("50%_off"), "%50%_off%");
        assert_eq!(pattern(r"a\b"), r"%a\\b%");
    }
}
