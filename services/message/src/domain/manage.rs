//! Changing messages: edit (§9.6), delete (§9.7) and pins (§9.9).

use crate::db;
use crate::domain::enrich::{Context, Needs};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use crate::wire::{EditedMessage, PinResult, PinnedMessage};
use chorus_proto::{ChatId, MessageId, UserId};
use chrono::{DateTime, Duration, Utc};

/// A message edit (§9.6): the new text, checked against the limits before
/// anything else is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub content: String,
}

impl Edit {
    /// `content` as the request carried it (absent, null, arrays and objects
    /// are `None`).
    pub fn new(content: Option<String>, max_chars: usize) -> Result<Self> {
        let content = content
            .filter(|c| !c.is_empty())
            .ok_or(Error::ContentRequired)?;
        if content.chars().count() > max_chars {
            return Err(Error::TooLong);
        }
        if content.contains('\0') {
            return Err(Error::InvalidText("content"));
        }
        Ok(Self { content })
    }
}

#[tracing::instrument(skip_all, fields(%chat_id, %message_id, %user_id))]
pub async fn edit(
    state: &AppState,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
    edit: Edit,
) -> Result<EditedMessage> {
    state.membership.require(chat_id, user_id).await?;
    let mut tx = state.db.begin().await?;
    let updated_at = db::messages::edit(&mut tx, chat_id, message_id, user_id, &edit.content)
        .await?
        .ok_or(Error::NotEditable)?;
    events::message_updated(&mut tx, chat_id, message_id, &edit.content, updated_at).await?;
    tx.commit().await?;
    Ok(EditedMessage {
        content: edit.content,
        id: message_id,
        is_edited: true,
        updated_at: updated_at.into(),
    })
}

/// Whether `user_id` may delete a message for everyone (§9.7): its sender or a
/// chat owner/admin, within 48 hours of sending.
pub fn may_delete_for_everyone(
    sender_id: UserId,
    created_at: DateTime<Utc>,
    user_id: UserId,
    chat_admin: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    if sender_id != user_id && !chat_admin {
        return Err(Error::NotSenderOrAdmin);
    }
    if now - created_at >= Duration::hours(48) {
        return Err(Error::TooOldToDelete);
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(%chat_id, %message_id, %user_id))]
pub async fn delete(
    state: &AppState,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
    for_everyone: bool,
) -> Result<()> {
    let role = state.membership.require(chat_id, user_id).await?;
    let msg = db::messages::in_chat(&state.db, chat_id, message_id)
        .await?
        .filter(|m| !m.is_deleted)
        .ok_or(Error::MessageNotFound)?;
    if !for_everyone {
        db::messages::delete_for_me(&state.db, user_id, chat_id, message_id).await?;
        return Ok(());
    }
    may_delete_for_everyone(
        msg.sender_id,
        msg.created_at,
        user_id,
        role.is_admin(),
        Utc::now(),
    )?;
    let mut tx = state.db.begin().await?;
    if !db::messages::delete_for_everyone(&mut tx, chat_id, message_id).await? {
        return Err(Error::MessageNotFound);
    }
    events::message_deleted(&mut tx, chat_id, message_id, user_id).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(%chat_id, %message_id, %user_id))]
pub async fn pin(
    state: &AppState,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
) -> Result<PinResult> {
    let role = state.membership.require(chat_id, user_id).await?;
    if !role.may_post() {
        return Err(Error::OnlyAdminsPin);
    }
    let msg = db::messages::in_chat(&state.db, chat_id, message_id)
        .await?
        .filter(|m| !m.is_deleted)
        .ok_or(Error::MessageNotFound)?;
    let ctx = Context::load(state, Needs::of(std::slice::from_ref(&msg))).await?;
    let message = ctx.render(&msg);
    let enriched_json = serde_json::to_string(&message)?;
    // Two concurrent pins race on the one-active-pin index; the loser retries
    // and replaces the winner, as if it had come second.
    let mut attempts = 0;
    let pin = loop {
        let mut tx = state.db.begin().await?;
        match db::pins::pin(&mut tx, chat_id, message_id, user_id).await {
            Ok(pin) => {
                events::message_pinned(&mut tx, &pin, chat_id, enriched_json).await?;
                tx.commit().await?;
                break pin;
            }
            Err(err)
                if attempts < 3
                    && chorus_kit::db::is_unique_violation(&err, db::pins::ACTIVE_KEY) =>
            {
                attempts += 1;
            }
            Err(err) => return Err(err.into()),
        }
    };
    Ok(PinResult {
        message,
        pinned_at: pin.pinned_at.into(),
        pinned_by: pin.pinned_by,
        pinned_message_id: pin.message_id,
    })
}

#[tracing::instrument(skip_all, fields(%chat_id, %message_id, %user_id))]
pub async fn unpin(
    state: &AppState,
    chat_id: ChatId,
    message_id: MessageId,
    user_id: UserId,
) -> Result<()> {
    let role = state.membership.require(chat_id, user_id).await?;
    if !role.may_post() {
        return Err(Error::OnlyAdminsUnpin);
    }
    let mut tx = state.db.begin().await?;
    if !db::pins::unpin(&mut tx, chat_id, message_id).await? {
        return Err(Error::NoPinnedMessage);
    }
    events::message_unpinned(&mut tx, chat_id, message_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The active pin (`None` when none), its message even if deleted for everyone —
/// then without its text, attachment, sticker and quote (§9.9).
pub async fn pinned(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
) -> Result<Option<PinnedMessage>> {
    state.membership.require(chat_id, user_id).await?;
    let Some(pin) = db::pins::active(&state.db, chat_id).await? else {
        return Ok(None);
    };
    let msg = db::messages::in_chat(&state.db, chat_id, pin.message_id).await?;
    let rows: Vec<_> = msg.into_iter().collect();
    let ctx = Context::load(state, Needs::of(&rows)).await?;
    Ok(Some(PinnedMessage {
        message: rows.first().map(|m| {
            let message = ctx.render(m);
            if m.is_deleted {
                message.redacted()
            } else {
                message
            }
        }),
        pinned_at: pin.pinned_at.into(),
        pinned_by: pin.pinned_by,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_needs_text_within_the_limit_and_without_nul() {
        assert!(matches!(Edit::new(None, 10), Err(Error::ContentRequired)));
        assert!(matches!(
            Edit::new(Some(String::new()), 10),
            Err(Error::ContentRequired)
        ));
        assert!(matches!(
            Edit::new(Some("ééééééééééé".into()), 10),
            Err(Error::TooLong)
        ));
        assert!(matches!(
            Edit::new(Some("a\0b".into()), 10),
            Err(Error::InvalidText("content"))
        ));
        // The limit counts characters, not bytes.
        assert!(Edit::new(Some("éééééééééé".into()), 10).is_ok());
    }

    #[test]
    fn only_the_sender_or_an_admin_deletes_for_everyone_within_48_hours() {
        let now = Utc::now();
        let (alice, bob) = (UserId(1), UserId(2));
        assert!(may_delete_for_everyone(alice, now, alice, false, now).is_ok());
        assert!(may_delete_for_everyone(alice, now, bob, true, now).is_ok());
        assert!(matches!(
            may_delete_for_everyone(alice, now, bob, false, now),
            Err(Error::NotSenderOrAdmin)
        ));
        let old = now - Duration::hours(48);
        assert!(matches!(
            may_delete_for_everyone(alice, old, alice, false, now),
            Err(Error::TooOldToDelete)
        ));
        let recent = old + Duration::seconds(1);
        assert!(may_delete_for_everyone(alice, recent, alice, false, now).is_ok());
    }
}
