//! What the auth service asks of other services, behind traits so they plug in
//! without touching the handlers (and tests can fake them): presence (is a user
//! online?) and media (avatar URLs, file ownership). Failures of media reach the
//! domain as [`PeerError`], never as a `tonic::Status`.

use chorus_media_client::MediaClient;
use chorus_presence_client::PresenceClient;
use chorus_proto::{FileId, UserId};
use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};

/// Who is online right now (§17).
pub trait Presence: Send + Sync + 'static {
    fn online(&self, user_ids: &[UserId]) -> BoxFuture<'_, HashSet<UserId>>;
}

/// The presence service's `OnlineMany`; a profile lookup must not hang on it
/// (the client's one-second deadline, nobody online on failure).
impl Presence for PresenceClient {
    fn online(&self, user_ids: &[UserId]) -> BoxFuture<'_, HashSet<UserId>> {
        let ids = user_ids.to_vec();
        Box::pin(async move { self.online_many(&ids).await })
    }
}

/// Nobody is online (for tests and tools without a presence service).
pub struct NoPresence;

impl Presence for NoPresence {
    fn online(&self, _user_ids: &[UserId]) -> BoxFuture<'_, HashSet<UserId>> {
        Box::pin(async { HashSet::new() })
    }
}

/// A peer service could not answer; the client sees only `Internal error`.
#[derive(Debug, thiserror::Error)]
#[error("{peer} call failed")]
pub struct PeerError {
    pub peer: &'static str,
    /// The transport's error (a `tonic::Status` from gRPC peers).
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// A file as auth needs it for avatars: who uploaded it and a fresh URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub id: FileId,
    pub uploader_id: UserId,
    /// Presigned download URL.
    pub url: String,
}

/// Avatar files (§5.7–§5.8), from the media service.
pub trait Media: Send + Sync + 'static {
    /// Presigned URLs of the given files, for those that exist (none on failure, logged).
    fn urls(&self, file_ids: &[FileId]) -> BoxFuture<'_, HashMap<FileId, String>>;
    /// The file (uploader, fresh URL), if it exists; an error when media cannot tell.
    fn file(&self, file_id: FileId) -> BoxFuture<'_, Result<Option<MediaFile>, PeerError>>;
}

impl Media for MediaClient {
    fn urls(&self, file_ids: &[FileId]) -> BoxFuture<'_, HashMap<FileId, String>> {
        let ids: Vec<i64> = file_ids.iter().map(|f| f.0).collect();
        Box::pin(async move {
            MediaClient::urls(self, &ids)
                .await
                .into_iter()
                .map(|(id, url)| (FileId(id), url))
                .collect()
        })
    }
    fn file(&self, file_id: FileId) -> BoxFuture<'_, Result<Option<MediaFile>, PeerError>> {
        Box::pin(async move {
            let file = MediaClient::file(self, file_id.0)
                .await
                .map_err(|status| PeerError {
                    peer: "media",
                    source: Box::new(status),
                })?;
            Ok(file.map(|f| MediaFile {
                id: FileId(f.id),
                uploader_id: UserId(f.uploader_id),
                url: f.url,
            }))
        })
    }
}

/// No file exists (tools and tests without a media service).
pub struct NoMedia;

impl Media for NoMedia {
    fn urls(&self, _file_ids: &[FileId]) -> BoxFuture<'_, HashMap<FileId, String>> {
        Box::pin(async { HashMap::new() })
    }
    fn file(&self, _file_id: FileId) -> BoxFuture<'_, Result<Option<MediaFile>, PeerError>> {
        Box::pin(async { Ok(None) })
    }
}
