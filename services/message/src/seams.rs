//! What the message service asks of the media service, behind a trait so tests
//! can fake it: stickers, download rights for attachments, and the files and
//! stickers of a page resolved in one `Files.GetMany`.

use chorus_media_client::MediaClient;
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
    pub files: HashMap<i64, FileInfo>,
    pub stickers: HashMap<i64, StickerInfo>,
}

pub trait Media: Send + Sync + 'static {
    /// The sticker, if it exists; an error when media cannot tell.
    fn sticker(&self, id: i64) -> BoxFuture<'_, Result<Option<Sticker>, tonic::Status>>;
    /// Whether `user_id` may attach (download) `file_id` (§9.3, §12.2); an error
    /// when media cannot tell.
    fn may_download(
        &self,
        user_id: i64,
        file_id: i64,
    ) -> BoxFuture<'_, Result<bool, tonic::Status>>;
    /// Metadata and presigned URLs of the given files and stickers, those that exist.
    fn resolve<'a>(
        &'a self,
        file_ids: &'a [i64],
        sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved>;
}

/// No media service: no stickers, no files, every URL null.
pub struct NoMedia;

impl Media for NoMedia {
    fn sticker(&self, _id: i64) -> BoxFuture<'_, Result<Option<Sticker>, tonic::Status>> {
        Box::pin(async { Ok(None) })
    }
    fn may_download(
        &self,
        _user_id: i64,
        _file_id: i64,
    ) -> BoxFuture<'_, Result<bool, tonic::Status>> {
        Box::pin(async { Ok(false) })
    }
    fn resolve<'a>(
        &'a self,
        _file_ids: &'a [i64],
        _sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async { Resolved::default() })
    }
}

impl Media for MediaClient {
    fn sticker(&self, id: i64) -> BoxFuture<'_, Result<Option<Sticker>, tonic::Status>> {
        Box::pin(async move {
            let reply = self.get_many(&[], &[id]).await?;
            Ok(reply
                .stickers
                .into_iter()
                .find(|s| s.id == id)
                .map(|s| Sticker { label: s.label }))
        })
    }

    fn may_download(
        &self,
        user_id: i64,
        file_id: i64,
    ) -> BoxFuture<'_, Result<bool, tonic::Status>> {
        Box::pin(MediaClient::may_download(self, user_id, file_id))
    }

    fn resolve<'a>(
        &'a self,
        file_ids: &'a [i64],
        sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async move {
            let reply = match self.get_many(file_ids, sticker_ids).await {
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
                (f.id, info)
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
