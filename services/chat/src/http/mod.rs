//! Public HTTP routes of the chat service (CONTRACT §7, §8), each described in
//! the OpenAPI document by the same `routes!` that registers it. Literal segments
//! (`/chats/by-name/…`) win over `{id}` in axum's router.

mod chats;
mod flags;
mod invites;
mod members;
mod read;

use crate::state::AppState;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use chorus_kit::http::parse_id;
use chorus_kit::openapi::ApiRouter;
use chorus_proto::{ChatId, UserId};
use std::convert::Infallible;

/// The 401 texts of every "Auth: user" route (§1.4), for the document.
use chorus_kit::openapi::UNAUTHORIZED;

/// Every public route with its description; [`router`] and [`crate::openapi`]
/// both come from here, so the document cannot drift from what is served.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(chats::routes())
        .merge(flags::routes())
        .merge(members::routes())
        .merge(invites::routes())
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// The `{id}` of a route: `None` when the segment is not a decimal integer, which
/// every handler answers like a missing chat (§1.2).
pub struct ChatPath(pub Option<ChatId>);

impl<S: Send + Sync> FromRequestParts<S> for ChatPath {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(segment)| parse_id(&segment))
            .map(ChatId);
        Ok(Self(id))
    }
}

/// `{id}` and `{userId}` of the role routes, each `None` when not an integer.
pub struct ChatAndUser(pub Option<ChatId>, pub Option<UserId>);

impl<S: Send + Sync> FromRequestParts<S> for ChatAndUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ids = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .ok();
        Ok(match ids {
            Some(Path((chat, user))) => {
                Self(parse_id(&chat).map(ChatId), parse_id(&user).map(UserId))
            }
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

#[cfg(test)]
mod tests;
