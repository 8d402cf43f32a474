//! An in-process stand-in for the chat service's `Membership` (a gRPC server on
//! a loopback port): chats, their type and members as the test declares them,
//! answered as the chat service answers from its tables. Chat's own tests run
//! one contract against both (`services/chat/tests/api/fakes_contract.rs`).

use crate::in_process::{InProcessServer, Locked};
use chorus_proto::chat::v1 as pb;
use std::collections::BTreeMap;
use tonic::{Request, Response, Status};

struct Member {
    user_id: i64,
    role: String,
    /// Unix microseconds; members added together share it, as rows inserted in
    /// one transaction share `now()`.
    joined_at: i64,
}

struct Chat {
    kind: String,
    members: Vec<Member>,
}

#[derive(Default)]
struct Chats {
    chats: BTreeMap<i64, Chat>,
    /// The last `joined_at` handed out: each join is later than the one before.
    clock: i64,
}

impl Chats {
    fn tick(&mut self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
        self.clock = now.max(self.clock + 1);
        self.clock
    }
}

type Shared = Locked<Chats>;

/// The fake `Membership`; the server stops when this is dropped.
pub struct FakeMembership {
    shared: Shared,
    server: InProcessServer,
}

impl FakeMembership {
    /// Serves `Membership` on 127.0.0.1 (a free port), with no chats.
    pub async fn start() -> anyhow::Result<Self> {
        let shared = Shared::default();
        let server = InProcessServer::serve(
            tonic::transport::Server::builder()
                .add_service(pb::membership_server::MembershipServer::new(shared.clone())),
        )
        .await?;
        Ok(Self { shared, server })
    }

    /// `http://127.0.0.1:<port>`, for a service's `chat_grpc_url`.
    pub fn grpc_url(&self) -> String {
        self.server.grpc_url()
    }

    /// Creates (or replaces) chat `id` of `kind` (`direct`, `group`,
    /// `channel`) with `members` as (user id, role), all joining now, as
    /// chat creation adds them.
    pub fn chat(&self, id: i64, kind: &str, members: &[(i64, &str)]) {
        self.shared.with(|s| {
            let joined_at = s.tick();
            let mut list: Vec<Member> = Vec::with_capacity(members.len());
            for (user_id, role) in members {
                // As the table's primary key: one row per user.
                list.retain(|m| m.user_id != *user_id);
                list.push(Member {
                    user_id: *user_id,
                    role: (*role).to_string(),
                    joined_at,
                });
            }
            s.chats.insert(
                id,
                Chat {
                    kind: kind.to_string(),
                    members: list,
                },
            );
        });
    }

    /// Adds `user_id` to an existing chat with `role`, joining now; a member
    /// already keeps their place and gets `role`. False when there is no such chat.
    pub fn join(&self, chat_id: i64, user_id: i64, role: &str) -> bool {
        self.shared.with(|s| {
            let joined_at = s.tick();
            let Some(chat) = s.chats.get_mut(&chat_id) else {
                return false;
            };
            match chat.members.iter_mut().find(|m| m.user_id == user_id) {
                Some(member) => member.role = role.to_string(),
                None => chat.members.push(Member {
                    user_id,
                    role: role.to_string(),
                    joined_at,
                }),
            }
            true
        })
    }

    /// Removes a member (leaving or removed); the chat remains, even empty.
    pub fn leave(&self, chat_id: i64, user_id: i64) {
        self.shared.with(|s| {
            if let Some(chat) = s.chats.get_mut(&chat_id) {
                chat.members.retain(|m| m.user_id != user_id);
            }
        });
    }

    /// Deletes a chat and its memberships.
    pub fn delete(&self, chat_id: i64) {
        self.shared.with(|s| s.chats.remove(&chat_id));
    }

    /// Whether the chat exists.
    pub fn exists(&self, chat_id: i64) -> bool {
        self.shared.with(|s| s.chats.contains_key(&chat_id))
    }

    /// The chats `user_id` is a member of, ascending.
    pub fn chats_of(&self, user_id: i64) -> Vec<i64> {
        self.shared.with(|s| {
            s.chats
                .iter()
                .filter(|(_, chat)| chat.members.iter().any(|m| m.user_id == user_id))
                .map(|(id, _)| *id)
                .collect()
        })
    }
}

#[tonic::async_trait]
impl pb::membership_server::Membership for Shared {
    async fn get_role(
        &self,
        req: Request<pb::GetRoleRequest>,
    ) -> Result<Response<pb::RoleReply>, Status> {
        let r = req.into_inner();
        let reply = self.with(|s| match s.chats.get(&r.chat_id) {
            None => pb::RoleReply::default(),
            Some(chat) => {
                let role = chat
                    .members
                    .iter()
                    .find(|m| m.user_id == r.user_id)
                    .map(|m| m.role.clone());
                pb::RoleReply {
                    chat_exists: true,
                    chat_type: chat.kind.clone(),
                    is_member: role.is_some(),
                    role: role.unwrap_or_default(),
                }
            }
        });
        Ok(Response::new(reply))
    }

    async fn list_user_chats(
        &self,
        req: Request<pb::ListUserChatsRequest>,
    ) -> Result<Response<pb::ListUserChatsReply>, Status> {
        let user_id = req.into_inner().user_id;
        // Chat ids ascending, as the chat service orders them.
        let chat_ids = self.with(|s| {
            s.chats
                .iter()
                .filter(|(_, chat)| chat.members.iter().any(|m| m.user_id == user_id))
                .map(|(id, _)| *id)
                .collect()
        });
        Ok(Response::new(pb::ListUserChatsReply { chat_ids }))
    }

    async fn list_members(
        &self,
        req: Request<pb::ListMembersRequest>,
    ) -> Result<Response<pb::ListMembersReply>, Status> {
        let chat_id = req.into_inner().chat_id;
        let reply = self.with(|s| match s.chats.get(&chat_id) {
            None => pb::ListMembersReply::default(),
            Some(chat) => {
                let mut members: Vec<pb::Member> = chat
                    .members
                    .iter()
                    .map(|m| pb::Member {
                        user_id: m.user_id,
                        role: m.role.clone(),
                        joined_at_micros: m.joined_at,
                    })
                    .collect();
                // As the chat service: joined_at, then user id.
                members.sort_by_key(|m| (m.joined_at_micros, m.user_id));
                pb::ListMembersReply {
                    chat_exists: true,
                    members,
                }
            }
        });
        Ok(Response::new(reply))
    }

    async fn list_contacts(
        &self,
        req: Request<pb::ListContactsRequest>,
    ) -> Result<Response<pb::ListContactsReply>, Status> {
        let user_id = req.into_inner().user_id;
        let mut user_ids: Vec<i64> = self.with(|s| {
            s.chats
                .values()
                .filter(|chat| chat.members.iter().any(|m| m.user_id == user_id))
                .flat_map(|chat| chat.members.iter().map(|m| m.user_id))
                .filter(|id| *id != user_id)
                .collect()
        });
        // Distinct and ascending, as the chat service answers.
        user_ids.sort_unstable();
        user_ids.dedup();
        Ok(Response::new(pb::ListContactsReply { user_ids }))
    }
}
