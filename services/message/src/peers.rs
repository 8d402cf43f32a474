//! Clients of the peer services: chat's `Membership` (with a short cache of
//! positive answers, invalidated by member/chat events) and auth's `Users`.

use crate::error::{Error, Result};
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// A member's standing in a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub chat_type: String,
    pub role: String,
}

impl Role {
    pub fn is_channel(&self) -> bool {
        self.chat_type == "channel"
    }
    pub fn is_admin(&self) -> bool {
        self.role == "owner" || self.role == "admin"
    }
    /// Channels accept posts (and forwards) only from owners and admins (§7.12).
    pub fn may_post(&self) -> bool {
        !self.is_channel() || self.is_admin()
    }
}

type CacheMap = HashMap<(i64, i64), (Role, Instant)>;

#[derive(Clone)]
pub struct Membership {
    client: chat_pb::membership_client::MembershipClient<Channel>,
    ttl: Duration,
    cache: Arc<Mutex<CacheMap>>,
}

impl Membership {
    pub fn new(channel: Channel, ttl_ms: u64) -> Self {
        Self {
            client: chat_pb::membership_client::MembershipClient::new(channel),
            ttl: Duration::from_millis(ttl_ms),
            cache: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The caller's role, or `None` for a non-member or a missing chat. Only
    /// positive answers are cached: a join must take effect at once.
    pub async fn role(&self, chat_id: i64, user_id: i64) -> Result<Option<Role>> {
        if !self.ttl.is_zero()
            && let Ok(cache) = self.cache.lock()
            && let Some((role, at)) = cache.get(&(chat_id, user_id))
            && at.elapsed() < self.ttl
        {
            return Ok(Some(role.clone()));
        }
        let reply = self
            .client
            .clone()
            .get_role(chat_pb::GetRoleRequest { chat_id, user_id })
            .await
            .map_err(Error::Peer)?
            .into_inner();
        if !reply.chat_exists || !reply.is_member {
            return Ok(None);
        }
        let role = Role {
            chat_type: reply.chat_type,
            role: reply.role,
        };
        if !self.ttl.is_zero()
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() > 100_000 {
                cache.clear();
            }
            cache.insert((chat_id, user_id), (role.clone(), Instant::now()));
        }
        Ok(Some(role))
    }

    /// The role, or `403 Not a member of this chat`.
    pub async fn require(&self, chat_id: Option<i64>, user_id: i64) -> Result<Role> {
        match chat_id {
            Some(chat_id) => self
                .role(chat_id, user_id)
                .await?
                .ok_or_else(Error::not_member),
            None => Err(Error::not_member()),
        }
    }

    /// Current members' user ids.
    pub async fn members(&self, chat_id: i64) -> Result<Vec<i64>> {
        let reply = self
            .client
            .clone()
            .list_members(chat_pb::ListMembersRequest { chat_id })
            .await
            .map_err(Error::Peer)?
            .into_inner();
        Ok(reply.members.into_iter().map(|m| m.user_id).collect())
    }

    pub fn forget(&self, chat_id: i64, user_id: i64) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(&(chat_id, user_id));
        }
    }

    pub fn forget_chat(&self, chat_id: i64) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|(chat, _), _| *chat != chat_id);
        }
    }
}

/// A user as messages show them.
#[derive(Debug, Clone, Default)]
pub struct UserInfo {
    pub username: String,
    /// Display name falling back to the username.
    pub name: String,
    pub is_admin: bool,
    pub avatar_file_id: Option<i64>,
    pub read_receipts_enabled: bool,
}

#[derive(Clone)]
pub struct Users {
    client: auth_pb::users_client::UsersClient<Channel>,
}

impl Users {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: auth_pb::users_client::UsersClient::new(channel),
        }
    }

    /// The given users in one call; unknown ids are absent.
    pub async fn many(&self, ids: &[i64]) -> Result<HashMap<i64, UserInfo>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut users = Vec::with_capacity(ids.len());
        // Auth caps one call at 1000 ids; a page never gets near that.
        for chunk in ids.chunks(1000) {
            let reply = self
                .client
                .clone()
                .get_many(auth_pb::GetManyUsersRequest {
                    ids: chunk.to_vec(),
                })
                .await
                .map_err(Error::Peer)?
                .into_inner();
            users.extend(reply.users);
        }
        Ok(users
            .into_iter()
            .map(|u| {
                let name = u
                    .display_name
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| u.username.clone());
                (
                    u.id,
                    UserInfo {
                        username: u.username,
                        name,
                        is_admin: u.is_admin,
                        avatar_file_id: u.avatar_file_id,
                        read_receipts_enabled: u.read_receipts_enabled,
                    },
                )
            })
            .collect())
    }
}
