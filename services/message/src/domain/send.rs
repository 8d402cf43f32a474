//! Sending (§9.3 plus `client_msg_id`) and forwarding (§9.8).

use crate::db;
use crate::db::store::{NewMessage, Stored};
use crate::domain::enrich::{self, Context, Needs};
use crate::error::{Error, Result};
use crate::events;
use crate::seams::StickerId;
use crate::state::AppState;
use crate::wire::{ForwardedMessage, SentMessage};
use chorus_proto::{ChatId, FileId, MessageId, UserId};

/// Retries are recognised by `client_msg_id`; it is an opaque key, kept short.
const MAX_CLIENT_MSG_ID: usize = 64;
/// At most this many messages are forwarded at once (§9.8).
const MAX_FORWARD: usize = 100;

/// A send request; the ids are `None` where the request had 0 (or less).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Send {
    pub content: String,
    pub message_type: String,
    pub file_id: Option<FileId>,
    pub sticker_id: Option<StickerId>,
    pub duration_seconds: Option<i64>,
    pub reply_to_message_id: Option<MessageId>,
    pub client_msg_id: Option<String>,
}

impl Send {
    /// The checks made before anyone is asked anything (§9.3).
    pub fn validate(&self, max_chars: usize) -> Result<()> {
        if self.content.is_empty() && self.file_id.is_none() && self.sticker_id.is_none() {
            return Err(Error::EmptyMessage);
        }
        if self.content.chars().count() > max_chars {
            return Err(Error::TooLong);
        }
        if self
            .client_msg_id
            .as_ref()
            .is_some_and(|c| c.len() > MAX_CLIENT_MSG_ID)
        {
            return Err(Error::ClientMsgIdTooLong);
        }
        Ok(())
    }
}

/// The answer to a send: a new message (201) or the original of a retry (200).
pub enum Sent {
    Created(SentMessage),
    Retried(SentMessage),
}

#[tracing::instrument(skip_all, fields(%chat_id, %user_id))]
pub async fn send(state: &AppState, chat_id: ChatId, user_id: UserId, req: Send) -> Result<Sent> {
    let role = state.membership.require(chat_id, user_id).await?;
    if !role.may_post() {
        return Err(Error::OnlyAdminsPost);
    }
    // A retry is recognised by the insert itself (one round trip); only when a
    // check fails first is the original looked for here, so that a retry still
    // gets it even if its file, sticker or replied-to message went meanwhile.
    let (file_id, duration) = match references(state, chat_id, user_id, &req).await {
        Ok(refs) => refs,
        Err(err) => {
            let cmid = req.client_msg_id.as_deref();
            return original(state, chat_id, user_id, cmid).await?.ok_or(err);
        }
    };
    let new = NewMessage {
        chat_id,
        sender_id: user_id,
        content: req.content,
        message_type: req.message_type,
        file_id,
        sticker_id: req.sticker_id,
        duration_seconds: duration.map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
        reply_to_message_id: req.reply_to_message_id,
        client_msg_id: req.client_msg_id.clone(),
        ..Default::default()
    };
    // Users and media are looked up before the transaction, which holds the
    // chat's seq lock and must stay short.
    let ctx = Context::load(
        state,
        Needs {
            users: vec![user_id],
            files: new.file_id.into_iter().collect(),
            stickers: new.sticker_id.into_iter().collect(),
            replies: new.reply_to_message_id.into_iter().collect(),
        },
    )
    .await?;
    let sent_duration = req
        .sticker_id
        .is_none()
        .then_some(req.duration_seconds)
        .flatten();
    match insert_one(state, &ctx, &new).await {
        Ok(Stored::New(row)) => Ok(Sent::Created(enrich::send_body(&row, sent_duration))),
        Ok(Stored::Existing(row)) => Ok(Sent::Retried(enrich::send_body(&row, None))),
        Err(Error::Pg(err)) if is_client_msg_id_taken(&err) => {
            // A concurrent retry committed first: answer with its message.
            original(state, chat_id, user_id, req.client_msg_id.as_deref())
                .await?
                .ok_or(Error::Pg(err))
        }
        Err(err) => Err(err),
    }
}

/// The file and voice duration the message will carry, once its file, sticker
/// and replied-to message are known to be usable.
async fn references(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    req: &Send,
) -> Result<(Option<FileId>, Option<i64>)> {
    // A sticker message carries no file and no duration.
    let refs = if let Some(sticker_id) = req.sticker_id {
        if state.media.sticker(sticker_id).await?.is_none() {
            return Err(Error::StickerNotFound);
        }
        (None, None)
    } else {
        if let Some(file_id) = req.file_id
            && !state.media.may_download(user_id, file_id).await?
        {
            return Err(Error::FileNotFound);
        }
        // A duration means something only for an attached (voice) file.
        (
            req.file_id,
            req.duration_seconds.filter(|_| req.file_id.is_some()),
        )
    };
    if let Some(reply_to) = req.reply_to_message_id
        && db::messages::in_chat(&state.db, chat_id, reply_to)
            .await?
            .is_none()
    {
        return Err(Error::InvalidReplyTo);
    }
    Ok(refs)
}

/// The message an earlier request with this `client_msg_id` stored, as a retry's answer.
async fn original(
    state: &AppState,
    chat_id: ChatId,
    user_id: UserId,
    client_msg_id: Option<&str>,
) -> Result<Option<Sent>> {
    let Some(cmid) = client_msg_id else {
        return Ok(None);
    };
    let found = db::messages::by_client_msg_id(&state.db, chat_id, user_id, cmid).await?;
    Ok(found.map(|row| Sent::Retried(enrich::send_body(&row, None))))
}

fn is_client_msg_id_taken(err: &tokio_postgres::Error) -> bool {
    err.as_db_error().is_some_and(|db| {
        *db.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION
            && db.constraint() == Some(db::messages::CLIENT_MSG_ID_KEY)
    })
}

/// Inserts one message with its event and the sender's read position, in one
/// statement; a retry of a stored message writes nothing and returns it. The
/// event is rendered from the message before it is stored: the relay fills in
/// the id, seq and `created_at` the database assigns (`events::finish_created`).
pub(crate) async fn insert_one(
    state: &AppState,
    ctx: &Context,
    new: &NewMessage,
) -> Result<Stored> {
    let unstored = new.unstored_row(chrono::Utc::now());
    let enriched_json = serde_json::to_string(&ctx.render(&unstored))?;
    let event = events::message_created(&unstored, enriched_json);
    let stored = db::store::send(&state.send_db, new, &event).await?;
    if matches!(stored, Stored::New(_)) {
        state.outbox.wake();
    }
    Ok(stored)
}

/// A forward request: the source chat and the ids to copy (§9.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub from_chat_id: ChatId,
    pub message_ids: Vec<MessageId>,
}

impl Forward {
    /// `from_chat_id` as sent (0 when missing), and `message_ids` as sent:
    /// `None` when not an array, an item `None` when it is not an integer.
    /// Items that cannot name a message are skipped like ids of other chats.
    pub fn new(from_chat_id: i64, message_ids: Option<Vec<Option<i64>>>) -> Result<Self> {
        if from_chat_id <= 0 {
            return Err(Error::FromChatRequired);
        }
        let items = message_ids
            .filter(|ids| !ids.is_empty())
            .ok_or(Error::MessageIdsRequired)?;
        if items.len() > MAX_FORWARD {
            return Err(Error::TooManyForwarded);
        }
        Ok(Self {
            from_chat_id: ChatId(from_chat_id),
            message_ids: items
                .into_iter()
                .flatten()
                .filter(|id| *id > 0)
                .map(MessageId)
                .collect(),
        })
    }
}

#[tracing::instrument(skip_all, fields(%target, %user_id))]
pub async fn forward(
    state: &AppState,
    target: ChatId,
    user_id: UserId,
    req: Forward,
) -> Result<Vec<ForwardedMessage>> {
    if state
        .membership
        .role(req.from_chat_id, user_id)
        .await?
        .is_none()
    {
        return Err(Error::NotSourceMember);
    }
    let role = state
        .membership
        .role(target, user_id)
        .await?
        .ok_or(Error::NotTargetMember)?;
    if !role.may_post() {
        return Err(Error::OnlyAdminsPost);
    }
    let mut ids = req.message_ids;
    ids.sort_unstable();
    ids.dedup();
    let originals = db::messages::live_in_chat(&state.db, req.from_chat_id, &ids).await?;
    if originals.is_empty() {
        return Err(Error::NoValidMessages);
    }
    let mut needs = Needs::of(&originals);
    needs.users.push(user_id);
    // Forwarded copies carry no reply link, so their replies need no lookup.
    needs.replies.clear();
    let ctx = Context::load(state, needs).await?;
    let copies: Vec<NewMessage> = originals
        .iter()
        .map(|o| NewMessage {
            chat_id: target,
            sender_id: user_id,
            content: o.content.clone(),
            message_type: o.message_type.clone(),
            file_id: o.file_id,
            sticker_id: o.sticker_id,
            duration_seconds: o.duration_seconds,
            forwarded_from_chat_id: Some(req.from_chat_id),
            forwarded_from_message_id: Some(o.id),
            forwarded_from_user_id: Some(o.sender_id),
            forwarded_from_display_name: ctx.name_of(o.sender_id).map(str::to_owned),
            ..Default::default()
        })
        .collect();
    let mut tx = state.db.begin().await?;
    let mut out = Vec::with_capacity(copies.len());
    // Unlike a send, a forward leaves the forwarder's read position alone: its
    // side effects are only the copies, their events and the chat's activity (§9.8).
    for copy in &copies {
        // A copy has no client_msg_id, so it is always a new message.
        let (Stored::New(row) | Stored::Existing(row)) =
            db::store::insert_copy(&mut tx, copy).await?;
        let enriched_json = serde_json::to_string(&ctx.render(&row))?;
        events::message_created(&row, enriched_json)
            .stage(&mut tx)
            .await?;
        out.push(enrich::forward_body(&row));
    }
    tx.commit().await?;
    state.outbox.wake();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content: &str) -> Send {
        Send {
            content: content.into(),
            message_type: "text".into(),
            ..Send::default()
        }
    }

    #[test]
    fn a_send_needs_text_a_file_or_a_sticker() {
        assert!(matches!(text("").validate(10), Err(Error::EmptyMessage)));
        let file = Send {
            file_id: Some(FileId(3)),
            ..text("")
        };
        assert!(file.validate(10).is_ok());
        assert!(matches!(
            text("12345678901").validate(10),
            Err(Error::TooLong)
        ));
        let retry = Send {
            client_msg_id: Some("x".repeat(65)),
            ..text("hi")
        };
        assert!(matches!(retry.validate(10), Err(Error::ClientMsgIdTooLong)));
    }

    #[test]
    fn forward_ids_skip_what_cannot_name_a_message() -> anyhow::Result<()> {
        let f = Forward::new(5, Some(vec![Some(3), None, Some(-1), Some(0), Some(2)]))?;
        assert_eq!(f.from_chat_id, ChatId(5));
        assert_eq!(f.message_ids, [MessageId(3), MessageId(2)]);
        assert!(matches!(
            Forward::new(0, Some(vec![Some(1)])),
            Err(Error::FromChatRequired)
        ));
        assert!(matches!(
            Forward::new(5, Some(Vec::new())),
            Err(Error::MessageIdsRequired)
        ));
        assert!(matches!(
            Forward::new(5, None),
            Err(Error::MessageIdsRequired)
        ));
        assert!(matches!(
            Forward::new(5, Some(vec![None; 101])),
            Err(Error::TooManyForwarded)
        ));
        Ok(())
    }
}
