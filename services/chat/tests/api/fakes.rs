//! Fakes of the seams for what is not ours to run here: presence and media
//! (the message service's `Unread` is testkit's `FakeUnread`).

use chorus_chat::error::PeerError;
use chorus_chat::seams::{File, Media, Presence};
use chorus_proto::UserId;
use futures_util::future::BoxFuture;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Files `user_id * 1000 + n` belong to `user_id`; every file ≥ 1000 has a URL.
pub struct FakeMedia;

impl Media for FakeMedia {
    fn file(&self, file_id: i64) -> BoxFuture<'_, Result<Option<File>, PeerError>> {
        Box::pin(async move {
            Ok((file_id >= 1000).then(|| File {
                id: file_id,
                uploader_id: file_id / 1000,
                url: format!("https://media.test/f/{file_id}"),
                ..Default::default()
            }))
        })
    }
    fn urls<'a>(&'a self, file_ids: &'a [i64]) -> BoxFuture<'a, HashMap<i64, String>> {
        Box::pin(async move {
            file_ids
                .iter()
                .filter(|id| **id >= 1000)
                .map(|id| (*id, format!("https://media.test/f/{id}")))
                .collect()
        })
    }
}

/// Online users are whoever the test puts in the set.
#[derive(Clone, Default)]
pub struct FakePresence(pub Arc<Mutex<HashSet<i64>>>);

impl Presence for FakePresence {
    fn online_many<'a>(&'a self, ids: &'a [UserId]) -> BoxFuture<'a, HashSet<UserId>> {
        Box::pin(async move {
            let online = self.0.lock().map(|s| s.clone()).unwrap_or_default();
            ids.iter()
                .copied()
                .filter(|id| online.contains(&id.0))
                .collect()
        })
    }
}
