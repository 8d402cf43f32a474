//! Public HTTP routes of the auth service. [`routes`] carries each handler with
//! its OpenAPI description, so the router and the document cannot diverge.

mod auth;
mod settings;
mod users;

use crate::state::AppState;
use axum::Router;
use chorus_kit::openapi::ApiRouter;

/// The routes with their descriptions, without state.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(auth::routes())
        .merge(users::routes())
        .merge(settings::routes())
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// CONTRACT §3 #4–#17: the routes this service serves, and whether they
    /// need a user's token.
    const ROUTES: [(&str, &[&str], bool); 12] = [
        ("/auth/register", &["post"], false),
        ("/auth/login", &["post"], false),
        ("/auth/refresh", &["post"], false),
        ("/auth/logout", &["post"], false),
        ("/.well-known/jwks.json", &["get"], false),
        ("/me", &["get"], true),
        ("/users/search", &["get"], true),
        ("/users/by-username/{username}", &["get"], false),
        ("/users/{id}", &["get", "put"], true),
        ("/users/{id}/avatar", &["get"], true),
        ("/users/me/avatar", &["put"], true),
        ("/settings", &["get", "put"], true),
    ];

    #[test]
    fn the_document_lists_every_route_of_the_contract_with_its_methods() -> anyhow::Result<()> {
        let doc = serde_json::to_value(crate::openapi())?;
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        assert_eq!(paths.len(), ROUTES.len(), "{:?}", paths.keys());
        for (path, methods, user) in ROUTES {
            let item = paths
                .get(path)
                .and_then(Value::as_object)
                .ok_or_else(|| anyhow::anyhow!("{path} missing"))?;
            let mut documented: Vec<&str> = item.keys().map(String::as_str).collect();
            documented.sort_unstable();
            let mut expected = methods.to_vec();
            expected.sort_unstable();
            assert_eq!(documented, expected, "{path}");
            for (method, op) in item {
                assert!(op["summary"].is_string(), "{path} {method}: no summary");
                assert_eq!(
                    op["tags"].as_array().map(Vec::len),
                    Some(1),
                    "{path} {method}"
                );
                assert_eq!(op["security"].is_array(), user, "{path} {method}: security");
                assert!(op["responses"].is_object(), "{path} {method}: responses");
            }
        }
        Ok(())
    }

    #[test]
    fn every_schema_it_references_is_in_the_document() -> anyhow::Result<()> {
        let doc = serde_json::to_value(crate::openapi())?;
        let schemas = doc["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let text = doc.to_string();
        for reference in text.split("#/components/schemas/").skip(1) {
            let name: String = reference.chars().take_while(|c| *c != '"').collect();
            assert!(
                schemas.contains_key(&name),
                "{name} is referenced but not defined"
            );
        }
        Ok(())
    }
}
