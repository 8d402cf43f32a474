//! `GET /admin-api/stats` (§14.1): three counter reads, one per owner, in parallel.

use crate::error::Result;
use crate::state::AppState;
use crate::wire::{AdminStats, DayCount};
use chorus_proto::auth::v1 as auth;
use chorus_proto::chat::v1 as chat;
use chorus_proto::message::v1 as message;

pub async fn stats(state: &AppState) -> Result<AdminStats> {
    let (mut accounts, mut chats, mut messages) = (
        state.peers.accounts.clone(),
        state.peers.chats.clone(),
        state.peers.messages.clone(),
    );
    let (a, c, m) = tokio::try_join!(
        accounts.account_stats(auth::AccountStatsRequest {}),
        chats.chat_stats(chat::ChatStatsRequest {}),
        messages.message_stats(message::MessageStatsRequest {}),
    )?;
    let (a, c, m) = (a.into_inner(), c.into_inner(), m.into_inner());
    Ok(AdminStats {
        total_users: a.total_users,
        dau: a.dau,
        wau: a.wau,
        total_chats: c.total,
        chats_by_type: c.by_type.into_iter().filter(|(_, n)| *n > 0).collect(),
        total_messages: m.total_messages,
        messages_today: m.messages_today,
        new_users_today: a.new_users_today,
        blocked_users: a.blocked_users,
        reg_trend: a
            .reg_trend
            .into_iter()
            .map(|d| DayCount {
                day: d.day,
                count: d.count,
            })
            .collect(),
        msg_trend: m
            .msg_trend
            .into_iter()
            .map(|d| DayCount {
                day: d.day,
                count: d.count,
            })
            .collect(),
    })
}
