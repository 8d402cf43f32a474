//! The admin service's logic, free of axum types: each call gathers what it
//! needs from the owners (batched: one call per owner per page) and shapes the
//! contract's answer.

pub mod audit_log;
pub mod messages;
pub mod stats;
pub mod support;
pub mod users;

use crate::error::{Error, Result};
use crate::state::AppState;
use chorus_kit::time::Timestamp;
use chorus_proto::auth::v1 as auth;
use chorus_proto::chat::v1 as chat;
use chrono::DateTime;
use std::collections::HashMap;

/// Owners answer at most this many ids per call.
const IDS_PER_CALL: usize = 1000;

pub fn at(micros: i64) -> Timestamp {
    Timestamp(DateTime::from_timestamp_micros(micros).unwrap_or_default())
}

/// A page request: `page` ≥ 1, `per_page` clamped to [1, max] (§14.2, §14.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub fn new(page: Option<i64>, per_page: Option<i64>, default: i64, max: i64) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(default).clamp(1, max),
        }
    }

    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// Accounts by id (active or not), one call per thousand.
pub async fn accounts(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, auth::Account>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_CALL) {
        let reply = state
            .peers
            .accounts
            .clone()
            .get_accounts(auth::GetAccountsRequest {
                ids: chunk.to_vec(),
            })
            .await?
            .into_inner();
        out.extend(reply.accounts.into_iter().map(|a| (a.id, a)));
    }
    Ok(out)
}

/// Chats by id, one call per thousand.
pub async fn chats(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, chat::ChatBrief>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_CALL) {
        let reply = state
            .peers
            .chats
            .clone()
            .get_chats(chat::GetChatsRequest {
                ids: chunk.to_vec(),
            })
            .await?
            .into_inner();
        out.extend(reply.chats.into_iter().map(|c| (c.id, c)));
    }
    Ok(out)
}

/// The support account's id (§14.6, §19.0).
pub async fn support_id(state: &AppState) -> Result<i64> {
    let found = state
        .peers
        .users
        .clone()
        .get_by_username(auth::GetByUsernameRequest {
            username: SUPPORT_USERNAME.into(),
        })
        .await;
    match found {
        Ok(user) => Ok(user.into_inner().id),
        Err(status) if status.code() == tonic::Code::NotFound => Err(Error::SupportMissing),
        Err(status) => Err(status.into()),
    }
}

pub const SUPPORT_USERNAME: &str = "chorus_support";

#[cfg(test)]
mod tests {
    use super::Paging;

    #[test]
    fn paging_defaults_and_clamps() {
        assert_eq!(
            Paging::new(None, None, 20, 100),
            Paging {
                page: 1,
                per_page: 20
            }
        );
        assert_eq!(
            Paging::new(Some(0), Some(500), 50, 100),
            Paging {
                page: 1,
                per_page: 100
            }
        );
        assert_eq!(Paging::new(Some(3), Some(0), 50, 100).offset(), 2);
    }
}
