//! Domain events → what the edge nodes deliver (§16.3 frames and §1.8 scopes),
//! as `(channel, payload)` pairs in publish order. Pure, except for
//! `user.updated`, whose audience (the user's chats) is asked of the chat service.

use crate::wire::{
    WsChatCreated, WsChatDeleted, WsChatMemberJoined, WsChatMemberLeft, WsChatUpdated, WsMessage,
    WsMessageDeleted, WsMessagePinned, WsMessageUnpinned, WsMessageUpdated, WsReaction,
    WsReactionAction, WsReadReceipt, WsServerMessage as Frame, WsUserProfileUpdated,
};
use chorus_events::HandleError;
use chorus_events::fanout::{self, Control, encode_control, encode_message};
use chorus_kit::time::Timestamp;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::events::v1::Envelope;
use chorus_proto::message::v1 as msg_pb;
use chorus_proto::{ChatId, ChatType, Event, MessageId, UserId};
use prost::Message;
use serde_json::value::RawValue;

pub type Publish = Vec<(String, String)>;

/// What an event needs from outside the event itself.
pub enum Needs {
    Nothing(Publish),
    /// `user_profile_updated` goes to every chat of the user: ask for them,
    /// then call [`profile_frames`].
    ChatsOf {
        user_id: i64,
        frames: Vec<String>,
    },
}

/// When the event happened (Unix ms), or now when the producer did not say.
fn event_time_ms(envelope: &Envelope) -> i64 {
    envelope.occurred_at.as_ref().map_or_else(
        || chrono::Utc::now().timestamp_millis(),
        |t| t.seconds * 1000 + i64::from(t.nanos) / 1_000_000,
    )
}

pub fn translate(prefix: &str, envelope: &Envelope) -> Result<Needs, HandleError> {
    let p = envelope.payload.as_slice();
    let chat = |id: i64| fanout::chat_channel(prefix, id);
    let user = |id: i64| fanout::user_channel(prefix, id);
    let out = match envelope.r#type.as_str() {
        <msg_pb::MessageCreated as Event>::TYPE => {
            let ev = msg_pb::MessageCreated::decode(p)?;
            let m = ev
                .message
                .ok_or_else(|| HandleError::Permanent("no message".into()))?;
            vec![(
                chat(m.chat_id),
                encode_message(
                    m.seq,
                    event_time_ms(envelope),
                    chorus_kit::telemetry::traceparent(&tracing::Span::current()).as_deref(),
                    &WsMessage(&ev.enriched_json).frame(),
                ),
            )]
        }
        <msg_pb::MessageUpdated as Event>::TYPE => {
            let ev = msg_pb::MessageUpdated::decode(p)?;
            let frame = Frame::MessageUpdated(WsMessageUpdated {
                chat_id: ChatId(ev.chat_id),
                message_id: MessageId(ev.message_id),
                content: ev.content,
                updated_at: chrono::DateTime::from_timestamp_micros(ev.updated_at_micros)
                    .map(Timestamp),
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <msg_pb::MessageDeleted as Event>::TYPE => {
            let ev = msg_pb::MessageDeleted::decode(p)?;
            let frame = Frame::MessageDeleted(WsMessageDeleted {
                chat_id: ChatId(ev.chat_id),
                message_id: MessageId(ev.message_id),
                deleted_by: UserId(ev.deleted_by),
                for_everyone: true,
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <msg_pb::MessagePinned as Event>::TYPE => {
            let ev = msg_pb::MessagePinned::decode(p)?;
            // Checked, not parsed into values: it is written out as it came.
            let message = serde_json::from_str::<&RawValue>(&ev.enriched_json).ok();
            let frame = Frame::MessagePinned(WsMessagePinned {
                chat_id: ChatId(ev.chat_id),
                message_id: MessageId(ev.message_id),
                pinned_by: UserId(ev.pinned_by),
                message,
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <msg_pb::MessageUnpinned as Event>::TYPE => {
            let ev = msg_pb::MessageUnpinned::decode(p)?;
            let frame = Frame::MessageUnpinned(WsMessageUnpinned {
                chat_id: ChatId(ev.chat_id),
                message_id: MessageId(ev.message_id),
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <msg_pb::ReactionChanged as Event>::TYPE => {
            let ev = msg_pb::ReactionChanged::decode(p)?;
            let action = WsReactionAction::parse(&ev.action).ok_or_else(|| {
                HandleError::Permanent(format!("unknown reaction action {:?}", ev.action))
            })?;
            let frame = Frame::Reaction(WsReaction {
                chat_id: ChatId(ev.chat_id),
                message_id: MessageId(ev.message_id),
                user_id: UserId(ev.user_id),
                emoji: ev.emoji,
                action,
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <msg_pb::ReceiptRead as Event>::TYPE => {
            let ev = msg_pb::ReceiptRead::decode(p)?;
            let frame = Frame::ReadReceipt(WsReadReceipt {
                chat_id: ChatId(ev.chat_id),
                user_id: UserId(ev.user_id),
                last_read_msg_id: MessageId(ev.last_read_msg_id),
            });
            vec![(chat(ev.chat_id), frame.to_text())]
        }
        <chat_pb::ChatCreated as Event>::TYPE => {
            let ev = chat_pb::ChatCreated::decode(p)?;
            let chat_type = ChatType::parse(&ev.chat_type).ok_or_else(|| {
                HandleError::Permanent(format!("unknown chat type {:?}", ev.chat_type))
            })?;
            let frame = Frame::ChatCreated(WsChatCreated {
                chat_id: ChatId(ev.chat_id),
                chat_type,
                title: Some(ev.title),
                created_by: UserId(ev.created_by),
            })
            .to_text();
            ev.audience_user_ids
                .iter()
                .map(|u| (user(*u), frame.clone()))
                .collect()
        }
        <chat_pb::ChatUpdated as Event>::TYPE => {
            let ev = chat_pb::ChatUpdated::decode(p)?;
            let frame = if ev.avatar_changed {
                WsChatUpdated {
                    chat_id: ChatId(ev.chat_id),
                    title: None,
                    description: None,
                    avatar_url: Some(ev.avatar_url),
                }
            } else {
                WsChatUpdated {
                    chat_id: ChatId(ev.chat_id),
                    title: ev.title,
                    description: ev.description,
                    avatar_url: None,
                }
            };
            vec![(chat(ev.chat_id), Frame::ChatUpdated(frame).to_text())]
        }
        <chat_pb::ChatDeleted as Event>::TYPE => {
            let ev = chat_pb::ChatDeleted::decode(p)?;
            let frame = Frame::ChatDeleted(WsChatDeleted {
                chat_id: ChatId(ev.chat_id),
                deleted_by: UserId(ev.deleted_by),
            })
            .to_text();
            let mut out: Publish = vec![(chat(ev.chat_id), encode_control(&Control::Drop))];
            out.extend(
                ev.former_member_ids
                    .iter()
                    .map(|u| (user(*u), frame.clone())),
            );
            out.push(membership_changed(prefix, ev.chat_id, None));
            out
        }
        <chat_pb::MemberJoined as Event>::TYPE => {
            let ev = chat_pb::MemberJoined::decode(p)?;
            let joined = Frame::ChatMemberJoined(WsChatMemberJoined {
                chat_id: ChatId(ev.chat_id),
                user_id: UserId(ev.user_id),
                username: ev.username,
                display_name: ev.display_name,
            });
            // §8.5: the literal `group` (even for channels), the joiner as
            // `created_by`, and no `title`.
            let created = Frame::ChatCreated(WsChatCreated {
                chat_id: ChatId(ev.chat_id),
                chat_type: ChatType::Group,
                title: None,
                created_by: UserId(ev.user_id),
            });
            vec![
                (chat(ev.chat_id), joined.to_text()),
                (user(ev.user_id), created.to_text()),
            ]
        }
        <chat_pb::MemberLeft as Event>::TYPE => {
            let ev = chat_pb::MemberLeft::decode(p)?;
            let frame = Frame::ChatMemberLeft(WsChatMemberLeft {
                chat_id: ChatId(ev.chat_id),
                user_id: UserId(ev.user_id),
            })
            .to_text();
            let left = Control::Left {
                chat_id: ev.chat_id,
                frame: frame.clone(),
            };
            vec![
                (chat(ev.chat_id), frame),
                (user(ev.user_id), encode_control(&left)),
                membership_changed(prefix, ev.chat_id, Some(ev.user_id)),
            ]
        }
        <auth_pb::UserUpdated as Event>::TYPE => {
            let ev = auth_pb::UserUpdated::decode(p)?;
            let user_id = UserId(ev.user_id);
            let mut frames = Vec::new();
            if ev.display_name_changed {
                let name = ev.display_name.unwrap_or_else(|| ev.username.clone());
                frames.push(Frame::UserProfileUpdated(WsUserProfileUpdated {
                    user_id,
                    display_name: Some(name),
                    avatar_url: None,
                }));
            }
            if ev.avatar_changed {
                frames.push(Frame::UserProfileUpdated(WsUserProfileUpdated {
                    user_id,
                    display_name: None,
                    avatar_url: Some(ev.avatar_url),
                }));
            }
            if frames.is_empty() {
                return Ok(Needs::Nothing(Vec::new()));
            }
            let frames = frames.iter().map(Frame::to_text).collect();
            return Ok(Needs::ChatsOf {
                user_id: ev.user_id,
                frames,
            });
        }
        <auth_pb::UserBlocked as Event>::TYPE => {
            let ev = auth_pb::UserBlocked::decode(p)?;
            vec![(user(ev.user_id), close("Account blocked"))]
        }
        <auth_pb::UserDeleted as Event>::TYPE => {
            let ev = auth_pb::UserDeleted::decode(p)?;
            vec![(user(ev.user_id), close("Account deleted"))]
        }
        other => {
            tracing::debug!(event_type = other, "event not meant for clients");
            Vec::new()
        }
    };
    Ok(Needs::Nothing(out))
}

/// `user_profile_updated` to each chat of the user.
pub fn profile_frames(prefix: &str, chat_ids: &[i64], frames: &[String]) -> Publish {
    frames
        .iter()
        .flat_map(|frame| {
            chat_ids
                .iter()
                .map(move |id| (fanout::chat_channel(prefix, *id), frame.clone()))
        })
        .collect()
}

fn membership_changed(prefix: &str, chat_id: i64, user_id: Option<i64>) -> (String, String) {
    let control = Control::Membership { chat_id, user_id };
    (fanout::broadcast_channel(prefix), encode_control(&control))
}

/// Policy violation: the account may no longer use its tokens (§2.4).
fn close(reason: &str) -> String {
    encode_control(&Control::Close {
        code: 1008,
        reason: reason.into(),
    })
}

#[cfg(test)]
#[path = "frames_tests.rs"]
mod tests;
