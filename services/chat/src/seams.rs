//! What the chat service asks of services that do not exist yet, behind traits so
//! they plug in without touching the handlers: presence (who is online) and media
//! (file ownership, presigned URLs). The defaults say "nobody" and "no file".

use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};

/// Who is online right now (§17.1).
pub trait Presence: Send + Sync + 'static {
    /// The subset of `ids` that is online.
    fn online_many<'a>(&'a self, ids: &'a [i64]) -> BoxFuture<'a, HashSet<i64>>;
}

/// Nobody is online (until the presence service exists).
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
