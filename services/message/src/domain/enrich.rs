//! The enriched Message object (CONTRACT §9.2, plus `seq`): everything one page
//! needs is loaded with one `Users.GetMany`, one media resolve and one query for
//! the replied-to messages, then each row is rendered without further lookups.

use crate::db;
use crate::db::messages::MessageRow;
use crate::error::Result;
use crate::peers::UserInfo;
use crate::seams::{Resolved, StickerId};
use crate::state::AppState;
use crate::wire::{ForwardedMessage, Message, SentMessage};
use chorus_proto::{FileId, MessageId, UserId};
use std::collections::HashMap;

/// What a set of messages refers to.
#[derive(Debug, Default, Clone)]
pub struct Needs {
    pub users: Vec<UserId>,
    pub files: Vec<FileId>,
    pub stickers: Vec<StickerId>,
    pub replies: Vec<MessageId>,
}

impl Needs {
    pub fn of(rows: &[MessageRow]) -> Self {
        let mut needs = Self::default();
        for m in rows {
            needs.users.push(m.sender_id);
            needs.files.extend(m.file_id);
            needs.stickers.extend(m.sticker_id);
            needs.replies.extend(m.reply_to_message_id);
        }
        needs
    }
}

/// Users, replied-to messages, files and stickers of a page.
#[derive(Debug, Default)]
pub struct Context {
    pub users: HashMap<UserId, UserInfo>,
    replies: HashMap<MessageId, MessageRow>,
    media: Resolved,
}

impl Context {
    /// Users come from the short cache of names and avatars (see
    /// [`crate::peers::Users`]), pages as well as sends: asking auth cost every
    /// history page a gRPC call and a query.
    pub async fn load(state: &AppState, mut needs: Needs) -> Result<Self> {
        needs.replies.sort_unstable();
        needs.replies.dedup();
        let replies: HashMap<MessageId, MessageRow> = if needs.replies.is_empty() {
            HashMap::new()
        } else {
            // A message deleted for everyone is quoted as absent: its text must
            // not be readable through a reply to it (§9.2).
            db::messages::by_ids(&state.db, &needs.replies)
                .await?
                .into_iter()
                .filter(|m| !m.is_deleted)
                .map(|m| (m.id, m))
                .collect()
        };
        needs.users.extend(replies.values().map(|m| m.sender_id));
        let users = state.users.many_cached(&needs.users).await?;
        needs
            .files
            .extend(users.values().filter_map(|u| u.avatar_file_id));
        needs.files.sort_unstable();
        needs.files.dedup();
        needs.stickers.sort_unstable();
        needs.stickers.dedup();
        let media = if needs.files.is_empty() && needs.stickers.is_empty() {
            Resolved::default()
        } else {
            state.media.resolve(&needs.files, &needs.stickers).await
        };
        Ok(Self {
            users,
            replies,
            media,
        })
    }

    pub fn name_of(&self, user_id: UserId) -> Option<&str> {
        self.users.get(&user_id).map(|u| u.name.as_str())
    }

    /// The enriched Message object. Every value is taken from the context:
    /// rendering does no lookups, so a page costs its rows' clones and nothing more.
    pub fn render(&self, m: &MessageRow) -> Message {
        let sender = self.users.get(&m.sender_id);
        let file = m.file_id.and_then(|id| self.media.files.get(&id));
        let sticker = m.sticker_id.and_then(|id| self.media.stickers.get(&id));
        let avatar = sender
            .and_then(|u| u.avatar_file_id)
            .and_then(|id| self.media.files.get(&id))
            .and_then(|f| f.url.clone());
        // The four reply keys are present exactly when the message is a reply.
        let reply = m
            .reply_to_message_id
            .map(|id| self.replies.get(&id))
            .map(|r| (r, r.and_then(|r| self.users.get(&r.sender_id))));
        Message {
            attachment_filename: file.and_then(|f| f.filename.clone()),
            attachment_mime_type: file.and_then(|f| f.mime_type.clone()),
            attachment_url: file.and_then(|f| f.url.clone()),
            chat_id: m.chat_id,
            content: Some(m.content.clone()),
            created_at: m.created_at.into(),
            duration_seconds: m.duration_seconds,
            forwarded_from_chat_id: m.forwarded_from_chat_id,
            forwarded_from_display_name: m.forwarded_from_display_name.clone(),
            forwarded_from_message_id: m.forwarded_from_message_id,
            forwarded_from_user_id: m.forwarded_from_user_id,
            id: m.id,
            is_deleted: None,
            is_edited: m.is_edited,
            message_type: m.message_type.clone(),
            reply_to_content: reply.map(|(r, _)| r.map(|r| r.content.clone())),
            reply_to_message_id: m.reply_to_message_id,
            reply_to_sender_name: reply.map(|(_, u)| u.map(|u| u.name.clone())),
            reply_to_sender_username: reply.map(|(_, u)| u.map(|u| u.username.clone())),
            reply_to_type: reply.map(|(r, _)| r.map(|r| r.message_type.clone())),
            sender_avatar_url: avatar,
            sender_display_name: sender.map(|u| u.name.clone()).unwrap_or_default(),
            sender_id: m.sender_id,
            sender_is_admin: sender.is_some_and(|u| u.is_admin),
            sender_username: sender.map(|u| u.username.clone()).unwrap_or_default(),
            seq: m.seq,
            sticker_label: sticker.and_then(|s| s.label.clone()),
            sticker_url: sticker.and_then(|s| s.url.clone()),
            updated_at: m.updated_at.filter(|_| m.is_edited).map(Into::into),
        }
    }
}

/// The `201` body of a send (§9.3): optional keys omitted, `type` = `message_type`.
/// `sent_duration` is the duration the request carried (echoed even when no
/// file made it worth storing); a retry answers with the stored one.
pub fn send_body(m: &MessageRow, sent_duration: Option<i64>) -> SentMessage {
    let duration = sent_duration.or(m.duration_seconds.map(i64::from));
    SentMessage {
        chat_id: m.chat_id,
        client_msg_id: m.client_msg_id.clone(),
        content: m.content.clone(),
        created_at: m.created_at.into(),
        duration_seconds: duration.filter(|d| *d > 0),
        id: m.id,
        message_type: m.message_type.clone(),
        reply_to_message_id: m.reply_to_message_id,
        sender_id: m.sender_id,
        seq: m.seq,
        sticker_id: m.sticker_id,
        kind: m.message_type.clone(),
    }
}

/// One element of the forward response (§9.8).
pub fn forward_body(m: &MessageRow) -> ForwardedMessage {
    ForwardedMessage {
        chat_id: m.chat_id,
        content: m.content.clone(),
        created_at: m.created_at.into(),
        forwarded_from_chat_id: m.forwarded_from_chat_id,
        forwarded_from_display_name: m
            .forwarded_from_display_name
            .clone()
            .filter(|n| !n.is_empty()),
        forwarded_from_message_id: m.forwarded_from_message_id,
        forwarded_from_user_id: m.forwarded_from_user_id,
        id: m.id,
        message_type: m.message_type.clone(),
        sender_id: m.sender_id,
        seq: m.seq,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seams::{FileInfo, StickerInfo};
    use chorus_proto::ChatId;
    use chrono::Utc;

    fn row(id: i64, sender: i64) -> MessageRow {
        MessageRow {
            id: MessageId(id),
            chat_id: ChatId(5),
            seq: id,
            sender_id: UserId(sender),
            content: format!("m{id}"),
            message_type: "text".into(),
            file_id: None,
            sticker_id: None,
            duration_seconds: None,
            reply_to_message_id: None,
            forwarded_from_chat_id: None,
            forwarded_from_message_id: None,
            forwarded_from_user_id: None,
            forwarded_from_display_name: None,
            is_deleted: false,
            is_edited: false,
            updated_at: None,
            created_at: Utc::now(),
            client_msg_id: None,
        }
    }

    fn context() -> Context {
        let alice = UserInfo {
            username: "alice".into(),
            name: "Alice".into(),
            is_admin: true,
            avatar_file_id: Some(FileId(7)),
            read_receipts_enabled: true,
        };
        let file = |url: &str| FileInfo {
            filename: Some("a.ogg".into()),
            mime_type: Some("audio/ogg".into()),
            url: Some(url.into()),
        };
        Context {
            users: HashMap::from([(UserId(1), alice)]),
            replies: HashMap::from([(MessageId(1), row(1, 1))]),
            media: Resolved {
                files: HashMap::from([(FileId(7), file("avatar")), (FileId(8), file("voice"))]),
                stickers: HashMap::from([(
                    3,
                    StickerInfo {
                        label: Some("cat".into()),
                        url: Some("sticker".into()),
                    },
                )]),
            },
        }
    }

    #[test]
    fn a_message_is_rendered_from_its_context_alone() {
        let ctx = context();
        let mut m = row(2, 1);
        m.file_id = Some(FileId(8));
        m.duration_seconds = Some(4);
        m.reply_to_message_id = Some(MessageId(1));
        m.is_edited = true;
        m.updated_at = Some(Utc::now());
        let out = ctx.render(&m);
        assert_eq!(out.sender_username, "alice");
        assert_eq!(out.sender_display_name, "Alice");
        assert!(out.sender_is_admin);
        assert_eq!(out.sender_avatar_url.as_deref(), Some("avatar"));
        assert_eq!(out.attachment_url.as_deref(), Some("voice"));
        assert_eq!(out.attachment_mime_type.as_deref(), Some("audio/ogg"));
        assert_eq!(out.duration_seconds, Some(4));
        assert_eq!(out.reply_to_content, Some(Some("m1".into())));
        assert_eq!(out.reply_to_sender_name, Some(Some("Alice".into())));
        assert!(out.updated_at.is_some());
    }

    #[test]
    fn unknown_senders_missing_replies_and_unedited_messages_render_their_defaults() {
        let ctx = context();
        let mut m = row(3, 9);
        m.sticker_id = Some(3);
        m.reply_to_message_id = Some(MessageId(99));
        // `updated_at` without the edit flag is not shown.
        m.updated_at = Some(Utc::now());
        let out = ctx.render(&m);
        assert_eq!(out.sender_username, "");
        assert!(!out.sender_is_admin);
        assert_eq!(out.sticker_label.as_deref(), Some("cat"));
        assert_eq!(out.reply_to_content, Some(None));
        assert_eq!(out.reply_to_sender_username, Some(None));
        assert_eq!(out.updated_at, None);
        let plain = ctx.render(&row(4, 1));
        assert_eq!(plain.reply_to_type, None);
        assert_eq!(plain.is_deleted, None);
    }

    /// A send renders its event before the database assigns the message's id,
    /// seq and `created_at`; the relay's finish must make it the very event a
    /// rendering of the stored row gives, down to the bytes of `enriched_json`.
    #[test]
    fn an_event_rendered_before_the_insert_is_finished_to_the_stored_message() -> anyhow::Result<()>
    {
        use crate::events::{finish_created, message_created};
        use chorus_events::Envelope;
        use chorus_proto::message::v1::MessageCreated;
        use prost::Message as _;
        let ctx = context();
        let mut stored = row(123_456_789_012, 1);
        stored.seq = 70_001;
        stored.file_id = Some(FileId(8));
        stored.reply_to_message_id = Some(MessageId(1));
        stored.client_msg_id = Some("c-1".into());
        stored.created_at = chrono::DateTime::from_timestamp_micros(1_765_000_000_123_450)
            .ok_or_else(|| anyhow::anyhow!("timestamp"))?;
        let mut unstored = stored.clone();
        unstored.id = MessageId(0);
        unstored.seq = 0;
        unstored.created_at = Utc::now();
        let render = |m: &MessageRow| -> anyhow::Result<_> {
            Ok(message_created(m, serde_json::to_string(&ctx.render(m))?))
        };
        let early = render(&unstored)?;
        let assigned = [
            stored.id.0,
            stored.seq,
            stored.created_at.timestamp_micros(),
        ];
        let finished = finish_created(&early.routing_key, early.envelope.clone(), &assigned);
        let payload = |envelope: &[u8]| -> anyhow::Result<MessageCreated> {
            Ok(MessageCreated::decode(
                Envelope::decode(envelope)?.payload.as_slice(),
            )?)
        };
        let expected = payload(&render(&stored)?.envelope)?;
        let got = payload(&finished)?;
        assert_eq!(got.message, expected.message);
        assert_eq!(got.enriched_json, expected.enriched_json);
        assert!(
            got.enriched_json.contains("\"id\":123456789012"),
            "{}",
            got.enriched_json
        );
        // The envelope keeps its own id, type and trace context.
        let (before, after) = (
            Envelope::decode(early.envelope.as_slice())?,
            Envelope::decode(finished.as_slice())?,
        );
        assert_eq!((before.id, before.r#type), (after.id, after.r#type));
        // Anything else is published as it came.
        assert_eq!(
            finish_created("x", b"junk".to_vec(), &assigned),
            b"junk".to_vec()
        );
        assert_eq!(
            finish_created("x", early.envelope.clone(), &[1, 2]),
            early.envelope
        );
        Ok(())
    }

    /// The hot path of every send, page and catch-up: render + serialize. The
    /// old code built a `serde_json::Map` per message; `to_value` does the same
    /// work, so it stands in for it here.
    /// `cargo test --release -p chorus-message --lib render_cost -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn render_cost() -> anyhow::Result<()> {
        use std::io::Write;
        use std::time::Instant;
        let ctx = context();
        let mut m = row(2, 1);
        m.content = "a typical chat message of some sixty characters, give or take".into();
        m.reply_to_message_id = Some(MessageId(1));
        m.file_id = Some(FileId(8));
        const N: u32 = 200_000;
        let mut bytes = 0;
        let started = Instant::now();
        for _ in 0..N {
            bytes += serde_json::to_string(&ctx.render(&m))?.len();
        }
        let typed = started.elapsed() / N;
        let started = Instant::now();
        for _ in 0..N {
            bytes += serde_json::to_value(ctx.render(&m))?.to_string().len();
        }
        let mapped = started.elapsed() / N;
        writeln!(
            std::io::stdout(),
            "render+serialize per message: struct {typed:?}, via map {mapped:?} ({bytes} bytes)"
        )?;
        Ok(())
    }
}
