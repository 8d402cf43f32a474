//! "Is this user a member of this chat?" for `subscribe` and `typing`, asked of
//! the chat service and remembered briefly. Only positive answers are cached
//! (a user who just joined must not be refused); leaving, removal and deletion
//! invalidate them on every node through the fan-out (`Control::Left`,
//! `Control::Drop`, `Control::Membership`), so the TTL only bounds a lost one.

use chorus_proto::chat::v1::GetRoleRequest;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// Bound on cached answers; the map is cleared when it grows past it.
const MAX_ENTRIES: usize = 200_000;

pub struct Membership {
    client: MembershipClient<Channel>,
    ttl: Duration,
    cache: Mutex<HashMap<(i64, i64), Instant>>,
}

impl Membership {
    pub fn new(channel: Channel, ttl_ms: u64) -> Self {
        Self {
            client: MembershipClient::new(channel),
            ttl: Duration::from_millis(ttl_ms),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub async fn is_member(&self, chat_id: i64, user_id: i64) -> Result<bool, tonic::Status> {
        let key = (chat_id, user_id);
        if let Ok(cache) = self.cache.lock()
            && cache.get(&key).is_some_and(|at| at.elapsed() < self.ttl)
        {
            return Ok(true);
        }
        let reply = self
            .client
            .clone()
            .get_role(GetRoleRequest { chat_id, user_id })
            .await?
            .into_inner();
        if reply.is_member
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() >= MAX_ENTRIES {
                cache.clear();
            }
            cache.insert(key, Instant::now());
        }
        Ok(reply.is_member)
    }

    /// Drops cached answers for `user_id` in `chat_id` (every user when `None`).
    pub fn forget(&self, chat_id: i64, user_id: Option<i64>) {
        if let Ok(mut cache) = self.cache.lock() {
            match user_id {
                Some(user_id) => {
                    cache.remove(&(chat_id, user_id));
                }
                None => cache.retain(|(chat, _), _| *chat != chat_id),
            }
        }
    }
}
