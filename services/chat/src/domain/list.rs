//! GET /chats (§7.3), the hot path: one SQL query, then one batched call each to
//! the message service (unread, last message), auth (the other members of direct
//! chats), presence and media — never one call per chat.

use super::Urls;
use crate::db::{self, list::ListRow};
use crate::error::{Error, Result};
use crate::peers::{Summary, UserInfo};
use crate::state::AppState;
use crate::wire::{ChatFields, ChatListItem};
use chorus_proto::{ChatId, UserId};
use chrono::{DateTime, Utc};
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

/// The caller's chat list, pinned first, then favorites, then by the effective
/// `updated_at` (the later of the chat's own and its last message's), newest first.
/// A global admin (`caller_is_admin`) sees presence that members hide (§7.3).
pub async fn list(
    state: &AppState,
    caller: UserId,
    caller_is_admin: bool,
) -> Result<Vec<ChatListItem>> {
    let rows = db::list::chats_of(&state.db, caller).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let chat_ids: Vec<ChatId> = rows.iter().map(|r| r.id).collect();
    let mut others: Vec<UserId> = rows.iter().filter_map(|r| r.other_user_id).collect();
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
    let (users, online) = if others.is_empty() {
        Default::default()
    } else {
        let online = state.presence.online_many(&others).await;
        (state.peers.users(&others).await?, online)
    };
    let files = rows
        .iter()
        .filter_map(|r| r.avatar_file_id)
        .chain(users.values().filter_map(|u| u.avatar_file_id));
    let urls = Urls::fetch(state.media.as_ref(), files).await;
    let lookups = Lookups {
        summaries: &summaries,
        users: &users,
        online: &online,
        urls: &urls,
        caller_is_admin,
    };
    Ok(assemble(rows, &lookups))
}

/// What the peers answered for the whole list.
pub struct Lookups<'a> {
    pub summaries: &'a HashMap<ChatId, Summary>,
    pub users: &'a HashMap<UserId, UserInfo>,
    /// Raw ids: the presence seam speaks plain integers.
    pub online: &'a HashSet<UserId>,
    pub urls: &'a Urls,
    pub caller_is_admin: bool,
}

/// The items of the rows, in list order (no I/O).
pub fn assemble(rows: Vec<ListRow>, on: &Lookups<'_>) -> Vec<ChatListItem> {
    let mut items: Vec<(DateTime<Utc>, ChatListItem)> =
        rows.into_iter().map(|row| item(row, on)).collect();
    items.sort_by_key(|(updated_at, item)| {
        (
            !item.is_pinned,
            !item.is_favorite,
            Reverse(*updated_at),
            Reverse(item.chat.id),
        )
    });
    items.into_iter().map(|(_, item)| item).collect()
}

fn item(row: ListRow, on: &Lookups<'_>) -> (DateTime<Utc>, ChatListItem) {
    let summary = on.summaries.get(&row.id).cloned().unwrap_or_default();
    let last_at = summary
        .last_at_micros
        .and_then(DateTime::<Utc>::from_timestamp_micros);
    let updated_at = last_at.map_or(row.updated_at, |t| t.max(row.updated_at));
    let other = row.other_user_id.and_then(|id| on.users.get(&id));
    let item = ChatListItem {
        chat: ChatFields {
            id: row.id,
            kind: row.kind,
            name: row.name,
            title: row.title,
            description: row.description,
            public_name: row.public_name,
        },
        updated_at: updated_at.into(),
        last_message: summary.last_message.filter(|_| last_at.is_some()),
        last_at: last_at.map(Into::into),
        is_favorite: row.is_favorite,
        is_muted: row.is_muted,
        is_pinned: row.is_pinned,
        is_archived: false,
        unread_count: summary.unread_count,
        other_user_id: row.other_user_id,
        other_username: other.map(|u| u.username.clone()),
        other_display_name: other.map(UserInfo::shown_name),
        other_avatar_url: on.urls.of(other.and_then(|u| u.avatar_file_id)),
        other_is_online: row.other_user_id.map(|id| {
            let hidden = other.is_some_and(|u| u.hides_presence) && !on.caller_is_admin;
            !hidden && on.online.contains(&id)
        }),
        avatar_url: on.urls.of(row.avatar_file_id),
        member_count: row.member_count,
    };
    (updated_at, item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_proto::ChatType;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_780_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn row(id: i64, updated: i64, pinned: bool, favorite: bool) -> ListRow {
        ListRow {
            id: ChatId(id),
            kind: ChatType::Group,
            name: None,
            title: Some(format!("chat {id}")),
            description: None,
            public_name: None,
            updated_at: at(updated),
            avatar_file_id: None,
            is_favorite: favorite,
            is_muted: false,
            is_pinned: pinned,
            member_count: 2,
            other_user_id: None,
        }
    }

    #[test]
    fn pinned_then_favorites_then_latest_activity_first() {
        let summaries = HashMap::from([(
            ChatId(1),
            Summary {
                unread_count: 3,
                last_message: Some("hi".into()),
                last_at_micros: Some(at(100).timestamp_micros()),
            },
        )]);
        let (users, online, urls) = (HashMap::new(), HashSet::new(), Urls::default());
        let on = Lookups {
            summaries: &summaries,
            users: &users,
            online: &online,
            urls: &urls,
            caller_is_admin: false,
        };
        let rows = vec![
            row(1, 0, false, false),
            row(2, 50, false, false),
            row(3, 10, false, true),
            row(4, 5, true, false),
        ];
        let items = assemble(rows, &on);
        let order: Vec<i64> = items.iter().map(|i| i.chat.id.0).collect();
        // Chat 1's last message (t=100) makes it newer than chat 2 (t=50).
        assert_eq!(order, vec![4, 3, 1, 2]);
        assert_eq!(items[2].unread_count, 3);
        assert_eq!(items[2].last_message.as_deref(), Some("hi"));
        assert_eq!(items[2].other_is_online, None);
    }

    #[test]
    fn a_member_who_hides_last_seen_is_never_online_in_the_list_except_to_admins() {
        let user = |id: i64, hides_presence: bool| UserInfo {
            id: UserId(id),
            username: format!("u{id}"),
            display_name: None,
            avatar_file_id: None,
            is_active: true,
            hides_presence,
        };
        let users = HashMap::from([(UserId(7), user(7, true)), (UserId(8), user(8, false))]);
        let online = HashSet::from([UserId(7), UserId(8)]);
        let (summaries, urls) = (HashMap::new(), Urls::default());
        let direct = |id: i64, other: i64| ListRow {
            kind: ChatType::Direct,
            other_user_id: Some(UserId(other)),
            ..row(id, 0, false, false)
        };
        let shown = |caller_is_admin: bool| {
            let on = Lookups {
                summaries: &summaries,
                users: &users,
                online: &online,
                urls: &urls,
                caller_is_admin,
            };
            let mut items = assemble(vec![direct(1, 7), direct(2, 8)], &on);
            items.sort_by_key(|i| i.chat.id);
            items.iter().map(|i| i.other_is_online).collect::<Vec<_>>()
        };
        assert_eq!(shown(false), vec![Some(false), Some(true)]);
        assert_eq!(shown(true), vec![Some(true), Some(true)]);
    }
}
