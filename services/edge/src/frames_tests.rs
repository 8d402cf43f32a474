//! Events to frames and channels (§16.3, §1.8).

use super::*;
use chorus_events::fanout::{Payload, decode};
use serde_json::{Value, json};

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
    assert!(out[0].1.starts_with("#3@"), "{}", out[0].1);
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
