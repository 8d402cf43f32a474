//! What the chat service asks of other services, behind traits so they plug in
//! without touching the handlers (and tests can fake them): presence (who is
//! online) and media (file ownership, presigned URLs), both over gRPC by default.

use crate::error::PeerError;
pub use chorus_media_client::File;
use chorus_media_client::MediaClient;
use chorus_proto::presence::v1 as presence_pb;
use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tonic::transport::Channel;

/// Who is online right now (§17.1).
pub trait Presence: Send + Sync + 'static {
    /// The subset of `ids` that is online.
    fn online_many<'a>(&'a self, ids: &'a [i64]) -> BoxFuture<'a, HashSet<i64>>;
}

/// The presence service's `OnlineMany`. The chat list must not hang on it:
/// after one second, or on any error, nobody is online (logged).
pub struct GrpcPresence {
    client: presence_pb::presence_client::PresenceClient<Channel>,
}

impl GrpcPresence {
    /// Connects lazily, so chat starts while presence is down.
    pub fn new(url: &str) -> Result<Self, tonic::transport::Error> {
        Ok(Self {
            client: presence_pb::presence_client::PresenceClient::new(chorus_kit::grpc::channel(
                url,
            )?),
        })
    }
}

impl Presence for GrpcPresence {
    fn online_many<'a>(&'a self, ids: &'a [i64]) -> BoxFuture<'a, HashSet<i64>> {
        const DEADLINE: Duration = Duration::from_secs(1);
        Box::pin(async move {
            if ids.is_empty() {
                return HashSet::new();
            }
            let request = presence_pb::OnlineManyRequest {
                user_ids: ids.to_vec(),
            };
            let mut client = self.client.clone();
            let call = client.online_many(chorus_kit::grpc::request(request, DEADLINE));
            match chorus_kit::grpc::within(DEADLINE, call).await {
                Ok(reply) => reply.into_inner().online_user_ids.into_iter().collect(),
                Err(status) => {
                    tracing::warn!(error = %status, "presence OnlineMany failed; nobody online");
                    HashSet::new()
                }
            }
        })
    }
}

/// Nobody is online (for tests and tools without a presence service).
pub struct NoPresence;

impl Presence for NoPresence {
    fn online_many<'a>(&'a self, _ids: &'a [i64]) -> BoxFuture<'a, HashSet<i64>> {
        Box::pin(async { HashSet::new() })
    }
}

/// Uploaded files: ownership for the chat avatar (§7.8) and presigned URLs.
pub trait Media: Send + Sync + 'static {
    /// The file (uploader, fresh URL), if it exists; an error when media cannot tell.
    fn file(&self, file_id: i64) -> BoxFuture<'_, Result<Option<File>, PeerError>>;
    /// Presigned URLs of the files that exist, in one batch (none on failure, logged).
    fn urls<'a>(&'a self, file_ids: &'a [i64]) -> BoxFuture<'a, HashMap<i64, String>>;
}

impl Media for MediaClient {
    fn file(&self, file_id: i64) -> BoxFuture<'_, Result<Option<File>, PeerError>> {
        Box::pin(async move {
            MediaClient::file(self, file_id)
                .await
                .map_err(|status| PeerError::new("media Files.Get", status))
        })
    }
    fn urls<'a>(&'a self, file_ids: &'a [i64]) -> BoxFuture<'a, HashMap<i64, String>> {
        Box::pin(MediaClient::urls(self, file_ids))
    }
}
