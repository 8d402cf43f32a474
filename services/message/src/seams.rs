//! What the message service asks of the media service (a later issue), behind a
//! trait so it plugs in without touching the handlers. The default knows no
//! stickers and no files.

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
    /// The sticker, if it exists.
    fn sticker(&self, id: i64) -> BoxFuture<'_, Option<Sticker>>;
    /// Whether `user_id` may attach (download) `file_id` in `chat_id` (§12.2).
    fn may_download(&self, user_id: i64, file_id: i64, chat_id: i64) -> BoxFuture<'_, bool>;
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
    fn sticker(&self, _id: i64) -> BoxFuture<'_, Option<Sticker>> {
        Box::pin(async { None })
    }
    fn may_download(&self, _user_id: i64, _file_id: i64, _chat_id: i64) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
    fn resolve<'a>(
        &'a self,
        _file_ids: &'a [i64],
        _sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async { Resolved::default() })
    }
}
