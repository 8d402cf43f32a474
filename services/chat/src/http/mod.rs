//! Public HTTP routes of the chat service (CONTRACT §7, §8). Literal segments
//! (`/chats/by-name/…`) win over `{id}` in axum's router.

mod chats;
mod flags;
mod invites;
mod members;

use crate::state::AppState;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use chorus_kit::http::parse_id;
use serde_json::Value;
use std::convert::Infallible;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(chats::router())
        .merge(flags::router())
        .merge(members::router())
        .merge(invites::router())
        .with_state(state)
}

/// The `{id}` of a route: `None` when the segment is not a decimal integer, which
/// every handler answers like a missing chat (§1.2).
pub struct ChatId(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for ChatId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(segment)| parse_id(&segment));
        Ok(Self(id))
    }
}

/// `{id}` and `{userId}` of the role routes, each `None` when not an integer.
pub struct ChatAndUser(pub Option<i64>, pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for ChatAndUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ids = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .ok();
        Ok(match ids {
            Some(Path((chat, user))) => Self(parse_id(&chat), parse_id(&user)),
            None => Self(None, None),
        })
    }
}

/// A percent-decoded string segment (public name, invite token); empty when it
/// does not decode to UTF-8, which matches nothing stored.
pub struct Segment(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let segment = Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(s)| s)
            .unwrap_or_default();
        Ok(Self(segment))
    }
}

/// A JSON field as a string when present: strings as they are, null as `""`,
/// other values in their JSON text ("values coerced to strings", §7.6).
pub(crate) fn coerce_present(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A JSON field as an integer id: integers, or strings holding one.
pub(crate) fn int_field(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
