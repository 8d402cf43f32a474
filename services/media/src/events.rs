//! The events the media service consumes (queue `media.usage`): where files are
//! in use — attachments (message.created), avatars (user.updated,
//! chat.updated) — for download authorisation, and the removal of the files
//! of deleted chats and users.

use crate::db::{files, uses};
use crate::domain::cleanup::Janitor;
use chorus_events::{EventHandler, HandleError};
use chorus_proto::Event;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::events::v1::Envelope;
use chorus_proto::message::v1 as message_pb;
use futures_util::future::BoxFuture;
use prost::Message;
use sqlx::PgConnection;

pub struct UsageEvents;

impl EventHandler for UsageEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(async move {
            let p = event.payload.as_slice();
            let removed = match event.r#type.as_str() {
                <message_pb::MessageCreated as Event>::TYPE => {
                    let ev = message_pb::MessageCreated::decode(p)?;
                    if let Some(m) = ev.message
                        && let Some(file_id) = m.file_id
                    {
                        uses::add(tx, file_id, uses::CHAT, m.chat_id).await?;
                    }
                    Vec::new()
                }
                <auth_pb::UserUpdated as Event>::TYPE => {
                    let ev = auth_pb::UserUpdated::decode(p)?;
                    if !ev.avatar_changed {
                        return Ok(());
                    }
                    uses::set_avatar(tx, uses::USER_AVATAR, ev.user_id, ev.avatar_file_id).await?;
                    Vec::new()
                }
                <chat_pb::ChatUpdated as Event>::TYPE => {
                    let ev = chat_pb::ChatUpdated::decode(p)?;
                    if !ev.avatar_changed {
                        return Ok(());
                    }
                    uses::set_avatar(tx, uses::CHAT_AVATAR, ev.chat_id, ev.avatar_file_id).await?;
                    Vec::new()
                }
                <chat_pb::ChatDeleted as Event>::TYPE => {
                    // The chat's attachments and avatar go, unless used elsewhere
                    // (forwarded into another chat, someone's avatar).
                    let ev = chat_pb::ChatDeleted::decode(p)?;
                    let ids = uses::remove_chat(tx, ev.chat_id).await?;
                    let orphans = uses::unused(tx, &ids).await?;
                    files::mark_deleting(tx, &orphans).await?
                }
                <auth_pb::UserDeleted as Event>::TYPE => {
                    // A deleted (deactivated) account's files that nobody can
                    // see go: uploads never sent, old avatars. What is in use
                    // stays — what it sent into chats, and its current avatar,
                    // which §5.7 keeps showing whatever the active flag.
                    let ev = auth_pb::UserDeleted::decode(p)?;
                    let ids = uses::unused_files_of(tx, ev.user_id).await?;
                    files::mark_deleting(tx, &ids).await?
                }
                other => {
                    tracing::debug!(event_type = other, "event ignored");
                    Vec::new()
                }
            };
            if !removed.is_empty() {
                // Delivered when this transaction commits: the janitor then
                // removes the objects at once.
                Janitor::notify_in(tx).await?;
            }
            Ok(())
        })
    }
}
