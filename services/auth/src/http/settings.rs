//! `/settings` (§6): merge semantics, invalid values coerced to defaults.

use crate::db;
use crate::db::settings::SettingsPatch;
use crate::error::Error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::JsonBody;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(get_settings).put(put_settings))
}

/// GET /settings
async fn get_settings(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<db::settings::Settings>, ApiError> {
    Ok(Json(
        db::settings::get_or_create(&state.db, user.id)
            .await
            .map_err(Error::from)?,
    ))
}

/// PUT /settings
async fn put_settings(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody<Value>,
) -> Result<StatusCode, ApiError> {
    if !body.is_object() {
        return Err(ApiError::invalid_json());
    }
    db::settings::upsert(&state.db, user.id, &patch_from(&body))
        .await
        .map_err(Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}

fn one_of(body: &Value, key: &str, allowed: &[&str]) -> Option<String> {
    let v = body.get(key)?;
    let chosen = v
        .as_str()
        .filter(|s| allowed.contains(s))
        .unwrap_or(allowed[0]);
    Some(chosen.to_string())
}

fn flag(body: &Value, key: &str) -> Option<bool> {
    let v = body.get(key)?;
    Some(match v {
        Value::Bool(b) => *b,
        Value::String(s) => !matches!(s.as_str(), "false" | "0" | ""),
        Value::Number(n) => n.as_f64() != Some(0.0),
        // null and structures are not a choice: the default.
        _ => true,
    })
}

fn patch_from(body: &Value) -> SettingsPatch {
    SettingsPatch {
        theme: one_of(body, "theme", &["light", "dark"]),
        notifications_enabled: flag(body, "notifications_enabled"),
        language: one_of(body, "language", &["en", "ru", "de"]),
        last_seen_visibility: one_of(
            body,
            "last_seen_visibility",
            &["everyone", "approx_only", "nobody"],
        ),
        read_receipts_enabled: flag(body, "read_receipts_enabled"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_keys_stay_unchanged_and_unknown_values_fall_back_to_defaults() {
        let p = patch_from(&json!({"theme": "neon", "language": "de", "last_seen_visibility": 3}));
        assert_eq!(p.theme.as_deref(), Some("light"));
        assert_eq!(p.language.as_deref(), Some("de"));
        assert_eq!(p.last_seen_visibility.as_deref(), Some("everyone"));
        assert_eq!(p.notifications_enabled, None);
        assert_eq!(p.read_receipts_enabled, None);
    }
}
