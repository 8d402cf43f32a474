//! Clients of the peer services: chat's `Membership` (with a short cache of
//! positive answers, invalidated by member/chat events) and auth's `Users`.

use crate::error::{Error, Result};
use chorus_kit::grpc::Channel;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::{ChatId, ChatType, FileId, Role, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A member's standing in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub chat_type: ChatType,
    pub role: Role,
}

impl Standing {
    /// The standing from the chat service's strings. Text it does not know
    /// grants nothing: an unknown role is a plain member, an unknown chat type
    /// is not a channel.
    pub fn parse(chat_type: &str, role: &str) -> Self {
        Self {
            chat_type: ChatType::parse(chat_type).unwrap_or(ChatType::Group),
            role: Role::parse(role).unwrap_or(Role::Member),
        }
    }
    pub fn is_admin(self) -> bool {
        self.role.manages()
    }
    /// Channels accept posts (and forwards, pins) only from owners and admins (§7.12).
    pub fn may_post(self) -> bool {
        self.chat_type != ChatType::Channel || self.is_admin()
    }
}

type CacheMap = HashMap<(ChatId, UserId), (Standing, Instant)>;

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
    pub async fn role(&self, chat_id: ChatId, user_id: UserId) -> Result<Option<Standing>> {
        if !self.ttl.is_zero()
            && let Ok(cache) = self.cache.lock()
            && let Some((role, at)) = cache.get(&(chat_id, user_id))
            && at.elapsed() < self.ttl
        {
            return Ok(Some(*role));
        }
        let reply = self
            .client
            .clone()
            .get_role(chat_pb::GetRoleRequest {
                chat_id: chat_id.0,
                user_id: user_id.0,
            })
            .await
            .map_err(Error::Peer)?
            .into_inner();
        if !reply.chat_exists || !reply.is_member {
            return Ok(None);
        }
        let role = Standing::parse(&reply.chat_type, &reply.role);
        if !self.ttl.is_zero()
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() > 100_000 {
                cache.clear();
            }
            cache.insert((chat_id, user_id), (role, Instant::now()));
        }
        Ok(Some(role))
    }

    /// The standing, or [`Error::NotMember`].
    pub async fn require(&self, chat_id: ChatId, user_id: UserId) -> Result<Standing> {
        self.role(chat_id, user_id).await?.ok_or(Error::NotMember)
    }

    /// Current members' user ids.
    pub async fn members(&self, chat_id: ChatId) -> Result<Vec<UserId>> {
        let reply = self
            .client
            .clone()
            .list_members(chat_pb::ListMembersRequest { chat_id: chat_id.0 })
            .await
            .map_err(Error::Peer)?
            .into_inner();
        Ok(reply
            .members
            .into_iter()
            .map(|m| UserId(m.user_id))
            .collect())
    }

    pub fn forget(&self, chat_id: ChatId, user_id: UserId) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(&(chat_id, user_id));
        }
    }

    pub fn forget_chat(&self, chat_id: ChatId) {
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
    pub avatar_file_id: Option<FileId>,
    pub read_receipts_enabled: bool,
}

type UserCache = HashMap<UserId, (UserInfo, Instant)>;

/// Auth's `Users`, with a short cache for rendering messages: a message carries
/// its sender's name and avatar, and asking auth for them on every send and
/// every history page cost a gRPC call and a query each. Privacy settings
/// (read receipts) are always asked afresh ([`Users::many`]). Entries are dropped on `user.updated` (see
/// `events::MembershipEvents`); the TTL bounds what another replica, which did
/// not receive that event, can show.
#[derive(Clone)]
pub struct Users {
    client: auth_pb::users_client::UsersClient<Channel>,
    ttl: Duration,
    cache: Arc<Mutex<UserCache>>,
}

impl Users {
    pub fn new(channel: Channel, ttl_ms: u64) -> Self {
        Self {
            client: auth_pb::users_client::UsersClient::new(channel),
            ttl: Duration::from_millis(ttl_ms),
            cache: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// [`many`](Self::many), answered from the cache where it is fresh.
    pub async fn many_cached(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserInfo>> {
        if self.ttl.is_zero() {
            return self.many(ids).await;
        }
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        if let Ok(cache) = self.cache.lock() {
            for id in ids {
                match cache.get(id) {
                    Some((user, at)) if at.elapsed() < self.ttl => {
                        found.insert(*id, user.clone());
                    }
                    _ => missing.push(*id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let fetched = self.many(&missing).await?;
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() > 100_000 {
                cache.clear();
            }
            let now = Instant::now();
            for (id, user) in &fetched {
                cache.insert(*id, (user.clone(), now));
            }
        }
        found.extend(fetched);
        Ok(found)
    }

    /// Drops a user's cached entry (their profile changed).
    pub fn forget(&self, user_id: UserId) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(&user_id);
        }
    }

    /// The given users in one call; unknown ids are absent.
    pub async fn many(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserInfo>> {
        let mut ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
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
                    UserId(u.id),
                    UserInfo {
                        username: u.username,
                        name,
                        is_admin: u.is_admin,
                        avatar_file_id: u.avatar_file_id.map(FileId),
                        read_receipts_enabled: u.read_receipts_enabled,
                    },
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_owners_and_admins_post_in_channels_and_unknown_text_grants_nothing() {
        let may_post = |t: &str, r: &str| Standing::parse(t, r).may_post();
        assert!(may_post("group", "member"));
        assert!(may_post("direct", "member"));
        assert!(may_post("channel", "admin"));
        assert!(may_post("channel", "owner"));
        assert!(!may_post("channel", "member"));
        assert!(!may_post("channel", "superuser"));
        assert!(!Standing::parse("group", "Owner").is_admin());
    }
}
