//! Sending (§9.3 plus `client_msg_id`) and forwarding (§9.8).

use crate::db;
use crate::db::messages::{MessageRow, NewMessage};
use crate::domain::enrich::{self, Context, Needs};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::ApiError;
use serde_json::Value;

/// A validated send request.
#[derive(Debug, Clone, Default)]
pub struct Send {
    pub content: String,
    pub message_type: String,
    pub file_id: i64,
    pub sticker_id: i64,
    pub duration_seconds: i64,
    pub reply_to_message_id: i64,
    pub client_msg_id: Option<String>,
}

/// The answer to a send: a new message (201) or the original of a retry (200).
pub enum Sent {
    Created(Value),
    Retried(Value),
}

#[tracing::instrument(skip_all, fields(chat_id = ?chat_id, user_id))]
pub async fn send(state: &AppState, chat_id: Option<i64>, user_id: i64, req: Send) -> Result<Sent> {
    let role = state.membership.require(chat_id, user_id).await?;
    let chat_id = chat_id.ok_or_else(Error::not_member)?;
    if !role.may_post() {
        return Err(ApiError::forbidden("Only admins can post in channels").into());
    }
    if let Some(cmid) = &req.client_msg_id
        && let Some(original) =
            db::messages::by_client_msg_id(&state.db, chat_id, user_id, cmid).await?
    {
        return Ok(Sent::Retried(enrich::send_body(&original, None)));
    }
    let (mut file_id, mut duration) = (req.file_id, req.duration_seconds);
    if req.sticker_id > 0 {
        if state.media.sticker(req.sticker_id).await?.is_none() {
            return Err(ApiError::not_found("Sticker not found").into());
        }
        (file_id, duration) = (0, 0);
    } else if file_id > 0 && !state.media.may_download(user_id, file_id).await? {
        return Err(ApiError::not_found("File not found").into());
    }
    if req.reply_to_message_id > 0
        && db::messages::in_chat(&state.db, chat_id, req.reply_to_message_id)
            .await?
            .is_none()
    {
        return Err(ApiError::bad_request("Invalid reply_to_message_id").into());
    }
    let new = NewMessage {
        chat_id,
        sender_id: user_id,
        content: req.content,
        message_type: req.message_type,
        file_id: (file_id > 0).then_some(file_id),
        sticker_id: (req.sticker_id > 0).then_some(req.sticker_id),
        duration_seconds: (duration > 0 && file_id > 0)
            .then(|| i32::try_from(duration).unwrap_or(i32::MAX)),
        reply_to_message_id: (req.reply_to_message_id > 0).then_some(req.reply_to_message_id),
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
    let sent_duration =
        (req.sticker_id <= 0 && req.duration_seconds > 0).then_some(req.duration_seconds);
    match insert_one(state, &ctx, &new).await {
        Ok(row) => Ok(Sent::Created(enrich::send_body(&row, sent_duration))),
        Err(Error::Db(err))
            if chorus_kit::db::is_unique_violation(&err, db::messages::CLIENT_MSG_ID_KEY) =>
        {
            // A concurrent retry committed first: answer with its message.
            let cmid = req.client_msg_id.unwrap_or_default();
            let original = db::messages::by_client_msg_id(&state.db, chat_id, user_id, &cmid)
                .await?
                .ok_or(Error::Db(err))?;
            Ok(Sent::Retried(enrich::send_body(&original, None)))
        }
        Err(err) => Err(err),
    }
}

/// Inserts one message with its event and the sender's read position, in one transaction.
async fn insert_one(state: &AppState, ctx: &Context, new: &NewMessage) -> Result<MessageRow> {
    let mut tx = state.db.begin().await?;
    let row = db::messages::insert(&mut tx, new).await?;
    db::reads::advance(&mut *tx, new.sender_id, new.chat_id, row.id).await?;
    events::message_created(&mut tx, &row, ctx.render(&row).to_string()).await?;
    tx.commit().await?;
    Ok(row)
}

/// A validated forward request.
#[derive(Debug, Clone)]
pub struct Forward {
    pub from_chat_id: i64,
    pub message_ids: Vec<i64>,
}

#[tracing::instrument(skip_all, fields(target = ?target, user_id))]
pub async fn forward(
    state: &AppState,
    target: Option<i64>,
    user_id: i64,
    req: Forward,
) -> Result<Vec<Value>> {
    if state
        .membership
        .role(req.from_chat_id, user_id)
        .await?
        .is_none()
    {
        return Err(ApiError::forbidden("Not a member of source chat").into());
    }
    let not_target = || Error::from(ApiError::forbidden("Not a member of target chat"));
    let target = target.ok_or_else(not_target)?;
    let role = state
        .membership
        .role(target, user_id)
        .await?
        .ok_or_else(not_target)?;
    if !role.may_post() {
        return Err(ApiError::forbidden("Only admins can post in channels").into());
    }
    let mut ids = req.message_ids;
    ids.sort_unstable();
    ids.dedup();
    let originals = db::messages::live_in_chat(&state.db, req.from_chat_id, &ids).await?;
    if originals.is_empty() {
        return Err(ApiError::not_found("No valid messages found").into());
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
        let row = db::messages::insert(&mut tx, copy).await?;
        events::message_created(&mut tx, &row, ctx.render(&row).to_string()).await?;
        out.push(enrich::forward_body(&row));
    }
    tx.commit().await?;
    Ok(out)
}
