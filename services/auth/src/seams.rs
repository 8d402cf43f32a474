//! What the auth service asks of services that do not exist yet, behind traits
//! so they plug in without touching the handlers: presence (is a user online?)
//! and media (avatar URLs, file ownership).

use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};

/// Who is online right now (§17). Until the presence service exists nobody is.
pub trait Presence: Send + Sync + 'static {
    fn online(&self, user_ids: &[i64]) -> BoxFuture<'_, HashSet<i64>>;
}

pub struct NoPresence;

impl Presence for NoPresence {
    fn online(&self, _user_ids: &[i64]) -> BoxFuture<'_, HashSet<i64>> {
        Box::pin(async { HashSet::new() })
    }
}

/// Avatar files (§5.7–§5.8). Until the media service exists no file exists.
pub trait Media: Send + Sync + 'static {
    /// Presigned URLs of the given files, for those that exist.
    fn urls(&self, file_ids: &[i64]) -> BoxFuture<'_, HashMap<i64, String>>;
    /// Whether `file_id` exists and was uploaded by `user_id`.
    fn uploaded_by(&self, file_id: i64, user_id: i64) -> BoxFuture<'_, bool>;
}

pub struct NoMedia;

impl Media for NoMedia {
    fn urls(&self, _file_ids: &[i64]) -> BoxFuture<'_, HashMap<i64, String>> {
        Box::pin(async { HashMap::new() })
    }
    fn uploaded_by(&self, _file_id: i64, _user_id: i64) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
}
