//! An in-process stand-in for the message service's `Unread` (a gRPC server on
//! a loopback port): per-user chat summaries as the test sets them, answered as
//! the message service answers from its tables; it also records every call.
//! The message service's own tests run one contract against both
//! (`services/message/tests/api/fakes_contract.rs`).

use crate::in_process::{InProcessServer, Locked};
use chorus_proto::message::v1 as pb;
use std::collections::HashMap;
use tonic::{Request, Response, Status};

/// Most chats per call, as the message service accepts.
pub const MAX_SUMMARY_CHATS: usize = 5000;

#[derive(Default)]
struct State {
    /// (user, chat) → summary
    summaries: HashMap<(i64, i64), pb::ChatSummary>,
    calls: Vec<pb::SummariesRequest>,
}

type Shared = Locked<State>;

/// The fake `Unread`; the server stops when this is dropped.
pub struct FakeUnread {
    shared: Shared,
    server: InProcessServer,
}

impl FakeUnread {
    /// Serves `Unread` on 127.0.0.1 (a free port): every chat without
    /// messages until the test says otherwise.
    pub async fn start() -> anyhow::Result<Self> {
        let shared = Shared::default();
        let server = InProcessServer::serve(
            tonic::transport::Server::builder()
                .add_service(pb::unread_server::UnreadServer::new(shared.clone())),
        )
        .await?;
        Ok(Self { shared, server })
    }

    /// `http://127.0.0.1:<port>`, for a service's `message_grpc_url`.
    pub fn grpc_url(&self) -> String {
        self.server.grpc_url()
    }

    /// What `user_id` is told about `summary.chat_id` from now on.
    pub fn set(&self, user_id: i64, summary: pb::ChatSummary) {
        self.shared.with(|s| {
            s.summaries.insert((user_id, summary.chat_id), summary);
        });
    }

    /// Every `Summaries` request so far, oldest first.
    pub fn calls(&self) -> Vec<pb::SummariesRequest> {
        self.shared.with(|s| s.calls.clone())
    }
}

#[tonic::async_trait]
impl pb::unread_server::Unread for Shared {
    async fn summaries(
        &self,
        req: Request<pb::SummariesRequest>,
    ) -> Result<Response<pb::SummariesReply>, Status> {
        let req = req.into_inner();
        if req.chat_ids.len() > MAX_SUMMARY_CHATS {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_SUMMARY_CHATS} chats per call"
            )));
        }
        let summaries = self.with(|s| {
            s.calls.push(req.clone());
            // As the message service: one summary per distinct chat asked
            // for; one without messages has nothing unread and no last message.
            let mut chat_ids = req.chat_ids.clone();
            chat_ids.sort_unstable();
            chat_ids.dedup();
            chat_ids
                .into_iter()
                .map(|chat_id| {
                    s.summaries
                        .get(&(req.user_id, chat_id))
                        .cloned()
                        .unwrap_or(pb::ChatSummary {
                            chat_id,
                            ..Default::default()
                        })
                })
                .collect()
        });
        Ok(Response::new(pb::SummariesReply { summaries }))
    }
}
