//! GET /chats (§7.3), the hot path: one SQL query, then one batched call each to
//! the message service (unread, last message), auth (the other members of direct
//! chats), presence and media — never one call per chat.

use crate::db;
use crate::error::{Error, Result};
use crate::state::AppState;
use chorus_kit::time::format_ts;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::cmp::Reverse;

/// The caller's chat list, pinned first, then favorites, then by the effective
/// `updated_at` (the later of the chat's own and its last message's), newest first.
pub async fn list(state: &AppState, caller: i64) -> Result<Vec<Value>> {
    let rows = db::list::chats_of(&state.db, caller).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let chat_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut others: Vec<i64> = rows.iter().filter_map(|r| r.other_user_id).collect();
    others.sort_unstable();
    others.dedup();

    // Messages live in the message service. Without its answer the list would
    // show every chat as read and misorder it, so that is a failure (§1.3), not
    // a degraded list (the cause is logged where the call failed).
    let summaries = state
        .peers
        .summaries(caller, &chat_ids)
        .await
        .ok_or_else(|| {
            Error::Other(anyhow::anyhow!(
                "message service did not answer Unread.Summaries"
            ))
        })?;
    let users = if others.is_empty() {
        Default::default()
    } else {
        state.peers.users(&others).await?
    };
    let online = if others.is_empty() {
        Default::default()
    } else {
        state.presence.online_many(&others).await
    };
    let mut files: Vec<i64> = rows.iter().filter_map(|r| r.avatar_file_id).collect();
    files.extend(users.values().filter_map(|u| u.avatar_file_id));
    files.sort_unstable();
    files.dedup();
    let urls = if files.is_empty() {
        Default::default()
    } else {
        state.media.urls(&files).await
    };
    let url_of = |file: Option<i64>| file.and_then(|f| urls.get(&f).cloned());

    let mut items: Vec<(bool, bool, DateTime<Utc>, i64, Value)> = rows
        .into_iter()
        .map(|row| {
            let summary = summaries.get(&row.id).cloned().unwrap_or_default();
            let last_at = summary
                .last_at_micros
                .and_then(DateTime::<Utc>::from_timestamp_micros);
            let updated_at = last_at.map_or(row.updated_at, |t| t.max(row.updated_at));
            let other = row.other_user_id.and_then(|id| users.get(&id));
            let mut item = Map::new();
            item.insert("id".into(), json!(row.id));
            item.insert("type".into(), json!(row.kind));
            item.insert("name".into(), json!(row.name));
            item.insert("title".into(), json!(row.title));
            item.insert("description".into(), json!(row.description));
            item.insert("public_name".into(), json!(row.public_name));
            item.insert("updated_at".into(), json!(format_ts(updated_at)));
            item.insert(
                "last_message".into(),
                json!(summary.last_message.filter(|_| last_at.is_some())),
            );
            item.insert("last_at".into(), json!(last_at.map(format_ts)));
            item.insert("is_favorite".into(), json!(row.is_favorite));
            item.insert("is_muted".into(), json!(row.is_muted));
            item.insert("is_pinned".into(), json!(row.is_pinned));
            item.insert("is_archived".into(), json!(false));
            item.insert("unread_count".into(), json!(summary.unread_count));
            item.insert("other_user_id".into(), json!(row.other_user_id));
            item.insert("other_username".into(), json!(other.map(|u| &u.username)));
            item.insert(
                "other_display_name".into(),
                json!(other.map(|u| u.shown_name())),
            );
            item.insert(
                "other_avatar_url".into(),
                json!(url_of(other.and_then(|u| u.avatar_file_id))),
            );
            if let Some(other_id) = row.other_user_id {
                item.insert("other_is_online".into(), json!(online.contains(&other_id)));
            }
            item.insert("avatar_url".into(), json!(url_of(row.avatar_file_id)));
            item.insert("member_count".into(), json!(row.member_count));
            (
                row.is_pinned,
                row.is_favorite,
                updated_at,
                row.id,
                Value::Object(item),
            )
        })
        .collect();
    items.sort_by_key(|(pinned, favorite, updated_at, id, _)| {
        (!*pinned, !*favorite, Reverse(*updated_at), Reverse(*id))
    });
    Ok(items.into_iter().map(|(.., item)| item).collect())
}
