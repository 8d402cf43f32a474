//! The events auth emits, written to its outbox in the caller's transaction;
//! each payload type carries its routing key (`chorus_proto::Event::TYPE`).

use crate::db::users::UserRow;
use chorus_proto::UserId;
use chorus_proto::auth::v1::{
    UserBlocked, UserDeleted, UserRegistered, UserUnblocked, UserUpdated,
};
use sqlx::PgConnection;

const PRODUCER: &str = "auth";

pub async fn user_registered(
    tx: &mut PgConnection,
    user_id: UserId,
    username: &str,
    display_name: &str,
) -> sqlx::Result<()> {
    let ev = UserRegistered {
        user_id: user_id.0,
        username: username.into(),
        display_name: display_name.into(),
    };
    chorus_events::enqueue_event(tx, PRODUCER, &ev)
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
        user_id: u.id.0,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        bio: u.bio.clone(),
        avatar_file_id: u.avatar_file_id.map(i64::from),
        display_name_changed,
        avatar_changed: new_avatar_url.is_some(),
        avatar_url: new_avatar_url.map(str::to_owned),
    };
    chorus_events::enqueue_event(tx, PRODUCER, &ev)
        .await
        .map(|_| ())
}

pub async fn user_blocked(tx: &mut PgConnection, user_id: UserId) -> sqlx::Result<()> {
    let ev = UserBlocked { user_id: user_id.0 };
    chorus_events::enqueue_event(tx, PRODUCER, &ev)
        .await
        .map(|_| ())
}

pub async fn user_unblocked(tx: &mut PgConnection, user_id: UserId) -> sqlx::Result<()> {
    let ev = UserUnblocked { user_id: user_id.0 };
    chorus_events::enqueue_event(tx, PRODUCER, &ev)
        .await
        .map(|_| ())
}

pub async fn user_deleted(tx: &mut PgConnection, user_id: UserId) -> sqlx::Result<()> {
    let ev = UserDeleted { user_id: user_id.0 };
    chorus_events::enqueue_event(tx, PRODUCER, &ev)
        .await
        .map(|_| ())
}
