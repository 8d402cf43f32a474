//! What the chat service asks of other services, behind traits so they plug in
//! without touching the handlers (and tests can fake them): presence (who is
//! online) and media (file ownership, presigned URLs), both over gRPC by default.

use crate::error::PeerError;
pub use chorus_media_client::File;
use chorus_media_client::MediaClient;
use chorus_presence_client::PresenceClient;
use chorus_proto::UserId;
use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};

/// Who is online right now (§17.1).
pub trait Presence: Send + Sync + 'static {
    /// The subset of `ids` that is online.
    fn online_many<'a>(&'a self, ids: &'a [UserId]) -> BoxFuture<'a, HashSet<UserId>>;
}

/// The presence service's `OnlineMany`; the chat list must not hang on it
/// (the client's one-second deadline, nobody online on failure).
impl Presence for PresenceClient {
    fn online_many<'a>(&'a self, ids: &'a [UserId]) -> BoxFuture<'a, HashSet<UserId>> {
        Box::pin(PresenceClient::online_many(self, ids))
    }
}

/// Nobody is online (for tests and tools without a presence service).
pub struct NoPresence;

impl Presence for NoPresence {
    fn online_many<'a>(&'a self, _ids: &'a [UserId]) -> BoxFuture<'a, HashSet<UserId>> {
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
