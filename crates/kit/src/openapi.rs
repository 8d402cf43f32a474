//! The API as a document: every service builds its routes with
//! [`ApiRouter`] (utoipa-axum), so a route cannot be served without being
//! described, and hands its part of the OpenAPI 3.1 document to
//! [`document`], which adds what all parts share (info, the bearer scheme,
//! `/health`, `/metrics`). [`docs_router`] serves it at `/openapi.json` with an
//! interactive reference at `/docs` (Swagger UI, vendored: no CDN).

use axum::Router;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{self, OpenApi};
use utoipa::{Modify, OpenApi as _, ToSchema};

/// Routes that carry their OpenAPI description (`routes!(handler)`).
pub type ApiRouter<S = ()> = utoipa_axum::router::OpenApiRouter<S>;

/// The name of the bearer scheme; handlers say `security(("bearer" = []))`.
pub const BEARER: &str = "bearer";

/// The 401 answers of every `Auth: user` route (CONTRACT §1.4), for their
/// `(status = 401, description = UNAUTHORIZED, body = ErrorBody)`.
pub const UNAUTHORIZED: &str = "`Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token`";

/// Every error body (CONTRACT §1.3): `{"error": "<text>"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The contract's text for this failure, shown verbatim by clients.
    #[schema(example = "Chat not found or access denied")]
    pub error: String,
}

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        http.description = Some(
            "An access token from `/auth/login`, `/auth/register` or `/auth/refresh` (CONTRACT §1.4)."
                .into(),
        );
        components.add_security_scheme(BEARER, SecurityScheme::Http(http));
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Chorus API",
        description = "The public HTTP API of Chorus (CONTRACT.md). Every path is also served under `/api`. Realtime events travel over the WebSocket `/ws`; its frames are the `Ws*` schemas.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    paths(crate::health::health_handler, crate::health::live_handler, crate::metrics::metrics_handler),
    components(schemas(ErrorBody)),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Registration, login, tokens"),
        (name = "users", description = "Profiles, search, settings"),
        (name = "chats", description = "Chats, members, roles, invites, per-user flags"),
        (name = "messages", description = "Messages, pins, reactions, read state"),
        (name = "media", description = "Files, avatars, stickers"),
        (name = "realtime", description = "The WebSocket"),
        (name = "operations", description = "Health and metrics"),
    )
)]
struct Shared;

/// The document of the given services' parts, with what they all share.
pub fn document(parts: impl IntoIterator<Item = OpenApi>) -> OpenApi {
    let mut doc = Shared::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    for part in parts {
        doc.merge(part);
    }
    doc
}

/// `/openapi.json` and `/docs`.
pub fn docs_router(doc: OpenApi) -> Router {
    utoipa_swagger_ui::SwaggerUi::new("/docs")
        .url("/openapi.json", doc)
        .into()
}

/// A part with no paths (a service without public routes).
pub fn empty() -> OpenApi {
    openapi::OpenApiBuilder::new().build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_part_documents_operations_and_the_bearer_scheme() {
        let doc = document([]);
        assert!(doc.paths.paths.contains_key("/health"));
        assert!(doc.paths.paths.contains_key("/metrics"));
        let schemes = doc
            .components
            .map(|c| c.security_schemes)
            .unwrap_or_default();
        assert!(schemes.contains_key(BEARER));
    }
}
