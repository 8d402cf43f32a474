//! Domain events → what the edge nodes deliver (§16.3 frames and §1.8 scopes),
//! as `(channel, payload)` pairs in publish order. Pure, except for
//! `user.updated`, whose audience (the user's chats) is asked of the chat service.

use crate::catchup::message_frame;
use chorus_events::HandleError;
use chorus_events::fanout::{self, Control, encode_control, encode_message};
use chorus_kit::time::format_ts;
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::events::v1::Envelope;
use chorus_proto::message::v1 as msg_pb;
use prost::Message;
use serde_json::{Value, json};

/// The routing keys the fan-out consumer binds.
pub const EVENT_TYPES: &[&str] = &[
    "message.created",
    "message.updated",
    "message.deleted",
    "message.pinned",
    "message.unpinned",
    "reaction.changed",
    "receipt.read",
    "chat.created",
    "chat.updated",
    "chat.deleted",
    "member.joined",
    "member.left",
    "user.updated",
    "user.blocked",
    "user.deleted",
];

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

pub fn translate(prefix: &str, envelope: &Envelope) -> Result<Needs, HandleError> {
    let p = envelope.payload.as_slice();
    let chat = |id: i64| fanout::chat_channel(prefix, id);
    let user = |id: i64| fanout::user_channel(prefix, id);
    let out = match envelope.r#type.as_str() {
        "message.created" => {
            let ev = msg_pb::MessageCreated::decode(p)?;
            let m = ev
                .message
                .ok_or_else(|| HandleError::Permanent("no message".into()))?;
            vec![(
                chat(m.chat_id),
                encode_message(m.seq, &message_frame(&ev.enriched_json)),
            )]
        }
        "message.updated" => {
            let ev = msg_pb::MessageUpdated::decode(p)?;
            let frame = json!({"type": "message_updated", "chat_id": ev.chat_id, "message_id": ev.message_id,
                "content": ev.content, "updated_at": micros(ev.updated_at_micros)});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "message.deleted" => {
            let ev = msg_pb::MessageDeleted::decode(p)?;
            let frame = json!({"type": "message_deleted", "chat_id": ev.chat_id, "message_id": ev.message_id,
                "deleted_by": ev.deleted_by, "for_everyone": true});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "message.pinned" => {
            let ev = msg_pb::MessagePinned::decode(p)?;
            let message: Value = serde_json::from_str(&ev.enriched_json).unwrap_or(Value::Null);
            let frame = json!({"type": "message_pinned", "chat_id": ev.chat_id, "message_id": ev.message_id,
                "pinned_by": ev.pinned_by, "message": message});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "message.unpinned" => {
            let ev = msg_pb::MessageUnpinned::decode(p)?;
            let frame = json!({"type": "message_unpinned", "chat_id": ev.chat_id, "message_id": ev.message_id});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "reaction.changed" => {
            let ev = msg_pb::ReactionChanged::decode(p)?;
            let frame = json!({"type": "reaction", "chat_id": ev.chat_id, "message_id": ev.message_id,
                "user_id": ev.user_id, "emoji": ev.emoji, "action": ev.action});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "receipt.read" => {
            let ev = msg_pb::ReceiptRead::decode(p)?;
            let frame = json!({"type": "read_receipt", "chat_id": ev.chat_id, "user_id": ev.user_id,
                "last_read_msg_id": ev.last_read_msg_id});
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "chat.created" => {
            let ev = chat_pb::ChatCreated::decode(p)?;
            let frame =
                json!({"type": "chat_created", "chat_id": ev.chat_id, "chat_type": ev.chat_type,
                "title": ev.title, "created_by": ev.created_by})
                .to_string();
            ev.audience_user_ids
                .iter()
                .map(|u| (user(*u), frame.clone()))
                .collect()
        }
        "chat.updated" => {
            let ev = chat_pb::ChatUpdated::decode(p)?;
            let frame = if ev.avatar_changed {
                json!({"type": "chat_updated", "chat_id": ev.chat_id, "avatar_url": ev.avatar_url})
            } else {
                let mut f = json!({"type": "chat_updated", "chat_id": ev.chat_id});
                if let Some(title) = ev.title {
                    f["title"] = json!(title);
                }
                if let Some(description) = ev.description {
                    f["description"] = json!(description);
                }
                f
            };
            vec![(chat(ev.chat_id), frame.to_string())]
        }
        "chat.deleted" => {
            let ev = chat_pb::ChatDeleted::decode(p)?;
            let frame =
                json!({"type": "chat_deleted", "chat_id": ev.chat_id, "deleted_by": ev.deleted_by})
                    .to_string();
            let mut out: Publish = vec![(chat(ev.chat_id), encode_control(&Control::Drop))];
            out.extend(
                ev.former_member_ids
                    .iter()
                    .map(|u| (user(*u), frame.clone())),
            );
            out.push(membership_changed(prefix, ev.chat_id, None));
            out
        }
        "member.joined" => {
            let ev = chat_pb::MemberJoined::decode(p)?;
            let joined = json!({"type": "chat_member_joined", "chat_id": ev.chat_id, "user_id": ev.user_id,
                "username": ev.username, "display_name": ev.display_name});
            // §8.5: the literal `group` (even for channels), the joiner as
            // `created_by`, and no `title`.
            let created = json!({"type": "chat_created", "chat_id": ev.chat_id, "chat_type": "group",
                "created_by": ev.user_id});
            vec![
                (chat(ev.chat_id), joined.to_string()),
                (user(ev.user_id), created.to_string()),
            ]
        }
        "member.left" => {
            let ev = chat_pb::MemberLeft::decode(p)?;
            let frame =
                json!({"type": "chat_member_left", "chat_id": ev.chat_id, "user_id": ev.user_id})
                    .to_string();
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
        "user.updated" => {
            let ev = auth_pb::UserUpdated::decode(p)?;
            let mut frames = Vec::new();
            if ev.display_name_changed {
                let name = ev.display_name.unwrap_or_else(|| ev.username.clone());
                frames.push(json!({"type": "user_profile_updated", "user_id": ev.user_id, "display_name": name}));
            }
            if ev.avatar_changed {
                frames.push(json!({"type": "user_profile_updated", "user_id": ev.user_id, "avatar_url": ev.avatar_url}));
            }
            if frames.is_empty() {
                return Ok(Needs::Nothing(Vec::new()));
            }
            let frames = frames.iter().map(Value::to_string).collect();
            return Ok(Needs::ChatsOf {
                user_id: ev.user_id,
                frames,
            });
        }
        "user.blocked" => {
            let ev = auth_pb::UserBlocked::decode(p)?;
            vec![(user(ev.user_id), close("Account blocked"))]
        }
        "user.deleted" => {
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

fn micros(us: i64) -> Value {
    chrono::DateTime::from_timestamp_micros(us).map_or(Value::Null, |t| json!(format_ts(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_events::fanout::{Payload, decode};

    fn envelope<M: Message>(event_type: &str, payload: &M) -> Envelope {
        Envelope {
            id: "e1".into(),
            r#type: event_type.into(),
            payload: payload.encode_to_vec(),
            ..Default::default()
        }
    }

    fn publish(event_type: &str, payload: &impl Message) -> Publish {
        match translate("p:", &envelope(event_type, payload)) {
            Ok(Needs::Nothing(out)) => out,
            _ => panic!("{event_type}: unexpected translation"),
        }
    }

    fn frame(payload: &str) -> Value {
        match decode(payload.as_bytes()) {
            Some(Payload::Frame(f)) | Some(Payload::Message { frame: f, .. }) => {
                serde_json::from_str(f).unwrap_or(Value::Null)
            }
            other => panic!("not a frame: {other:?}"),
        }
    }

    #[test]
    fn a_new_message_goes_to_its_chat_with_its_seq() {
        let ev = msg_pb::MessageCreated {
            message: Some(msg_pb::Message {
                id: 9,
                chat_id: 4,
                seq: 3,
                ..Default::default()
            }),
            enriched_json: r#"{"id":9,"chat_id":4,"seq":3,"content":"hi"}"#.into(),
        };
        let out = publish("message.created", &ev);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, "p:chat:4");
        assert!(out[0].1.starts_with("#3 "));
        assert_eq!(
            frame(&out[0].1),
            json!({"type":"message","id":9,"chat_id":4,"seq":3,"content":"hi"})
        );
    }

    #[test]
    fn leaving_notifies_the_chat_the_leaver_and_every_node() {
        let out = publish(
            "member.left",
            &chat_pb::MemberLeft {
                chat_id: 4,
                user_id: 7,
            },
        );
        let channels: Vec<&str> = out.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(channels, ["p:chat:4", "p:user:7", "p:edge:all"]);
        assert_eq!(
            frame(&out[0].1),
            json!({"type":"chat_member_left","chat_id":4,"user_id":7})
        );
        assert_eq!(
            decode(out[1].1.as_bytes()),
            Some(Payload::Control(Control::Left {
                chat_id: 4,
                frame: out[0].1.clone()
            }))
        );
        assert_eq!(
            decode(out[2].1.as_bytes()),
            Some(Payload::Control(Control::Membership {
                chat_id: 4,
                user_id: Some(7)
            }))
        );
    }

    #[test]
    fn a_deleted_chat_is_dropped_and_every_former_member_told() {
        let ev = chat_pb::ChatDeleted {
            chat_id: 4,
            deleted_by: 1,
            former_member_ids: vec![1, 2],
        };
        let out = publish("chat.deleted", &ev);
        assert_eq!(
            decode(out[0].1.as_bytes()),
            Some(Payload::Control(Control::Drop))
        );
        assert_eq!(out[1].0, "p:user:1");
        assert_eq!(out[2].0, "p:user:2");
        assert_eq!(
            frame(&out[2].1),
            json!({"type":"chat_deleted","chat_id":4,"deleted_by":1})
        );
    }

    #[test]
    fn an_invite_join_tells_the_chat_and_gives_the_joiner_the_chat() {
        let ev = chat_pb::MemberJoined {
            chat_id: 4,
            user_id: 7,
            role: "member".into(),
            username: "dora".into(),
            display_name: "Dora".into(),
            chat_type: "channel".into(),
        };
        let out = publish("member.joined", &ev);
        assert_eq!(
            frame(&out[0].1),
            json!({"type":"chat_member_joined","chat_id":4,"user_id":7,"username":"dora","display_name":"Dora"})
        );
        assert_eq!(out[1].0, "p:user:7");
        assert_eq!(
            frame(&out[1].1),
            json!({"type":"chat_created","chat_id":4,"chat_type":"group","created_by":7})
        );
    }

    #[test]
    fn a_blocked_user_is_disconnected_everywhere() {
        let out = publish("user.blocked", &auth_pb::UserBlocked { user_id: 7 });
        assert_eq!(
            decode(out[0].1.as_bytes()),
            Some(Payload::Control(Control::Close {
                code: 1008,
                reason: "Account blocked".into()
            }))
        );
    }

    #[test]
    fn message_updates_render_timestamps_per_the_contract() {
        let ev = msg_pb::MessageUpdated {
            chat_id: 4,
            message_id: 9,
            content: "x".into(),
            updated_at_micros: 0,
        };
        let out = publish("message.updated", &ev);
        assert_eq!(
            frame(&out[0].1),
            json!({"type":"message_updated","chat_id":4,"message_id":9,"content":"x","updated_at":"1970-01-01 00:00:00+00"})
        );
    }
}
