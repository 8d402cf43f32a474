//! The `Membership` gRPC service: who belongs to which chat, one cheap query each.

use crate::db::members;
use crate::error::Error;
use crate::state::AppState;
use chorus_proto::chat::v1 as pb;
use chorus_proto::{ChatId, UserId};
use tonic::{Request, Response, Status};

pub struct Grpc(pub AppState);

#[tonic::async_trait]
impl pb::membership_server::Membership for Grpc {
    async fn get_role(
        &self,
        req: Request<pb::GetRoleRequest>,
    ) -> Result<Response<pb::RoleReply>, Status> {
        let r = req.into_inner();
        let found = members::role_in(&self.0.db, ChatId(r.chat_id), UserId(r.user_id))
            .await
            .map_err(Error::from)?;
        let reply = match found {
            None => pb::RoleReply::default(),
            Some((chat_type, role)) => pb::RoleReply {
                chat_exists: true,
                chat_type,
                is_member: role.is_some(),
                role: role.unwrap_or_default(),
            },
        };
        Ok(Response::new(reply))
    }

    async fn list_user_chats(
        &self,
        req: Request<pb::ListUserChatsRequest>,
    ) -> Result<Response<pb::ListUserChatsReply>, Status> {
        let user_id = UserId(req.into_inner().user_id);
        let chat_ids = members::chats_of(&self.0.db, user_id)
            .await
            .map_err(Error::from)?;
        let chat_ids = chat_ids.into_iter().map(i64::from).collect();
        Ok(Response::new(pb::ListUserChatsReply { chat_ids }))
    }

    async fn list_members(
        &self,
        req: Request<pb::ListMembersRequest>,
    ) -> Result<Response<pb::ListMembersReply>, Status> {
        let chat_id = ChatId(req.into_inner().chat_id);
        let rows = members::list(&self.0.db, chat_id)
            .await
            .map_err(Error::from)?;
        // A chat always has members unless its last one left; only then ask whether it exists.
        let chat_exists = !rows.is_empty()
            || members::chat_exists(&self.0.db, chat_id)
                .await
                .map_err(Error::from)?;
        let members = rows
            .into_iter()
            .map(|m| pb::Member {
                user_id: m.user_id.0,
                role: m.role.as_str().to_string(),
                joined_at_micros: m.joined_at.timestamp_micros(),
            })
            .collect();
        Ok(Response::new(pb::ListMembersReply {
            chat_exists,
            members,
        }))
    }

    async fn list_contacts(
        &self,
        req: Request<pb::ListContactsRequest>,
    ) -> Result<Response<pb::ListContactsReply>, Status> {
        let user_id = UserId(req.into_inner().user_id);
        let user_ids = members::contacts(&self.0.db, user_id)
            .await
            .map_err(Error::from)?;
        let user_ids = user_ids.into_iter().map(i64::from).collect();
        Ok(Response::new(pb::ListContactsReply { user_ids }))
    }
}
