//! `presence.seen` → `users.last_activity` (CONTRACT §16.2, §17.3): the
//! presence service reports when a user was last active (connect, activity
//! ping, going offline); auth keeps the latest. Events may arrive late or out
//! of order (retries, several presence instances), so the column only moves
//! forward.

use chorus_events::{Envelope, EventHandler, HandleError};
use chorus_proto::Event as _;
use chorus_proto::UserId;
use chorus_proto::presence::v1::UserSeen;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use prost::Message as _;
use sqlx::PgConnection;

/// Applies `presence.seen` (its queue: `chorus_events::topology::AUTH_ACTIVITY`).
pub struct ActivityEvents;

impl EventHandler for ActivityEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            if event.r#type != UserSeen::TYPE {
                tracing::debug!(event_type = %event.r#type, "event ignored");
                return Ok(());
            }
            let seen = UserSeen::decode(event.payload.as_slice())?;
            let at = DateTime::<Utc>::from_timestamp_micros(seen.at_micros).ok_or_else(|| {
                HandleError::Permanent(format!("at_micros out of range: {}", seen.at_micros))
            })?;
            record(tx, UserId(seen.user_id), at).await?;
            Ok(())
        })
    }
}

/// Moves `last_activity` forward to `at`; an older `at` changes nothing (and
/// writes nothing, so `updated_at` is not touched either).
pub async fn record(tx: &mut PgConnection, user_id: UserId, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET last_activity = $2 \
         WHERE id = $1 AND (last_activity IS NULL OR last_activity < $2)",
    )
    .bind(user_id)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(())
}
