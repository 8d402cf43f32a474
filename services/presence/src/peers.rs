//! Clients of the peer services a broadcast needs: auth's `Users` (who the
//! subject is and whom they let see their presence) and chat's `Membership`
//! (the audience). Every call has a 2 s deadline, enforced on both sides.

use chorus_kit::grpc::Channel;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use std::future::Future;
use std::time::Duration;
use tonic::{Request, Status};

const DEADLINE: Duration = Duration::from_secs(2);

/// `last_seen_visibility` (CONTRACT §17.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Everyone,
    ApproxOnly,
    Nobody,
}

impl Visibility {
    /// Missing or empty ⇒ `everyone` (no settings row). A value this service
    /// does not know is treated as `nobody`: better silent than leaking.
    pub fn parse(value: &str) -> Self {
        match value {
            "" | "everyone" => Self::Everyone,
            "approx_only" => Self::ApproxOnly,
            "nobody" => Self::Nobody,
            other => {
                tracing::warn!(
                    visibility = other,
                    "unknown last_seen_visibility; treated as nobody"
                );
                Self::Nobody
            }
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::ApproxOnly => "approx_only",
            Self::Nobody => "nobody",
        }
    }
}

/// The subject of a broadcast as auth knows it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub username: String,
    pub visibility: Visibility,
}

#[derive(Clone)]
pub struct Peers {
    users: auth_pb::users_client::UsersClient<Channel>,
    membership: chat_pb::membership_client::MembershipClient<Channel>,
}

fn request<T>(message: T) -> Request<T> {
    chorus_kit::grpc::request(message, DEADLINE)
}

async fn within<T>(call: impl Future<Output = Result<T, Status>>) -> Result<T, Status> {
    chorus_kit::grpc::within(DEADLINE, call).await
}

impl Peers {
    pub fn new(auth_url: &str, chat_url: &str) -> Result<Self, tonic::transport::Error> {
        Ok(Self {
            users: auth_pb::users_client::UsersClient::new(chorus_kit::grpc::channel(auth_url)?),
            membership: chat_pb::membership_client::MembershipClient::new(
                chorus_kit::grpc::channel(chat_url)?,
            ),
        })
    }

    /// The user's username and visibility; `None` when auth does not know them.
    pub async fn subject(&self, user_id: i64) -> Result<Option<Subject>, Status> {
        let mut client = self.users.clone();
        let reply =
            within(client.get_many(request(auth_pb::GetManyUsersRequest { ids: vec![user_id] })))
                .await?
                .into_inner();
        Ok(reply
            .users
            .into_iter()
            .find(|u| u.id == user_id)
            .map(|u| Subject {
                visibility: Visibility::parse(&u.last_seen_visibility),
                username: u.username,
            }))
    }

    /// Distinct users sharing a chat with `user_id`, never `user_id` itself.
    pub async fn contacts(&self, user_id: i64) -> Result<Vec<i64>, Status> {
        let mut client = self.membership.clone();
        let reply = within(client.list_contacts(request(chat_pb::ListContactsRequest { user_id })))
            .await?
            .into_inner();
        Ok(reply
            .user_ids
            .into_iter()
            .filter(|id| *id != user_id)
            .collect())
    }

    /// Every chat `user_id` is a member of.
    pub async fn chats(&self, user_id: i64) -> Result<Vec<i64>, Status> {
        let mut client = self.membership.clone();
        let reply =
            within(client.list_user_chats(request(chat_pb::ListUserChatsRequest { user_id })))
                .await?
                .into_inner();
        Ok(reply.chat_ids)
    }
}
