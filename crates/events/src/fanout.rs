//! The realtime fan-out wire format on Redis pub/sub (CONTRACT §18.12, DESIGN §2).
//!
//! Producers (the edge's event consumer, the presence service, the edge itself for
//! `typing`) PUBLISH to one channel per chat, one per user and one broadcast
//! channel every edge node listens to. A payload is one of:
//! - a client frame, forwarded byte for byte: starts with `{`;
//! - a `message` frame with its per-chat `seq` and the time of its event in
//!   Unix milliseconds, and when traces are exported its W3C `traceparent`:
//!   `#<seq>@<ms>[;<traceparent>] {…}` (the edge uses the seq to drop live
//!   copies of what a catch-up replay already sent, the time to measure the
//!   fan-out lag, the trace to continue it to the socket write; `#<seq> {…}`
//!   without a time is read too);
//! - a `presence` frame on a user channel with its subject and the version of
//!   the transition: `~<user_id>@<version> {…}` (the edge drops a transition
//!   older than the last one it delivered for that subject: with several
//!   presence instances an older `offline` can be published after a newer
//!   `online`);
//! - a control instruction for the edge nodes: `!{"op":…}`.
//!
//! Redis pub/sub is at-most-once; clients recover missed messages by `seq`.

use serde::{Deserialize, Serialize};

/// Chat-scope channel (§1.8): every connection subscribed to the chat.
pub fn chat_channel(prefix: &str, chat_id: i64) -> String {
    format!("{prefix}chat:{chat_id}")
}

/// User-scope channel (§1.8): every authenticated connection of the user.
pub fn user_channel(prefix: &str, user_id: i64) -> String {
    format!("{prefix}user:{user_id}")
}

/// The channel every edge node subscribes to at start.
pub fn broadcast_channel(prefix: &str) -> String {
    format!("{prefix}edge:all")
}

/// Instructions to the edge nodes, beside plain frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Control {
    /// User channel: close every connection of the user (blocked or deleted, §2.4).
    Close { code: u16, reason: String },
    /// User channel: the user is no longer a member of `chat_id`. Their
    /// connections stop receiving that chat's events; the ones that were not
    /// subscribed to it get `frame` (`chat_member_left`, user scope), the
    /// subscribed ones already got it on the chat channel.
    Left { chat_id: i64, frame: String },
    /// Chat channel: the chat is gone; unsubscribe every connection from it.
    Drop,
    /// Broadcast: a presence transition whose audience is by subscription
    /// (`approx_only` / `nobody`, §17.4). Each connection subscribed to at least
    /// one of `chat_ids` gets one copy: `full` on an admin token, otherwise
    /// `approx` (nothing when `None`). `user_id` and `version` order it among
    /// the subject's other transitions, as for [`Payload::Presence`] (0: none
    /// given, delivered as it comes).
    Presence {
        #[serde(default)]
        user_id: i64,
        #[serde(default)]
        version: u64,
        chat_ids: Vec<i64>,
        full: String,
        approx: Option<String>,
    },
    /// Broadcast: a membership ended; drop cached "is a member" answers for the
    /// user in the chat (`user_id: None`: for everyone in it).
    Membership { chat_id: i64, user_id: Option<i64> },
}

/// A decoded payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload<'a> {
    Frame(&'a str),
    Message {
        seq: i64,
        /// The event's time (Unix ms), when the producer gave it.
        at_ms: Option<i64>,
        /// The producer's trace context, when traces are exported.
        traceparent: Option<&'a str>,
        frame: &'a str,
    },
    /// A `presence` frame of `user_id`'s transition number `version`.
    Presence {
        user_id: i64,
        version: u64,
        frame: &'a str,
    },
    Control(Control),
}

/// A `message` frame with its seq, its event's time (Unix ms) and its trace.
pub fn encode_message(seq: i64, at_ms: i64, traceparent: Option<&str>, frame: &str) -> String {
    match traceparent {
        // A traceparent has no spaces: the frame still starts after the first one.
        Some(tp) => format!("#{seq}@{at_ms};{tp} {frame}"),
        None => format!("#{seq}@{at_ms} {frame}"),
    }
}

/// A `presence` frame with its subject and the version of its transition.
pub fn encode_presence(user_id: i64, version: u64, frame: &str) -> String {
    format!("~{user_id}@{version} {frame}")
}

pub fn encode_control(control: &Control) -> String {
    // Serialising a plain enum of strings and integers cannot fail.
    format!("!{}", serde_json::to_string(control).unwrap_or_default())
}

/// Parses a payload; `None` for anything malformed (it is dropped).
pub fn decode(bytes: &[u8]) -> Option<Payload<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    match text.as_bytes().first()? {
        b'{' => Some(Payload::Frame(text)),
        b'#' => {
            let (head, frame) = text[1..].split_once(' ')?;
            let (head, traceparent) = match head.split_once(';') {
                Some((head, tp)) => (head, Some(tp)),
                None => (head, None),
            };
            let (seq, at_ms) = match head.split_once('@') {
                Some((seq, at)) => (seq, Some(at.parse().ok()?)),
                None => (head, None),
            };
            Some(Payload::Message {
                seq: seq.parse().ok()?,
                at_ms,
                traceparent,
                frame,
            })
        }
        b'~' => {
            let (head, frame) = text[1..].split_once(' ')?;
            let (user_id, version) = head.split_once('@')?;
            Some(Payload::Presence {
                user_id: user_id.parse().ok()?,
                version: version.parse().ok()?,
                frame,
            })
        }
        b'!' => serde_json::from_str(&text[1..]).ok().map(Payload::Control),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payload_kind_round_trips() {
        assert_eq!(
            decode(b"{\"type\":\"pong\"}"),
            Some(Payload::Frame("{\"type\":\"pong\"}"))
        );
        let m = encode_message(42, 1_765_000_000_123, None, "{\"type\":\"message\"}");
        assert_eq!(
            decode(m.as_bytes()),
            Some(Payload::Message {
                seq: 42,
                at_ms: Some(1_765_000_000_123),
                traceparent: None,
                frame: "{\"type\":\"message\"}"
            })
        );
        let tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let m = encode_message(7, 5, Some(tp), "{\"a\": 1}");
        assert_eq!(
            decode(m.as_bytes()),
            Some(Payload::Message {
                seq: 7,
                at_ms: Some(5),
                traceparent: Some(tp),
                frame: "{\"a\": 1}"
            })
        );
        assert_eq!(
            decode(b"#42 {}"),
            Some(Payload::Message {
                seq: 42,
                at_ms: None,
                traceparent: None,
                frame: "{}"
            }),
            "the form without a time"
        );
        let c = Control::Left {
            chat_id: 7,
            frame: "{}".into(),
        };
        assert_eq!(
            decode(encode_control(&c).as_bytes()),
            Some(Payload::Control(c))
        );
        assert_eq!(
            decode(encode_control(&Control::Drop).as_bytes()),
            Some(Payload::Control(Control::Drop))
        );
        let p = encode_presence(3, 1_765_000_000_123, "{\"type\":\"presence\"}");
        assert_eq!(
            decode(p.as_bytes()),
            Some(Payload::Presence {
                user_id: 3,
                version: 1_765_000_000_123,
                frame: "{\"type\":\"presence\"}"
            })
        );
        let c = Control::Presence {
            user_id: 3,
            version: 9,
            chat_ids: vec![30],
            full: "{}".into(),
            approx: None,
        };
        assert_eq!(
            decode(encode_control(&c).as_bytes()),
            Some(Payload::Control(c))
        );
    }

    #[test]
    fn a_presence_control_without_a_version_still_decodes() {
        // As published before transitions were versioned (a rolling upgrade).
        let old = br#"!{"op":"presence","chat_ids":[30],"full":"{}","approx":null}"#;
        assert_eq!(
            decode(old),
            Some(Payload::Control(Control::Presence {
                user_id: 0,
                version: 0,
                chat_ids: vec![30],
                full: "{}".into(),
                approx: None,
            }))
        );
    }

    #[test]
    fn malformed_payloads_are_rejected() {
        for bad in [
            &b""[..],
            b"x",
            b"#12",
            b"#x {}",
            b"#1@x {}",
            b"~1 {}",
            b"~1@x {}",
            b"~1@-2 {}",
            b"~1@2",
            b"!{\"op\":\"nope\"}",
            b"\xff{",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
