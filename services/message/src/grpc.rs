//! gRPC adapters: History (catch-up by seq for the edge) and Unread (chat-list summaries).

use crate::domain::history;
use crate::error::Error;
use crate::state::AppState;
use crate::{db, events};
use chorus_proto::message::v1 as pb;
use chorus_proto::{ChatId, UserId};
use tonic::{Request, Response, Status};

/// Upper bound on chats per `Unread.Summaries` call.
const MAX_CHATS: usize = 5000;

pub struct Grpc(pub AppState);

#[tonic::async_trait]
impl pb::history_server::History for Grpc {
    async fn after(
        &self,
        req: Request<pb::HistoryRequest>,
    ) -> Result<Response<pb::HistoryReply>, Status> {
        let r = req.into_inner();
        let (rows, enriched_json, has_more) = history::after(
            &self.0,
            ChatId(r.chat_id),
            UserId(r.user_id),
            r.after_seq,
            i64::from(r.limit),
        )
        .await?;
        Ok(Response::new(pb::HistoryReply {
            messages: rows.iter().map(events::to_pb).collect(),
            has_more,
            enriched_json,
        }))
    }
}

#[tonic::async_trait]
impl pb::unread_server::Unread for Grpc {
    async fn summaries(
        &self,
        req: Request<pb::SummariesRequest>,
    ) -> Result<Response<pb::SummariesReply>, Status> {
        let r = req.into_inner();
        if r.chat_ids.len() > MAX_CHATS {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_CHATS} chats per call"
            )));
        }
        let chat_ids: Vec<ChatId> = r.chat_ids.into_iter().map(ChatId).collect();
        let rows = db::reads::summaries(&self.0.db, UserId(r.user_id), &chat_ids)
            .await
            .map_err(Error::from)?;
        Ok(Response::new(pb::SummariesReply {
            summaries: rows
                .into_iter()
                .map(|s| pb::ChatSummary {
                    chat_id: s.chat_id.0,
                    unread_count: s.unread_count,
                    last_message: s.last_message,
                    last_at_micros: s.last_at.map(|t| t.timestamp_micros()),
                })
                .collect(),
        }))
    }
}
