//! Client frames and server replies of §16.2–§16.3, with the contract's error texts.

use serde_json::{Map, Value, json};

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
    Pong,
    Error(String),
}

impl Reply {
    pub fn error(message: &str) -> Self {
        Self::Error(message.to_string())
    }

    pub fn to_json(&self) -> String {
        match self {
            Self::AuthOk { user_id } => json!({"type": "auth_ok", "user_id": user_id}),
            Self::Subscribed { chat_id } => json!({"type": "subscribed", "chat_id": chat_id}),
            Self::Pong => json!({"type": "pong"}),
            Self::Error(message) => json!({"type": "error", "message": message}),
        }
        .to_string()
    }
}

/// Parses one text frame. Before authentication only `auth` is accepted.
pub fn parse(text: &str, authenticated: bool) -> Result<ClientFrame, Reply> {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) else {
        return Err(Reply::error("Invalid JSON"));
    };
    let kind = match obj.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if kind == "auth" {
        let token = obj.get("token").and_then(Value::as_str).unwrap_or_default();
        return Ok(ClientFrame::Auth {
            token: token.to_string(),
            active: flag(&obj, "active").unwrap_or(true),
        });
    }
    if !authenticated {
        return Err(Reply::error("Not authenticated"));
    }
    match kind.as_str() {
        "ping" => Ok(ClientFrame::Ping {
            active: flag(&obj, "active") == Some(true),
        }),
        "subscribe" => Ok(ClientFrame::Subscribe {
            chat_id: chat_id(&obj)?,
            after_seq: obj
                .get("after_seq")
                .and_then(Value::as_i64)
                .filter(|s| *s >= 0),
        }),
        "typing" => Ok(ClientFrame::Typing {
            chat_id: chat_id(&obj)?,
        }),
        "presence_update" => match obj.get("status").and_then(Value::as_str) {
            Some("active") => Ok(ClientFrame::Presence { active: true }),
            Some("away") => Ok(ClientFrame::Presence { active: false }),
            _ => Err(Reply::error("Invalid presence status")),
        },
        _ => Err(Reply::Error(format!("Unknown message type: {kind}"))),
    }
}

fn flag(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    obj.get(key).and_then(Value::as_bool)
}

/// A positive integer `chat_id`; anything else is `Invalid chat_id`.
fn chat_id(obj: &Map<String, Value>) -> Result<i64, Reply> {
    obj.get("chat_id")
        .and_then(Value::as_i64)
        .filter(|id| *id > 0)
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
            r#"{"chat_id":4,"type":"subscribed"}"#
        );
        assert_eq!(Reply::Pong.to_json(), r#"{"type":"pong"}"#);
    }
}
