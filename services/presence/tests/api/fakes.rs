//! Stand-ins for what a presence test does not run: auth's `Users` and chat's
//! `Membership`, served over real gRPC on a loopback port, answering whatever
//! the test put in them.

use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tonic::{Request, Response, Status};

#[derive(Default)]
struct State {
    /// id → (username, last_seen_visibility)
    users: HashMap<i64, (String, String)>,
    contacts: HashMap<i64, Vec<i64>>,
    chats: HashMap<i64, Vec<i64>>,
    users_down: bool,
}

/// Both peers at once; clones share their state.
#[derive(Clone, Default)]
pub struct Peers(Arc<Mutex<State>>);

impl Peers {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.0.lock() {
            Ok(mut state) => f(&mut state),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    pub fn user(&self, id: i64, username: &str, visibility: &str) {
        self.with(|s| {
            s.users
                .insert(id, (username.to_string(), visibility.to_string()))
        });
    }

    pub fn contacts(&self, id: i64, contacts: &[i64]) {
        self.with(|s| s.contacts.insert(id, contacts.to_vec()));
    }

    pub fn chats(&self, id: i64, chats: &[i64]) {
        self.with(|s| s.chats.insert(id, chats.to_vec()));
    }

    /// Makes `Users.GetMany` fail (or work again).
    pub fn users_down(&self, down: bool) {
        self.with(|s| s.users_down = down);
    }
}

#[tonic::async_trait]
impl auth_pb::users_server::Users for Peers {
    async fn get_many(
        &self,
        req: Request<auth_pb::GetManyUsersRequest>,
    ) -> Result<Response<auth_pb::GetManyUsersResponse>, Status> {
        let ids = req.into_inner().ids;
        let users = self.with(|s| {
            if s.users_down {
                return Err(Status::unavailable("auth is down"));
            }
            Ok(ids
                .iter()
                .filter_map(|id| {
                    let (username, visibility) = s.users.get(id)?.clone();
                    Some(auth_pb::User {
                        id: *id,
                        username,
                        is_active: true,
                        last_seen_visibility: visibility,
                        ..Default::default()
                    })
                })
                .collect())
        })?;
        Ok(Response::new(auth_pb::GetManyUsersResponse { users }))
    }

    async fn get_by_username(
        &self,
        _: Request<auth_pb::GetByUsernameRequest>,
    ) -> Result<Response<auth_pb::User>, Status> {
        Err(Status::not_found("User not found"))
    }
}

#[tonic::async_trait]
impl chat_pb::membership_server::Membership for Peers {
    async fn get_role(
        &self,
        _: Request<chat_pb::GetRoleRequest>,
    ) -> Result<Response<chat_pb::RoleReply>, Status> {
        Ok(Response::new(chat_pb::RoleReply::default()))
    }

    async fn list_user_chats(
        &self,
        req: Request<chat_pb::ListUserChatsRequest>,
    ) -> Result<Response<chat_pb::ListUserChatsReply>, Status> {
        let user_id = req.into_inner().user_id;
        let chat_ids = self.with(|s| s.chats.get(&user_id).cloned().unwrap_or_default());
        Ok(Response::new(chat_pb::ListUserChatsReply { chat_ids }))
    }

    async fn list_members(
        &self,
        _: Request<chat_pb::ListMembersRequest>,
    ) -> Result<Response<chat_pb::ListMembersReply>, Status> {
        Ok(Response::new(chat_pb::ListMembersReply::default()))
    }

    async fn list_contacts(
        &self,
        req: Request<chat_pb::ListContactsRequest>,
    ) -> Result<Response<chat_pb::ListContactsReply>, Status> {
        let user_id = req.into_inner().user_id;
        let user_ids = self.with(|s| s.contacts.get(&user_id).cloned().unwrap_or_default());
        Ok(Response::new(chat_pb::ListContactsReply { user_ids }))
    }
}
