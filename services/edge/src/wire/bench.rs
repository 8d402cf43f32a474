//! A before/after micro-measure of frame rendering: the `json!` maps the edge
//! built before (kept here as the baseline) against the typed frames. Prints
//! figures, asserts nothing about time:
//! `cargo test -p chorus-edge --release --lib frame_rendering -- --ignored --nocapture`

use super::*;
use chorus_proto::{ChatId, MessageId, UserId};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::Instant;

const MESSAGE: &str = r#"{"id":123456,"chat_id":42,"seq":991,"sender_id":7,"sender_username":"dora","sender_display_name":"Dora Explorer","sender_avatar_url":null,"content":"Hello there, this is a fairly ordinary chat message of moderate length.","message_type":"text","created_at":"2026-03-01 14:07:09.52113+00","updated_at":null,"reply_to_message_id":null,"file_id":null,"attachment_url":null,"duration_seconds":null,"reactions":{}}"#;

#[allow(clippy::print_stdout, reason = "it prints its figures")]
fn per_op(label: &str, rounds: u32, mut f: impl FnMut() -> usize) {
    let mut bytes = 0;
    for _ in 0..rounds / 10 {
        bytes += f();
    }
    let start = Instant::now();
    for _ in 0..rounds {
        bytes += f();
    }
    let ns = start.elapsed().as_nanos() / u128::from(rounds);
    println!("{label:<40} {ns:>6} ns/frame ({})", black_box(bytes) % 7);
}

#[test]
#[ignore = "a measurement, not a check"]
#[allow(clippy::print_stdout, reason = "it prints its figures")]
fn frame_rendering_before_and_after() -> anyhow::Result<()> {
    const N: u32 = 200_000;
    per_op("message_pinned, json! (before)", N, || {
        let message: Value = serde_json::from_str(black_box(MESSAGE)).unwrap_or(Value::Null);
        json!({"type": "message_pinned", "chat_id": 42, "message_id": 123456, "pinned_by": 7, "message": message})
            .to_string()
            .len()
    });
    per_op("message_pinned, typed (after)", N, || {
        let message = serde_json::from_str::<&RawValue>(black_box(MESSAGE)).ok();
        WsServerMessage::MessagePinned(WsMessagePinned {
            chat_id: ChatId(42),
            message_id: MessageId(123456),
            pinned_by: UserId(7),
            message,
        })
        .to_text()
        .len()
    });
    let emoji = String::from("👍");
    per_op("reaction, json! (before)", N, || {
        json!({"type": "reaction", "chat_id": 42, "message_id": 123456, "user_id": 7, "emoji": black_box(&emoji), "action": "added"})
            .to_string()
            .len()
    });
    per_op("reaction, typed (after)", N, || {
        WsServerMessage::Reaction(WsReaction {
            chat_id: ChatId(42),
            message_id: MessageId(123456),
            user_id: UserId(7),
            emoji: black_box(&emoji).clone(),
            action: WsReactionAction::Added,
        })
        .to_text()
        .len()
    });
    per_op("typing, json! (before)", N, || {
        let mut frame = json!({"type": "typing", "chat_id": 42, "user_id": 7});
        frame["username"] = json!(black_box("dora"));
        frame.to_string().len()
    });
    per_op("typing, typed (after)", N, || {
        WsServerMessage::Typing(WsTyping {
            chat_id: ChatId(42),
            user_id: UserId(7),
            username: Some(black_box("dora")),
        })
        .to_text()
        .len()
    });
    per_op("message (spliced, unchanged)", N, || {
        WsMessage(black_box(MESSAGE)).frame().len()
    });
    Ok(())
}
