//! The `ChatAdmin` gRPC service: what the admin service needs of chats.

use crate::db::admin::{self, Brief};
use crate::domain::support;
use crate::error::Error;
use crate::grpc::Grpc;
use chorus_proto::chat::v1 as pb;
use chorus_proto::{ChatId, Role, UserId};
use tonic::{Request, Response, Status};

/// Upper bound on chats per `GetChats` call.
const MAX_CHATS: usize = 1000;

fn brief_pb(b: Brief) -> pb::ChatBrief {
    pb::ChatBrief {
        id: b.id.0,
        r#type: b.kind,
        name: b.name,
        title: b.title,
        member_count: b.member_count,
        updated_at_micros: b.updated_at.timestamp_micros(),
    }
}

#[tonic::async_trait]
impl pb::chat_admin_server::ChatAdmin for Grpc {
    async fn chat_stats(
        &self,
        _req: Request<pb::ChatStatsRequest>,
    ) -> Result<Response<pb::ChatStatsReply>, Status> {
        let by_type = admin::counts_by_type(&self.0.db)
            .await
            .map_err(Error::from)?;
        let total = by_type.iter().map(|(_, n)| n).sum();
        Ok(Response::new(pb::ChatStatsReply {
            total,
            by_type: by_type.into_iter().collect(),
        }))
    }

    async fn user_chats(
        &self,
        req: Request<pb::UserChatsRequest>,
    ) -> Result<Response<pb::UserChatsReply>, Status> {
        let user_id = UserId(req.into_inner().user_id);
        let rows = admin::memberships(&self.0.db, user_id)
            .await
            .map_err(Error::from)?;
        let chats = rows
            .into_iter()
            .map(|m| pb::UserChat {
                chat: Some(brief_pb(m.chat)),
                role: m.role,
                joined_at_micros: m.joined_at.timestamp_micros(),
            })
            .collect();
        Ok(Response::new(pb::UserChatsReply { chats }))
    }

    async fn get_chats(
        &self,
        req: Request<pb::GetChatsRequest>,
    ) -> Result<Response<pb::GetChatsReply>, Status> {
        let ids = req.into_inner().ids;
        if ids.len() > MAX_CHATS {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_CHATS} chats per call"
            )));
        }
        let rows = admin::many(&self.0.db, &ids).await.map_err(Error::from)?;
        Ok(Response::new(pb::GetChatsReply {
            chats: rows.into_iter().map(brief_pb).collect(),
        }))
    }

    async fn ensure_direct(
        &self,
        req: Request<pb::EnsureDirectRequest>,
    ) -> Result<Response<pb::ChatRef>, Status> {
        let r = req.into_inner();
        if r.owner_id == r.member_id {
            return Err(Status::invalid_argument("a direct chat needs two users"));
        }
        let id = support::ensure_direct(&self.0, UserId(r.owner_id), UserId(r.member_id)).await?;
        Ok(Response::new(pb::ChatRef { chat_id: id.0 }))
    }

    async fn ensure_member(
        &self,
        req: Request<pb::EnsureMemberRequest>,
    ) -> Result<Response<pb::ChatRef>, Status> {
        let r = req.into_inner();
        let role = Role::parse(&r.role)
            .ok_or_else(|| Status::invalid_argument(format!("unknown role {:?}", r.role)))?;
        support::ensure_member(&self.0, ChatId(r.chat_id), UserId(r.user_id), role).await?;
        Ok(Response::new(pb::ChatRef { chat_id: r.chat_id }))
    }
}
