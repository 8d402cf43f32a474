//! Clients of the peer services: auth (`Users`: names and avatars of members) and
//! message (`Unread`: unread counts and last messages for the chat list). Both
//! connect lazily so the service starts while its peers are down.

use crate::error::PeerError;
use chorus_kit::grpc::Channel;
use chorus_proto::auth::v1 as auth;
use chorus_proto::message::v1 as message;
use chorus_proto::{ChatId, FileId, UserId};
use std::collections::HashMap;

/// Auth answers at most this many ids per `Users.GetMany`.
const USERS_PER_CALL: usize = 1000;

#[derive(Clone)]
pub struct Peers {
    users: auth::users_client::UsersClient<Channel>,
    unread: message::unread_client::UnreadClient<Channel>,
}

/// A user as the chat service shows it.
#[derive(Debug, Clone)]
pub struct UserInfo {
    pub id: UserId,
    pub username: String,
    /// The stored display name (no fallback).
    pub display_name: Option<String>,
    pub avatar_file_id: Option<FileId>,
    pub is_active: bool,
    /// Their `last_seen_visibility` is `nobody`: non-admins never learn whether
    /// they are online (§5.2, §7.3).
    pub hides_presence: bool,
}

impl UserInfo {
    /// Display name falling back to the username (everywhere but §7.4 members).
    pub fn shown_name(&self) -> String {
        self.display_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.username.clone())
    }
}

impl From<auth::User> for UserInfo {
    fn from(u: auth::User) -> Self {
        Self {
            id: UserId(u.id),
            username: u.username,
            display_name: u.display_name,
            avatar_file_id: u.avatar_file_id.map(FileId),
            is_active: u.is_active,
            hides_presence: u.last_seen_visibility == "nobody",
        }
    }
}

/// One chat's line in the list, from the message service.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub unread_count: i64,
    pub last_message: Option<String>,
    pub last_at_micros: Option<i64>,
}

impl Peers {
    pub fn new(auth_grpc_url: &str, message_grpc_url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            users: auth::users_client::UsersClient::new(chorus_kit::grpc::channel(auth_grpc_url)?),
            unread: message::unread_client::UnreadClient::new(chorus_kit::grpc::channel(
                message_grpc_url,
            )?),
        })
    }

    /// Users by id (active or not); ids auth does not know are absent.
    pub async fn users(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserInfo>, PeerError> {
        let mut ids: Vec<i64> = ids.iter().copied().map(i64::from).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut found = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(USERS_PER_CALL) {
            let reply = self
                .users
                .clone()
                .get_many(auth::GetManyUsersRequest {
                    ids: chunk.to_vec(),
                })
                .await
                .map_err(|status| PeerError::new("auth Users.GetMany", status))?
                .into_inner();
            found.extend(
                reply
                    .users
                    .into_iter()
                    .map(|u| (UserId(u.id), UserInfo::from(u))),
            );
        }
        Ok(found)
    }

    /// An active user by username; `None` when auth does not know them.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserInfo>, PeerError> {
        let reply = self
            .users
            .clone()
            .get_by_username(auth::GetByUsernameRequest {
                username: username.to_string(),
            })
            .await;
        match reply {
            Ok(user) => Ok(Some(user.into_inner().into())),
            Err(status) if status.code() == tonic::Code::NotFound => Ok(None),
            Err(status) => Err(PeerError::new("auth Users.GetByUsername", status)),
        }
    }

    /// Unread counts and last messages of `chat_ids` for `user_id`, or `None`
    /// when the message service cannot answer (logged once; the caller degrades).
    pub async fn summaries(
        &self,
        user_id: UserId,
        chat_ids: &[ChatId],
    ) -> Option<HashMap<ChatId, Summary>> {
        if chat_ids.is_empty() {
            return Some(HashMap::new());
        }
        let reply = self
            .unread
            .clone()
            .summaries(message::SummariesRequest {
                user_id: user_id.0,
                chat_ids: chat_ids.iter().copied().map(i64::from).collect(),
            })
            .await;
        match reply {
            Ok(reply) => Some(
                reply
                    .into_inner()
                    .summaries
                    .into_iter()
                    .map(|s| {
                        let summary = Summary {
                            unread_count: s.unread_count,
                            last_message: s.last_message,
                            last_at_micros: s.last_at_micros,
                        };
                        (ChatId(s.chat_id), summary)
                    })
                    .collect(),
            ),
            Err(status) => {
                tracing::error!(code = ?status.code(), message = status.message(), "Unread.Summaries failed; chat list without unread counts");
                None
            }
        }
    }
}
