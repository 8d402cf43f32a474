//! An in-process stand-in for the message service's `Unread` (a gRPC server on
//! a loopback port): per-user chat summaries as the test sets them, answered as
//! the message service answers from its tables; it also records every call.
//! The message service's own tests run one contract against both
//! (`services/message/tests/api/fakes_contract.rs`).

use chorus_proto::message::v1 as pb;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tonic::{Request, Response, Status};

/// Most chats per call, as the message service accepts.
pub const MAX_SUMMARY_CHATS: usize = 5000;

#[derive(Default)]
struct State {
    /// (user, chat) → summary
    summaries: HashMap<(i64, i64), pb::ChatSummary>,
    calls: Vec<pb::SummariesRequest>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<State>>);

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.0.lock() {
            Ok(mut state) => f(&mut state),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

/// The fake `Unread`; the server stops when this is dropped.
pub struct FakeUnread {
    shared: Shared,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeUnread {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeUnread {
    /// Serves `Unread` on 127.0.0.1 (a free port): every chat without
    /// messages until the test says otherwise.
    pub async fn start() -> anyhow::Result<Self> {
        let shared = Shared::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let router = tonic::transport::Server::builder()
            .add_service(pb::unread_server::UnreadServer::new(shared.clone()));
        let task = tokio::spawn(async move {
            let incoming = tonic::transport::server::TcpIncoming::from(listener);
            let _ = router.serve_with_incoming(incoming).await;
        });
        Ok(Self { shared, addr, task })
    }

    /// `http://127.0.0.1:<port>`, for a service's `message_grpc_url`.
    pub fn grpc_url(&self) -> String {
        format!("http://{}", self.addr)
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
