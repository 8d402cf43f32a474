//! What the chat service asks of other services, behind traits so they plug in
//! without touching the handlers (and tests can fake them): presence (who is
//! online, the presence service over gRPC by default) and media (file
//! ownership, presigned URLs; "no file" until the media service exists).

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
    /// Whether `file_id` exists and was uploaded by `user_id`.
    fn owned_by(&self, file_id: i64, user_id: i64) -> BoxFuture<'_, anyhow::Result<bool>>;
    /// Presigned URLs of the files that exist, in one batch.
    fn urls<'a>(&'a self, file_ids: &'a [i64]) -> BoxFuture<'a, HashMap<i64, String>>;
}

/// No file exists (until the media service exists).
pub struct NoMedia;

impl Media for NoMedia {
    fn owned_by(&self, _file_id: i64, _user_id: i64) -> BoxFuture<'_, anyhow::Result<bool>> {
        Box::pin(async { Ok(false) })
    }
    fn urls<'a>(&'a self, _file_ids: &'a [i64]) -> BoxFuture<'a, HashMap<i64, String>> {
        Box::pin(async { HashMap::new() })
    }
}
