//! Per-user chat flags (§7.9): `/chats/{id}/favorite|mute|pin|archive`. Setting
//! one needs membership (`403 Not a member`, also for an id that is not one);
//! clearing one never fails.

use super::ChatPath;
use super::UNAUTHORIZED;
use super::read::MutedUntil;
use crate::db::flags::Flag;
use crate::domain::members;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::http::MaybeJson;
use chorus_kit::lenient::Object;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_kit::time::{Timestamp, parse_ts};
use chorus_proto::UserId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(favorite_chat, unfavorite_chat))
        .routes(routes!(mute_chat, unmute_chat))
        .routes(routes!(pin_chat, unpin_chat))
        .routes(routes!(archive_chat, unarchive_chat))
}

async fn set(state: &AppState, user: AuthUser, id: ChatPath, flag: Flag) -> Result<StatusCode> {
    let id = id.0.ok_or(Error::NotMember)?;
    members::set_flag(&state.db, id, UserId(user.id), flag).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unset(state: &AppState, user: AuthUser, id: ChatPath, flag: Flag) -> Result<StatusCode> {
    // An id that is not one names no flag of the caller's: nothing to clear.
    if let Some(id) = id.0 {
        members::unset_flag(&state.db, id, UserId(user.id), flag).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Marks a chat as a favorite of the caller's
#[utoipa::path(
    post,
    path = "/chats/{id}/favorite",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Marked (idempotent)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Not a member`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn favorite_chat(
    State(s): State<AppState>,
    user: AuthUser,
    id: ChatPath,
) -> Result<StatusCode> {
    set(&s, user, id, Flag::Favorite).await
}

/// Removes a chat from the caller's favorites
#[utoipa::path(
    delete,
    path = "/chats/{id}/favorite",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Cleared (idempotent, no membership needed)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn unfavorite_chat(
    State(s): State<AppState>,
    user: AuthUser,
    id: ChatPath,
) -> Result<StatusCode> {
    unset(&s, user, id, Flag::Favorite).await
}

/// Pins a chat in the caller's list
#[utoipa::path(
    post,
    path = "/chats/{id}/pin",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Pinned (idempotent)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Not a member`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn pin_chat(State(s): State<AppState>, user: AuthUser, id: ChatPath) -> Result<StatusCode> {
    set(&s, user, id, Flag::Pin).await
}

/// Unpins a chat from the caller's list
#[utoipa::path(
    delete,
    path = "/chats/{id}/pin",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Cleared (idempotent, no membership needed)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn unpin_chat(State(s): State<AppState>, user: AuthUser, id: ChatPath) -> Result<StatusCode> {
    unset(&s, user, id, Flag::Pin).await
}

/// Archives a chat: it disappears from the caller's list
#[utoipa::path(
    post,
    path = "/chats/{id}/archive",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Archived (idempotent)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Not a member`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn archive_chat(
    State(s): State<AppState>,
    user: AuthUser,
    id: ChatPath,
) -> Result<StatusCode> {
    set(&s, user, id, Flag::Archive).await
}

/// Brings an archived chat back into the caller's list
#[utoipa::path(
    delete,
    path = "/chats/{id}/archive",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Cleared (idempotent, no membership needed)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn unarchive_chat(
    State(s): State<AppState>,
    user: AuthUser,
    id: ChatPath,
) -> Result<StatusCode> {
    unset(&s, user, id, Flag::Archive).await
}

/// `POST /chats/{id}/mute` (§7.9); the body is optional (`{}` when absent or not JSON).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MuteChatRequest {
    /// Until when; absent or null mutes indefinitely. The §1.5 form or RFC 3339.
    #[schema(value_type = Option<Timestamp>)]
    pub muted_until: MutedUntil,
}

/// The mute's end as sent: `Ok(None)` is indefinitely.
fn muted_until(body: Option<MuteChatRequest>) -> Result<Option<DateTime<Utc>>> {
    match body.map(|b| b.muted_until).unwrap_or_default() {
        MutedUntil::Indefinitely => Ok(None),
        MutedUntil::At(text) => parse_ts(&text).map(Some).ok_or(Error::InvalidMutedUntil),
        MutedUntil::NotAString => Err(Error::InvalidMutedUntil),
    }
}

/// Mutes a chat for the caller (re-posting overwrites)
#[utoipa::path(
    post,
    path = "/chats/{id}/mute",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    request_body(content = Option<MuteChatRequest>, content_type = "application/json"),
    responses(
        (status = 204, description = "Muted"),
        (status = 400, description = "`Invalid muted_until`", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Not a member`", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn mute_chat(
    State(s): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
    MaybeJson(body): MaybeJson<Object<MuteChatRequest>>,
) -> Result<StatusCode> {
    let until = muted_until(body.map(|Object(b)| b))?;
    let id = id.ok_or(Error::NotMember)?;
    members::mute(&s.db, id, UserId(user.id), until).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unmutes a chat for the caller
#[utoipa::path(
    delete,
    path = "/chats/{id}/mute",
    tag = "chats",
    params(("id" = i64, Path, description = "The chat")),
    responses(
        (status = 204, description = "Cleared (idempotent, no membership needed)"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn unmute_chat(
    State(s): State<AppState>,
    user: AuthUser,
    ChatPath(id): ChatPath,
) -> Result<StatusCode> {
    if let Some(id) = id {
        members::unmute(&s.db, id, UserId(user.id)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_kit::time::format_ts;

    fn parsed(json: &str) -> std::result::Result<Option<String>, String> {
        let body = serde_json::from_str::<Object<MuteChatRequest>>(json)
            .ok()
            .map(|o| o.0);
        muted_until(body)
            .map(|t| t.map(format_ts))
            .map_err(|e| e.to_string())
    }

    fn at(text: &str) -> String {
        format!(r#"{{"muted_until": {text:?}}}"#)
    }

    #[test]
    fn the_contract_timestamp_form_and_rfc3339_are_accepted() {
        for (text, want) in [
            (
                "2030-03-01 14:07:09.52113+00",
                "2030-03-01 14:07:09.52113+00",
            ),
            ("2030-03-01 14:07:09+00", "2030-03-01 14:07:09+00"),
            ("2030-03-01T16:07:09+02:00", "2030-03-01 14:07:09+00"),
            ("2030-03-01T14:07:09.5Z", "2030-03-01 14:07:09.5+00"),
        ] {
            assert_eq!(parsed(&at(text)), Ok(Some(want.to_string())), "{text:?}");
        }
    }

    #[test]
    fn absent_null_or_no_body_mutes_indefinitely() {
        for body in ["{}", r#"{"muted_until": null}"#, "[1]", "not json"] {
            assert_eq!(parsed(body), Ok(None), "{body:?}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        let refused = Err("Invalid muted_until".to_string());
        for bad in [
            "",
            "tomorrow",
            "2030-13-01 00:00:00+00",
            "2030-03-01",
            "12345",
            "2030-03-01 25:00:00+00",
        ] {
            assert_eq!(parsed(&at(bad)), refused, "{bad:?}");
        }
        for bad in [r#"{"muted_until": 12345}"#, r#"{"muted_until": [1]}"#] {
            assert_eq!(parsed(bad), refused, "{bad:?}");
        }
    }
}
