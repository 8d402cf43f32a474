//! "Is this user a member of this chat?" for `subscribe` and `typing`, asked of
//! the chat service and remembered briefly. Only positive answers are cached
//! (a user who just joined must not be refused); leaving, removal and deletion
//! invalidate them on every node through the fan-out (`Control::Left`,
//! `Control::Drop`, `Control::Membership`), so the TTL only bounds a lost one.
//!
//! An invalidation also leaves a short-lived tombstone: an answer obtained
//! before it (a gRPC call in flight while the user left) is neither cached nor
//! allowed to register a subscription afterwards.

use chorus_kit::grpc::Channel;
use chorus_proto::chat::v1::GetRoleRequest;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Bound on cached answers; the map is cleared when it grows past it.
const MAX_ENTRIES: usize = 200_000;
/// Longer than any membership check takes.
const TOMBSTONE_TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
struct State {
    cache: HashMap<(i64, i64), Instant>,
    /// (chat, user or every user) → when the membership ended.
    ended: HashMap<(i64, Option<i64>), Instant>,
}

pub struct Membership {
    client: MembershipClient<Channel>,
    ttl: Duration,
    state: Mutex<State>,
}

impl Membership {
    pub fn new(channel: Channel, ttl_ms: u64) -> Self {
        Self {
            client: MembershipClient::new(channel),
            ttl: Duration::from_millis(ttl_ms),
            state: Mutex::new(State::default()),
        }
    }

    /// `Some(asked_at)` for a member: the instant the answer is valid from,
    /// to be checked against later invalidations with [`Membership::ended_since`].
    pub async fn check(
        &self,
        chat_id: i64,
        user_id: i64,
    ) -> Result<Option<Instant>, tonic::Status> {
        let key = (chat_id, user_id);
        let asked = Instant::now();
        if let Ok(state) = self.state.lock()
            && state
                .cache
                .get(&key)
                .is_some_and(|at| at.elapsed() < self.ttl)
        {
            return Ok(Some(asked));
        }
        let reply = self
            .client
            .clone()
            .get_role(GetRoleRequest { chat_id, user_id })
            .await?
            .into_inner();
        if !reply.is_member {
            return Ok(None);
        }
        if let Ok(mut state) = self.state.lock()
            && !ended_since(&state, chat_id, user_id, asked)
        {
            if state.cache.len() >= MAX_ENTRIES {
                state.cache.clear();
            }
            state.cache.insert(key, Instant::now());
        }
        Ok(Some(asked))
    }

    pub async fn is_member(&self, chat_id: i64, user_id: i64) -> Result<bool, tonic::Status> {
        Ok(self.check(chat_id, user_id).await?.is_some())
    }

    /// Whether the user's membership ended (or the chat went) at or after `since`.
    pub fn ended_since(&self, chat_id: i64, user_id: i64, since: Instant) -> bool {
        self.state
            .lock()
            .map(|state| ended_since(&state, chat_id, user_id, since))
            .unwrap_or(true)
    }

    /// Drops cached answers for `user_id` in `chat_id` (every user when `None`).
    pub fn forget(&self, chat_id: i64, user_id: Option<i64>) {
        if let Ok(mut state) = self.state.lock() {
            match user_id {
                Some(user_id) => {
                    state.cache.remove(&(chat_id, user_id));
                }
                None => state.cache.retain(|(chat, _), _| *chat != chat_id),
            }
            if state.ended.len() > 10_000 {
                state.ended.retain(|_, at| at.elapsed() < TOMBSTONE_TTL);
            }
            state.ended.insert((chat_id, user_id), Instant::now());
        }
    }

    /// Drops every cached answer (after invalidations may have been lost).
    pub fn forget_all(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.cache.clear();
        }
    }
}

fn ended_since(state: &State, chat_id: i64, user_id: i64, since: Instant) -> bool {
    [Some(user_id), None]
        .into_iter()
        .filter_map(|who| state.ended.get(&(chat_id, who)))
        .any(|at| *at >= since)
}
