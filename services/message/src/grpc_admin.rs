//! The `MessageAdmin` gRPC service: what the admin service needs of messages.

use crate::db::admin::{self, Filter};
use crate::domain::moderation;
use crate::error::Error;
use crate::grpc::Grpc;
use chorus_proto::message::v1 as pb;
use chorus_proto::{ChatId, MessageId, UserId};
use tonic::{Request, Response, Status};

/// Upper bound on messages per page.
const MAX_PAGE: i32 = 100;

#[tonic::async_trait]
impl pb::message_admin_server::MessageAdmin for Grpc {
    async fn message_stats(
        &self,
        _req: Request<pb::MessageStatsRequest>,
    ) -> Result<Response<pb::MessageStatsReply>, Status> {
        let db = &self.0.db;
        let (totals, trend) =
            tokio::try_join!(admin::totals(db), admin::trend(db)).map_err(Error::from)?;
        Ok(Response::new(pb::MessageStatsReply {
            total_messages: totals.total,
            messages_today: totals.today,
            msg_trend: trend
                .into_iter()
                .map(|(day, count)| pb::DayCount {
                    day: day.format("%Y-%m-%d").to_string(),
                    count,
                })
                .collect(),
        }))
    }

    async fn list_messages(
        &self,
        req: Request<pb::ListMessagesRequest>,
    ) -> Result<Response<pb::ListMessagesReply>, Status> {
        let r = req.into_inner();
        let filter = Filter {
            sender_id: r.sender_id.map(UserId),
            chat_id: r.chat_id.map(ChatId),
            pattern: (!r.query.is_empty()).then(|| chorus_kit::db::ilike_substring(&r.query)),
        };
        let limit = i64::from(r.limit.clamp(1, MAX_PAGE));
        let db = &self.0.db;
        let page = admin::page(db, &filter, r.offset.max(0), limit);
        let (rows, total) = if filter.is_empty() {
            let (rows, totals) = tokio::try_join!(page, admin::totals(db)).map_err(Error::from)?;
            (rows, totals.total)
        } else {
            tokio::try_join!(page, admin::count(db, &filter)).map_err(Error::from)?
        };
        let messages = rows
            .into_iter()
            .map(|m| pb::AdminMessage {
                id: m.id,
                chat_id: m.chat_id,
                sender_id: m.sender_id,
                content: Some(m.content),
                message_type: m.message_type,
                created_at_micros: m.created_at.timestamp_micros(),
                is_deleted: m.is_deleted,
            })
            .collect();
        Ok(Response::new(pb::ListMessagesReply { messages, total }))
    }

    async fn post_as(
        &self,
        req: Request<pb::PostAsRequest>,
    ) -> Result<Response<pb::Posted>, Status> {
        let r = req.into_inner();
        let row =
            moderation::post_as(&self.0, ChatId(r.chat_id), UserId(r.sender_id), r.content).await?;
        Ok(Response::new(pb::Posted {
            id: row.id.0,
            chat_id: row.chat_id.0,
            created_at_micros: row.created_at.timestamp_micros(),
        }))
    }

    async fn moderate_delete(
        &self,
        req: Request<pb::ModerateDeleteRequest>,
    ) -> Result<Response<pb::Moderated>, Status> {
        let id = MessageId(req.into_inner().message_id);
        let chat_id = moderation::delete(&self.0, id).await?;
        Ok(Response::new(pb::Moderated { chat_id: chat_id.0 }))
    }
}
