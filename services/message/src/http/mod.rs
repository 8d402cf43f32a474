//! Public HTTP routes of the message service (CONTRACT §9–§11). The router and
//! this service's part of the OpenAPI document come from the same [`routes`],
//! so nothing is served undocumented.

mod extract;
mod messages;
mod pins;
mod reactions;
mod reads;

use crate::state::AppState;
use axum::Router;
use chorus_kit::openapi::ApiRouter;
use utoipa_axum::routes;

/// Every public route with its description, before the state is attached.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(messages::send_message, messages::list_messages))
        .routes(routes!(messages::search_messages))
        .routes(routes!(messages::forward_messages))
        .routes(routes!(messages::edit_message, messages::delete_message))
        .routes(routes!(pins::pin_message, pins::unpin_message))
        .routes(routes!(pins::get_pinned))
        .routes(routes!(reactions::toggle_reaction))
        .routes(routes!(reactions::get_reactions))
        .routes(routes!(reads::mark_read))
        .routes(routes!(reads::get_read_receipts))
}

pub fn router(state: AppState) -> Router {
    let (router, _) = routes().split_for_parts();
    router.with_state(state)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::HttpMethod;

    /// CONTRACT §3, routes #34, #35 and #43–#53.
    const ROUTES: [(&str, &[HttpMethod]); 10] = [
        ("/chats/{id}/read", &[HttpMethod::Post]),
        ("/chats/{id}/read-receipts", &[HttpMethod::Get]),
        ("/chats/{id}/messages", &[HttpMethod::Get, HttpMethod::Post]),
        ("/chats/{id}/messages/search", &[HttpMethod::Get]),
        (
            "/chats/{id}/messages/{messageId}",
            &[HttpMethod::Put, HttpMethod::Delete],
        ),
        ("/chats/{id}/messages/forward", &[HttpMethod::Post]),
        (
            "/chats/{id}/messages/{messageId}/pin",
            &[HttpMethod::Post, HttpMethod::Delete],
        ),
        ("/chats/{id}/pinned-message", &[HttpMethod::Get]),
        (
            "/chats/{id}/messages/{messageId}/reactions",
            &[HttpMethod::Post],
        ),
        ("/chats/{id}/reactions", &[HttpMethod::Get]),
    ];

    #[test]
    fn the_document_lists_every_route_of_the_service_with_its_methods() -> anyhow::Result<()> {
        let doc = crate::openapi();
        let paths = &doc.paths.paths;
        assert_eq!(paths.len(), 10, "{:?}", paths.keys().collect::<Vec<_>>());
        for (path, methods) in ROUTES {
            let item = paths
                .get(path)
                .ok_or_else(|| anyhow::anyhow!("{path} is not documented"))?;
            for method in methods {
                let (name, op) = match method {
                    HttpMethod::Get => ("GET", &item.get),
                    HttpMethod::Post => ("POST", &item.post),
                    HttpMethod::Put => ("PUT", &item.put),
                    HttpMethod::Delete => ("DELETE", &item.delete),
                    _ => ("?", &None),
                };
                let op = op
                    .as_ref()
                    .ok_or_else(|| anyhow::anyhow!("{name} {path} is not documented"))?;
                assert_eq!(op.tags.as_deref(), Some(&["messages".to_string()][..]));
                assert!(op.security.is_some(), "{name} {path} needs a token");
                assert!(op.summary.is_some(), "{name} {path} has no summary");
            }
            // No method beyond the contract's.
            let documented = [&item.get, &item.post, &item.put, &item.delete, &item.patch];
            let count = documented.iter().filter(|op| op.is_some()).count();
            assert_eq!(count, methods.len(), "{path}");
        }
        let schemas = doc.components.map(|c| c.schemas).unwrap_or_default();
        for name in [
            "Message",
            "SentMessage",
            "SendMessageRequest",
            "ReactionGroup",
        ] {
            assert!(schemas.contains_key(name), "schema {name} missing");
        }
        // `PRINT_OPENAPI=1 cargo test … -- --nocapture` shows the part to eyeball.
        if std::env::var_os("PRINT_OPENAPI").is_some() {
            use std::io::Write;
            let text = serde_json::to_string_pretty(&crate::openapi())?;
            writeln!(std::io::stdout(), "{text}")?;
        }
        Ok(())
    }
}
