//! Who may download a file (§12.2, D12): its uploader; anyone, for a file in use
//! as a user or chat avatar or a sticker; members of a chat where it is attached.

use crate::db::{files::FileRow, uses};
use crate::error::{PeerError, Result};
use chorus_proto::{ChatId, UserId};
use futures_util::future::BoxFuture;
use sqlx::PgPool;

/// The chat service, as far as downloads need it: which chats a user is in.
pub trait ChatMembership: Send + Sync {
    fn chats_of(&self, user: UserId) -> BoxFuture<'_, Result<Vec<ChatId>, PeerError>>;
}

pub async fn may_download(
    db: &PgPool,
    membership: &dyn ChatMembership,
    user: UserId,
    file: &FileRow,
) -> Result<bool> {
    if file.uploader_id == user {
        return Ok(true);
    }
    let uses = uses::of(db, file.id).await?;
    may_see(membership, user, &uses).await
}

/// The decision for someone who is not the uploader, given where the file is
/// used; asks the chat service only when it depends on membership.
pub async fn may_see(
    membership: &dyn ChatMembership,
    user: UserId,
    uses: &uses::Uses,
) -> Result<bool> {
    if uses.public {
        return Ok(true);
    }
    if uses.chats.is_empty() {
        return Ok(false);
    }
    let chats = membership.chats_of(user).await?;
    Ok(uses.chats.iter().any(|c| chats.contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// User 7 is in chats 1 and 2; counts the calls.
    #[derive(Default)]
    struct Fake(AtomicUsize);

    impl ChatMembership for Fake {
        fn chats_of(&self, user: UserId) -> BoxFuture<'_, Result<Vec<ChatId>, PeerError>> {
            self.0.fetch_add(1, Ordering::Relaxed);
            let chats = if user == UserId(7) {
                vec![ChatId(1), ChatId(2)]
            } else {
                Vec::new()
            };
            Box::pin(async move { Ok(chats) })
        }
    }

    struct Down;

    impl ChatMembership for Down {
        fn chats_of(&self, _user: UserId) -> BoxFuture<'_, Result<Vec<ChatId>, PeerError>> {
            Box::pin(async { Err(PeerError("unavailable".into())) })
        }
    }

    fn used_in(chats: &[i64], public: bool) -> uses::Uses {
        uses::Uses {
            public,
            chats: chats.iter().copied().map(ChatId).collect(),
        }
    }

    #[tokio::test]
    async fn public_files_are_seen_by_anyone_without_asking_the_chat_service() -> anyhow::Result<()>
    {
        let fake = Fake::default();
        assert!(may_see(&fake, UserId(99), &used_in(&[5], true)).await?);
        assert!(may_see(&Down, UserId(99), &used_in(&[], true)).await?);
        assert_eq!(fake.0.load(Ordering::Relaxed), 0);
        Ok(())
    }

    #[tokio::test]
    async fn attachments_are_seen_by_members_of_a_chat_that_carries_them() -> anyhow::Result<()> {
        let fake = Fake::default();
        assert!(may_see(&fake, UserId(7), &used_in(&[9, 2], false)).await?);
        assert!(!may_see(&fake, UserId(8), &used_in(&[9, 2], false)).await?);
        assert!(!may_see(&fake, UserId(7), &used_in(&[3], false)).await?);
        Ok(())
    }

    #[tokio::test]
    async fn unused_files_are_private_and_a_failing_peer_is_an_error() -> anyhow::Result<()> {
        assert!(!may_see(&Down, UserId(7), &used_in(&[], false)).await?);
        assert!(
            may_see(&Down, UserId(7), &used_in(&[1], false))
                .await
                .is_err()
        );
        Ok(())
    }
}
