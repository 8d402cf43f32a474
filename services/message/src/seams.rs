//! What the message service asks of the media service, behind a trait so tests
//! can fake it: stickers, download rights for attachments, and the files and
//! stickers of a page resolved in one `Files.GetMany`.

use crate::error::Result;
use chorus_media_client::MediaClient;
use chorus_proto::{FileId, UserId};
use futures_util::future::BoxFuture;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticker {
    pub label: String,
}

/// An attachment (or avatar) as a message shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileInfo {
    pub filename: Option<String>,
    pub mime_type: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StickerInfo {
    pub label: Option<String>,
    pub url: Option<String>,
}

/// Files and stickers of one page, resolved in one call.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub files: HashMap<FileId, FileInfo>,
    pub stickers: HashMap<StickerId, StickerInfo>,
}

/// A sticker of media's catalogue (§13); `chorus_proto` has no newtype for it.
pub type StickerId = i64;

pub trait Media: Send + Sync + 'static {
    /// The sticker, if it exists; an error when media cannot tell.
    fn sticker(&self, id: StickerId) -> BoxFuture<'_, Result<Option<Sticker>>>;
    /// Whether `user_id` may attach (download) `file_id` (§9.3, §12.2); an error
    /// when media cannot tell.
    fn may_download(&self, user_id: UserId, file_id: FileId) -> BoxFuture<'_, Result<bool>>;
    /// Metadata and presigned URLs of the given files and stickers, those that exist.
    fn resolve<'a>(
        &'a self,
        file_ids: &'a [FileId],
        sticker_ids: &'a [StickerId],
    ) -> BoxFuture<'a, Resolved>;
}

/// No media service: no stickers, no files, every URL null.
pub struct NoMedia;

impl Media for NoMedia {
    fn sticker(&self, _id: StickerId) -> BoxFuture<'_, Result<Option<Sticker>>> {
        Box::pin(async { Ok(None) })
    }
    fn may_download(&self, _user_id: UserId, _file_id: FileId) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async { Ok(false) })
    }
    fn resolve<'a>(
        &'a self,
        _file_ids: &'a [FileId],
        _sticker_ids: &'a [StickerId],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async { Resolved::default() })
    }
}

impl Media for MediaClient {
    fn sticker(&self, id: StickerId) -> BoxFuture<'_, Result<Option<Sticker>>> {
        Box::pin(async move {
            let reply = self.get_many(&[], &[id]).await?;
            Ok(reply
                .stickers
                .into_iter()
                .find(|s| s.id == id)
                .map(|s| Sticker { label: s.label }))
        })
    }

    fn may_download(&self, user_id: UserId, file_id: FileId) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move { Ok(MediaClient::may_download(self, user_id.0, file_id.0).await?) })
    }

    fn resolve<'a>(
        &'a self,
        file_ids: &'a [FileId],
        sticker_ids: &'a [StickerId],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async move {
            let file_ids: Vec<i64> = file_ids.iter().map(|id| id.0).collect();
            let reply = match self.get_many(&file_ids, sticker_ids).await {
                Ok(reply) => reply,
                Err(status) => {
                    // A page still shows its messages, with null URLs.
                    tracing::warn!(error = %status, "media GetMany failed; URLs shown as null");
                    return Resolved::default();
                }
            };
            let files = reply.files.into_iter().map(|f| {
                let info = FileInfo {
                    filename: Some(f.filename),
                    mime_type: f.mime_type,
                    url: Some(f.url),
                };
                (FileId(f.id), info)
            });
            let stickers = reply.stickers.into_iter().map(|s| {
                let info = StickerInfo {
                    label: Some(s.label),
                    url: s.url,
                };
                (s.id, info)
            });
            Resolved {
                files: files.collect(),
                stickers: stickers.collect(),
            }
        })
    }
}
