//! Public HTTP routes of the auth service.

mod auth;
mod settings;
mod users;

use crate::state::AppState;
use axum::Router;
use serde_json::Value;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(settings::router())
        .with_state(state)
}

/// A JSON field as a string: strings as they are, other scalars in their JSON
/// text (§4.1 "non-string values are coerced"), null and absence as `None`.
pub(crate) fn coerce_str(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
