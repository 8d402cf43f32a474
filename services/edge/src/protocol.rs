//! Client frames and server replies of §16.2–§16.3, with the contract's error
//! texts. The wire shapes are the types of [`crate::wire`]; this module turns
//! them into what a session acts on.

use crate::wire::{
    WsActivity, WsAuthOk, WsCatchUpTruncated, WsClientMessage, WsError, WsServerMessage,
    WsSubscribed,
};
use chorus_proto::{ChatId, UserId};
use serde_json::{Map, Value};

/// A client frame, checked: defaults applied, ids valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    Auth {
        token: String,
        active: bool,
    },
    Ping {
        active: bool,
    },
    Subscribe {
        chat_id: i64,
        after_seq: Option<i64>,
    },
    Typing {
        chat_id: i64,
    },
    /// `presence_update`: `active` or `away`.
    Presence {
        active: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    AuthOk { user_id: i64 },
    Subscribed { chat_id: i64 },
    CatchUpTruncated { chat_id: i64, last_seq: i64 },
    Pong,
    Error(String),
}

impl Reply {
    pub fn error(message: &str) -> Self {
        Self::Error(message.to_string())
    }

    pub fn to_json(&self) -> String {
        match self {
            Self::AuthOk { user_id } => WsServerMessage::AuthOk(WsAuthOk {
                user_id: UserId(*user_id),
            }),
            Self::Subscribed { chat_id } => WsServerMessage::Subscribed(WsSubscribed {
                chat_id: ChatId(*chat_id),
            }),
            Self::CatchUpTruncated { chat_id, last_seq } => {
                WsServerMessage::CatchUpTruncated(WsCatchUpTruncated {
                    chat_id: ChatId(*chat_id),
                    last_seq: *last_seq,
                })
            }
            Self::Pong => WsServerMessage::Pong,
            Self::Error(message) => WsServerMessage::Error(WsError {
                message: message.clone(),
            }),
        }
        .to_text()
    }
}

/// Parses one text frame. Before authentication only `auth` is accepted.
pub fn parse(text: &str, authenticated: bool) -> Result<ClientFrame, Reply> {
    let Ok(obj) = serde_json::from_str::<Map<String, Value>>(text) else {
        return Err(Reply::error("Invalid JSON"));
    };
    // The error texts need the type as sent, whatever its JSON type.
    let kind = match obj.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if kind != "auth" && !authenticated {
        return Err(Reply::error("Not authenticated"));
    }
    if !matches!(
        kind.as_str(),
        "auth" | "ping" | "subscribe" | "typing" | "presence_update"
    ) {
        return Err(Reply::Error(format!("Unknown message type: {kind}")));
    }
    // Every field reads leniently, so a known type always parses.
    let message = serde_json::from_value::<WsClientMessage>(Value::Object(obj))
        .map_err(|_| Reply::error("Invalid JSON"))?;
    Ok(match message {
        WsClientMessage::Auth(auth) => ClientFrame::Auth {
            token: auth.token,
            active: auth.active.unwrap_or(true),
        },
        WsClientMessage::Ping(ping) => ClientFrame::Ping {
            active: ping.active == Some(true),
        },
        WsClientMessage::Subscribe(sub) => ClientFrame::Subscribe {
            chat_id: chat_id(sub.chat_id)?,
            after_seq: sub.after_seq.filter(|s| *s >= 0),
        },
        WsClientMessage::Typing(typing) => ClientFrame::Typing {
            chat_id: chat_id(typing.chat_id)?,
        },
        WsClientMessage::PresenceUpdate(update) => match update.status {
            Some(WsActivity::Active) => ClientFrame::Presence { active: true },
            Some(WsActivity::Away) => ClientFrame::Presence { active: false },
            None => return Err(Reply::error("Invalid presence status")),
        },
    })
}

/// A positive integer `chat_id`; anything else is `Invalid chat_id`.
fn chat_id(id: Option<i64>) -> Result<i64, Reply> {
    id.filter(|id| *id > 0)
        .ok_or_else(|| Reply::error("Invalid chat_id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, authenticated: bool) -> String {
        match parse(text, authenticated) {
            Err(Reply::Error(message)) => message,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn unparseable_text_is_invalid_json() {
        for text in ["", "nope", "[1]", "\"auth\"", "{\"type\":"] {
            assert_eq!(err(text, true), "Invalid JSON", "{text}");
        }
    }

    #[test]
    fn only_auth_is_accepted_before_authentication() {
        assert_eq!(err(r#"{"type":"ping"}"#, false), "Not authenticated");
        assert_eq!(err(r#"{"type":"bogus"}"#, false), "Not authenticated");
        assert_eq!(
            parse(r#"{"type":"auth","token":"t","active":false}"#, false),
            Ok(ClientFrame::Auth {
                token: "t".into(),
                active: false
            })
        );
        assert_eq!(
            parse(r#"{"type":"auth","token":"t"}"#, false),
            Ok(ClientFrame::Auth {
                token: "t".into(),
                active: true
            })
        );
    }

    #[test]
    fn chat_ids_must_be_positive_integers() {
        for text in [
            r#"{"type":"subscribe"}"#,
            r#"{"type":"subscribe","chat_id":0}"#,
            r#"{"type":"subscribe","chat_id":-4}"#,
            r#"{"type":"subscribe","chat_id":"5"}"#,
            r#"{"type":"typing","chat_id":1.5}"#,
        ] {
            assert_eq!(err(text, true), "Invalid chat_id", "{text}");
        }
        assert_eq!(
            parse(r#"{"type":"subscribe","chat_id":5,"after_seq":9}"#, true),
            Ok(ClientFrame::Subscribe {
                chat_id: 5,
                after_seq: Some(9)
            })
        );
    }

    #[test]
    fn presence_statuses_and_unknown_types_get_the_contract_texts() {
        assert_eq!(
            err(r#"{"type":"presence_update","status":"busy"}"#, true),
            "Invalid presence status"
        );
        assert_eq!(
            err(r#"{"type":"dance"}"#, true),
            "Unknown message type: dance"
        );
        assert_eq!(
            parse(r#"{"type":"presence_update","status":"away"}"#, true),
            Ok(ClientFrame::Presence { active: false })
        );
    }

    #[test]
    fn replies_have_the_contract_shapes() {
        assert_eq!(
            Reply::AuthOk { user_id: 3 }.to_json(),
            r#"{"type":"auth_ok","user_id":3}"#
        );
        assert_eq!(
            Reply::Subscribed { chat_id: 4 }.to_json(),
            r#"{"type":"subscribed","chat_id":4}"#
        );
        assert_eq!(Reply::Pong.to_json(), r#"{"type":"pong"}"#);
        assert_eq!(
            Reply::error("Invalid JSON").to_json(),
            r#"{"type":"error","message":"Invalid JSON"}"#
        );
    }
}
