//! The events auth emits, written to its outbox in the caller's transaction.

use crate::db::users::UserRow;
use chorus_proto::auth::v1::{
    UserBlocked, UserDeleted, UserRegistered, UserUnblocked, UserUpdated,
};
use sqlx::PgConnection;

const PRODUCER: &str = "auth";

pub async fn user_registered(
    tx: &mut PgConnection,
    user_id: i64,
    username: &str,
    display_name: &str,
) -> sqlx::Result<()> {
    let ev = UserRegistered {
        user_id,
        username: username.into(),
        display_name: display_name.into(),
    };
    chorus_events::enqueue(tx, PRODUCER, "user.registered", &ev)
        .await
        .map(|_| ())
}

pub async fn user_updated(
    tx: &mut PgConnection,
    u: &UserRow,
    display_name_changed: bool,
    // Some(url) when the avatar changed: its presigned URL for the frame.
    new_avatar_url: Option<&str>,
) -> sqlx::Result<()> {
    let ev = UserUpdated {
        user_id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        bio: u.bio.clone(),
        avatar_file_id: u.avatar_file_id,
        display_name_changed,
        avatar_changed: new_avatar_url.is_some(),
        avatar_url: new_avatar_url.map(str::to_owned),
    };
    chorus_events::enqueue(tx, PRODUCER, "user.updated", &ev)
        .await
        .map(|_| ())
}

pub async fn user_blocked(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<()> {
    chorus_events::enqueue(tx, PRODUCER, "user.blocked", &UserBlocked { user_id })
        .await
        .map(|_| ())
}

pub async fn user_unblocked(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<()> {
    chorus_events::enqueue(tx, PRODUCER, "user.unblocked", &UserUnblocked { user_id })
        .await
        .map(|_| ())
}

pub async fn user_deleted(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<()> {
    chorus_events::enqueue(tx, PRODUCER, "user.deleted", &UserDeleted { user_id })
        .await
        .map(|_| ())
}
