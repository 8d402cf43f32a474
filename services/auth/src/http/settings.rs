//! `/settings` (§6): merge semantics, invalid values coerced to defaults.

use crate::domain::settings::{
    self, Language, LastSeenVisibility, SettingsPatch, Theme, UserSettings, Vocab,
};
use crate::error::Error;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AuthUser;
use chorus_kit::http::JsonBody;
use chorus_kit::lenient::Object as JsonObject;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::UserId;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// Returns the caller's settings
#[utoipa::path(
    get,
    path = "/settings",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings (defaults are created on first read)", body = UserSettings),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    )
)]
async fn get_settings(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<UserSettings>, Error> {
    Ok(Json(settings::get(&state.db, UserId(user.id)).await?))
}

/// `PUT /settings`: any subset of the keys; absent keys keep their value, a
/// present but unknown value becomes the key's default.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateSettingsRequest {
    #[serde(default, deserialize_with = "one_of")]
    #[schema(value_type = Option<Theme>)]
    pub theme: Option<Theme>,
    #[serde(default, deserialize_with = "setting_flag")]
    pub notifications_enabled: Option<bool>,
    #[serde(default, deserialize_with = "one_of")]
    #[schema(value_type = Option<Language>)]
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "one_of")]
    #[schema(value_type = Option<LastSeenVisibility>)]
    pub last_seen_visibility: Option<LastSeenVisibility>,
    #[serde(default, deserialize_with = "setting_flag")]
    pub read_receipts_enabled: Option<bool>,
}

impl From<UpdateSettingsRequest> for SettingsPatch {
    fn from(r: UpdateSettingsRequest) -> Self {
        Self {
            theme: r.theme,
            notifications_enabled: r.notifications_enabled,
            language: r.language,
            last_seen_visibility: r.last_seen_visibility,
            read_receipts_enabled: r.read_receipts_enabled,
        }
    }
}

/// A present key's value as one of the vocabulary, anything else (even null)
/// as its default.
fn one_of<'de, D: Deserializer<'de>, T: Vocab>(d: D) -> Result<Option<T>, D::Error> {
    Ok(Some(match Value::deserialize(d)? {
        Value::String(s) => T::coerce(&s),
        _ => T::default(),
    }))
}

/// A present key's value as a flag: only `false`, `"false"`, `"0"`, `""` and
/// zero are off; null and structures are not a choice, so the default (on).
fn setting_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Some(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::String(s) => !matches!(s.as_str(), "false" | "0" | ""),
        Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }))
}

/// Changes some of the caller's settings
#[utoipa::path(
    put,
    path = "/settings",
    tag = "users",
    security(("bearer" = [])),
    request_body(content = UpdateSettingsRequest, content_type = "application/json"),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "`Invalid JSON`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    )
)]
async fn put_settings(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(JsonObject(body)): JsonBody<JsonObject<UpdateSettingsRequest>>,
) -> Result<StatusCode, Error> {
    settings::update(&state.db, UserId(user.id), &body.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> Option<SettingsPatch> {
        serde_json::from_str::<JsonObject<UpdateSettingsRequest>>(json)
            .ok()
            .map(|JsonObject(r)| r.into())
    }

    #[test]
    fn absent_keys_stay_unchanged_and_unknown_values_fall_back_to_defaults() {
        let p = patch(r#"{"theme": "neon", "language": "de", "last_seen_visibility": 3}"#)
            .unwrap_or_default();
        assert_eq!(p.theme, Some(Theme::Light));
        assert_eq!(p.language, Some(Language::De));
        assert_eq!(p.last_seen_visibility, Some(LastSeenVisibility::Everyone));
        assert_eq!(p.notifications_enabled, None);
        assert_eq!(p.read_receipts_enabled, None);
    }

    #[test]
    fn flags_are_off_only_for_falsy_values_and_non_objects_are_refused() {
        let p = patch(r#"{"notifications_enabled": "0", "read_receipts_enabled": null}"#)
            .unwrap_or_default();
        assert_eq!(p.notifications_enabled, Some(false));
        assert_eq!(p.read_receipts_enabled, Some(true));
        let p = patch(r#"{"notifications_enabled": 2, "theme": null}"#).unwrap_or_default();
        assert_eq!(p.notifications_enabled, Some(true));
        assert_eq!(p.theme, Some(Theme::Light));
        assert_eq!(patch("[]"), None);
        assert_eq!(patch(r#"["dark"]"#), None);
    }
}
