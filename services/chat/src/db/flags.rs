//! Per-user chat flags (§7.9): favorites, mutes, chat pins, archive marks.
//! Each table has its own static statements; nothing is spliced into SQL.

use chorus_proto::{ChatId, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Favorite,
    Pin,
    Archive,
}

impl Flag {
    fn set_sql(self) -> &'static str {
        match self {
            Self::Favorite => {
                "INSERT INTO chat_favorites (user_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            }
            Self::Pin => {
                "INSERT INTO chat_pins (user_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            }
            Self::Archive => {
                "INSERT INTO chat_archives (user_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            }
        }
    }

    fn unset_sql(self) -> &'static str {
        match self {
            Self::Favorite => "DELETE FROM chat_favorites WHERE user_id = $1 AND chat_id = $2",
            Self::Pin => "DELETE FROM chat_pins WHERE user_id = $1 AND chat_id = $2",
            Self::Archive => "DELETE FROM chat_archives WHERE user_id = $1 AND chat_id = $2",
        }
    }
}

pub async fn set(
    db: impl PgExecutor<'_>,
    flag: Flag,
    user_id: UserId,
    chat_id: ChatId,
) -> sqlx::Result<()> {
    sqlx::query(flag.set_sql())
        .bind(user_id)
        .bind(chat_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn unset(
    db: impl PgExecutor<'_>,
    flag: Flag,
    user_id: UserId,
    chat_id: ChatId,
) -> sqlx::Result<()> {
    sqlx::query(flag.unset_sql())
        .bind(user_id)
        .bind(chat_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Mutes (or re-mutes, overwriting) a chat; `None` mutes indefinitely.
pub async fn mute(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    chat_id: ChatId,
    until: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO chat_mutes (user_id, chat_id, muted_until) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, chat_id) DO UPDATE SET muted_until = EXCLUDED.muted_until",
    )
    .bind(user_id)
    .bind(chat_id)
    .bind(until)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn unmute(db: impl PgExecutor<'_>, user_id: UserId, chat_id: ChatId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM chat_mutes WHERE user_id = $1 AND chat_id = $2")
        .bind(user_id)
        .bind(chat_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The stored mute, if any: `Some(None)` is "muted indefinitely".
pub async fn muted_until(
    db: impl PgExecutor<'_>,
    user_id: UserId,
    chat_id: ChatId,
) -> sqlx::Result<Option<Option<DateTime<Utc>>>> {
    sqlx::query_scalar("SELECT muted_until FROM chat_mutes WHERE user_id = $1 AND chat_id = $2")
        .bind(user_id)
        .bind(chat_id)
        .fetch_optional(db)
        .await
}
