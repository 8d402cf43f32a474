//! The frames' wire shapes against CONTRACT §16.2–§16.3.

use super::*;
use chorus_kit::time::Timestamp;
use chorus_proto::{ChatId, ChatType, MessageId, UserId};
use serde_json::value::RawValue;
use serde_json::{Value, json};

fn shape(frame: &WsServerMessage<'_>) -> Value {
    serde_json::from_str(&frame.to_text()).unwrap_or(Value::Null)
}

#[test]
fn the_message_object_becomes_a_message_frame() {
    assert_eq!(
        WsMessage(r#"{"id":1,"seq":2}"#).frame(),
        r#"{"type":"message","id":1,"seq":2}"#
    );
    assert_eq!(WsMessage("{}").frame(), r#"{"type":"message"}"#);
}

#[test]
fn a_message_serialised_through_serde_equals_the_spliced_frame() -> anyhow::Result<()> {
    let json = r#"{"id":9,"chat_id":4,"content":"hi","reply_to_message_id":null}"#;
    let frame = WsServerMessage::Message(WsMessage(json));
    let spliced: Value = serde_json::from_str(&frame.to_text())?;
    assert_eq!(spliced, serde_json::to_value(&frame)?);
    assert_eq!(spliced["type"], "message");
    Ok(())
}

#[test]
fn replies_and_events_have_the_contract_shapes() -> anyhow::Result<()> {
    let raw: &RawValue = serde_json::from_str(r#"{"id":9, "content":"x"}"#)?;
    let cases = [
        (
            WsServerMessage::Typing(WsTyping {
                chat_id: ChatId(4),
                user_id: UserId(7),
                username: None,
            }),
            json!({"type":"typing","chat_id":4,"user_id":7}),
        ),
        (
            WsServerMessage::Presence(WsPresence::Full(WsPresenceFull {
                user_id: UserId(7),
                username: "dora".into(),
                status: WsOnlineStatus::Offline,
            })),
            json!({"type":"presence","user_id":7,"username":"dora","status":"offline"}),
        ),
        (
            WsServerMessage::Presence(WsPresence::Approx(WsPresenceApprox {
                user_id: UserId(7),
                username: "dora".into(),
                privacy: WsPrivacy::ApproxOnly,
                last_seen_bucket: WsLastSeenBucket::Recently,
            })),
            json!({"type":"presence","user_id":7,"username":"dora","privacy":"approx_only","last_seen_bucket":"recently"}),
        ),
        (
            WsServerMessage::Reaction(WsReaction {
                chat_id: ChatId(4),
                message_id: MessageId(9),
                user_id: UserId(7),
                emoji: "👍".into(),
                action: WsReactionAction::Removed,
            }),
            json!({"type":"reaction","chat_id":4,"message_id":9,"user_id":7,"emoji":"👍","action":"removed"}),
        ),
        (
            WsServerMessage::MessagePinned(WsMessagePinned {
                chat_id: ChatId(4),
                message_id: MessageId(9),
                pinned_by: UserId(7),
                message: Some(raw),
            }),
            json!({"type":"message_pinned","chat_id":4,"message_id":9,"pinned_by":7,"message":{"id":9,"content":"x"}}),
        ),
        (
            WsServerMessage::MessagePinned(WsMessagePinned {
                chat_id: ChatId(4),
                message_id: MessageId(9),
                pinned_by: UserId(7),
                message: None,
            }),
            json!({"type":"message_pinned","chat_id":4,"message_id":9,"pinned_by":7,"message":null}),
        ),
        (
            WsServerMessage::MessageUpdated(WsMessageUpdated {
                chat_id: ChatId(4),
                message_id: MessageId(9),
                content: "x".into(),
                updated_at: chrono::DateTime::from_timestamp_micros(500_000).map(Timestamp),
            }),
            json!({"type":"message_updated","chat_id":4,"message_id":9,"content":"x","updated_at":"1970-01-01 00:00:00.5+00"}),
        ),
        (
            WsServerMessage::ChatCreated(WsChatCreated {
                chat_id: ChatId(4),
                chat_type: ChatType::Channel,
                title: Some("News".into()),
                created_by: UserId(1),
            }),
            json!({"type":"chat_created","chat_id":4,"chat_type":"channel","title":"News","created_by":1}),
        ),
        (
            WsServerMessage::ChatUpdated(WsChatUpdated {
                chat_id: ChatId(4),
                title: Some("T".into()),
                description: None,
                avatar_url: None,
            }),
            json!({"type":"chat_updated","chat_id":4,"title":"T"}),
        ),
        (
            WsServerMessage::ChatUpdated(WsChatUpdated {
                chat_id: ChatId(4),
                title: None,
                description: None,
                avatar_url: Some(None),
            }),
            json!({"type":"chat_updated","chat_id":4,"avatar_url":null}),
        ),
        (
            WsServerMessage::UserProfileUpdated(WsUserProfileUpdated {
                user_id: UserId(7),
                display_name: None,
                avatar_url: Some(Some("http://s/a".into())),
            }),
            json!({"type":"user_profile_updated","user_id":7,"avatar_url":"http://s/a"}),
        ),
        (
            WsServerMessage::ReadReceipt(WsReadReceipt {
                chat_id: ChatId(4),
                user_id: UserId(7),
                last_read_msg_id: MessageId(9),
            }),
            json!({"type":"read_receipt","chat_id":4,"user_id":7,"last_read_msg_id":9}),
        ),
        (WsServerMessage::Pong, json!({"type":"pong"})),
    ];
    for (frame, expected) in cases {
        assert_eq!(shape(&frame), expected);
        assert!(frame.to_text().starts_with(r#"{"type":""#), "type first");
    }
    Ok(())
}

#[test]
fn well_formed_client_frames_read_as_their_types() -> anyhow::Result<()> {
    let cases = [
        (
            r#"{"type":"auth","token":"t"}"#,
            WsClientMessage::Auth(WsAuth {
                token: "t".into(),
                active: None,
            }),
        ),
        (
            r#"{"type":"ping","active":true}"#,
            WsClientMessage::Ping(WsPing { active: Some(true) }),
        ),
        (
            r#"{"type":"subscribe","chat_id":5,"after_seq":"x"}"#,
            WsClientMessage::Subscribe(WsSubscribe {
                chat_id: Some(5),
                after_seq: None,
            }),
        ),
        (
            r#"{"type":"typing","chat_id":"5"}"#,
            WsClientMessage::Typing(WsTypingNotice { chat_id: None }),
        ),
        (
            r#"{"type":"presence_update","status":"away"}"#,
            WsClientMessage::PresenceUpdate(WsPresenceUpdate {
                status: Some(WsActivity::Away),
            }),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            serde_json::from_str::<WsClientMessage>(text)?,
            expected,
            "{text}"
        );
    }
    Ok(())
}
