//! Per-user chat flags (§7.9): `/chats/{id}/favorite|mute|pin|archive`.

use super::ChatId;
use crate::db::flags::Flag;
use crate::domain::members;
use crate::error::Error;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chorus_authn::AuthUser;
use chorus_kit::http::MaybeJson;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chats/{id}/favorite", post(favorite).delete(unfavorite))
        .route("/chats/{id}/mute", post(mute).delete(unmute))
        .route("/chats/{id}/pin", post(pin).delete(unpin))
        .route("/chats/{id}/archive", post(archive).delete(unarchive))
}

/// POST /chats/{id}/favorite
async fn favorite(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::set_flag(&s, id, user.id, Flag::Favorite).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// DELETE /chats/{id}/favorite
async fn unfavorite(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::unset_flag(&s, id, user.id, Flag::Favorite).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/pin
async fn pin(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::set_flag(&s, id, user.id, Flag::Pin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// DELETE /chats/{id}/pin
async fn unpin(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::unset_flag(&s, id, user.id, Flag::Pin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/archive
async fn archive(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::set_flag(&s, id, user.id, Flag::Archive).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// DELETE /chats/{id}/archive
async fn unarchive(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::unset_flag(&s, id, user.id, Flag::Archive).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /chats/{id}/mute — optional body `{"muted_until": ts | null}`.
async fn mute(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<StatusCode, Error> {
    let until = match body.as_ref().and_then(|b| b.get("muted_until")) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            Some(parse_muted_until(text).ok_or_else(|| Error::bad_request("Invalid muted_until"))?)
        }
        Some(_) => return Err(Error::bad_request("Invalid muted_until")),
    };
    members::mute(&s, id, user.id, until).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// DELETE /chats/{id}/mute
async fn unmute(
    State(s): State<AppState>,
    user: AuthUser,
    ChatId(id): ChatId,
) -> Result<StatusCode, Error> {
    members::unmute(&s, id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The §1.5 form (`2026-03-01 14:07:09.5+00`) or RFC 3339 (§23 D7); a value without
/// an offset is read as UTC.
fn parse_muted_until(text: &str) -> Option<DateTime<Utc>> {
    // chrono accepts signed years of any width; PostgreSQL only 4713 BC–294276 AD.
    // Anything outside four-digit years is bad input, not a 500.
    use chrono::Datelike;
    parse_muted_until_any(text).filter(|t| (1..=9999).contains(&t.year()))
}

fn parse_muted_until_any(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::parse_muted_until;
    use chorus_kit::time::format_ts;

    fn parsed(text: &str) -> Option<String> {
        parse_muted_until(text).map(format_ts)
    }

    #[test]
    fn the_contract_timestamp_form_and_rfc3339_are_accepted() {
        assert_eq!(
            parsed("2030-03-01 14:07:09.52113+00").as_deref(),
            Some("2030-03-01 14:07:09.52113+00")
        );
        assert_eq!(
            parsed("2030-03-01 14:07:09+00").as_deref(),
            Some("2030-03-01 14:07:09+00")
        );
        assert_eq!(
            parsed("2030-03-01T16:07:09+02:00").as_deref(),
            Some("2030-03-01 14:07:09+00")
        );
        assert_eq!(
            parsed("2030-03-01T14:07:09.5Z").as_deref(),
            Some("2030-03-01 14:07:09.5+00")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "tomorrow",
            "2030-13-01 00:00:00+00",
            "2030-03-01",
            "12345",
            "2030-03-01 25:00:00+00",
        ] {
            assert_eq!(parsed(bad), None, "{bad:?}");
        }
    }
}
