//! Public HTTP routes of the admin service (CONTRACT §14 and the additive
//! audit log and moderation delete). The router and this service's part of the
//! OpenAPI document come from the same [`routes`], so nothing is served
//! undocumented. Every route is "Auth: admin" (`AdminUser`: 401, then 403).

mod audit;
mod messages;
mod stats;
mod support;
mod users;

use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use chorus_kit::lenient::parse_int;
use chorus_kit::openapi::ApiRouter;
use std::net::SocketAddr;
use utoipa_axum::routes;

/// Every public route with its description, before the state is attached.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(stats::get_stats))
        .routes(routes!(users::list_users))
        .routes(routes!(users::get_user))
        .routes(routes!(users::user_action))
        .routes(routes!(messages::list_messages))
        .routes(routes!(messages::delete_message))
        .routes(routes!(support::support_users))
        .routes(routes!(support::support_chats))
        .routes(routes!(support::support_messages))
        .routes(routes!(support::support_send))
        .routes(routes!(audit::list_audit))
}

pub fn router(state: AppState) -> Router {
    let (router, _) = routes().split_for_parts();
    router.with_state(state)
}

/// A query or path integer; anything else counts as absent.
fn int(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| parse_int(v.trim()))
}

/// A path id: digits only, else it names nothing (§1.2).
fn path_id(segment: &str) -> Option<i64> {
    chorus_kit::http::parse_id(segment)
}

/// The admin's address for the audit log: the socket peer, or the gateway's
/// forwarded address when `trust_forwarded_for` is set.
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| *addr);
        let ip = chorus_kit::http::client_ip(&parts.headers, peer, state.cfg.trust_forwarded_for);
        Ok(Self(ip.map(|ip| ip.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::HttpMethod;

    const ROUTES: [(&str, &[HttpMethod]); 11] = [
        ("/admin-api/stats", &[HttpMethod::Get]),
        ("/admin-api/users", &[HttpMethod::Get]),
        ("/admin-api/users/{id}", &[HttpMethod::Get]),
        ("/admin-api/users/{id}/{action}", &[HttpMethod::Post]),
        ("/admin-api/messages", &[HttpMethod::Get]),
        ("/admin-api/messages/{id}", &[HttpMethod::Delete]),
        ("/admin-api/support/users", &[HttpMethod::Get]),
        ("/admin-api/support/chats", &[HttpMethod::Get]),
        ("/admin-api/support/messages", &[HttpMethod::Get]),
        ("/admin-api/support/send", &[HttpMethod::Post]),
        ("/admin-api/audit", &[HttpMethod::Get]),
    ];

    #[test]
    fn the_document_lists_every_admin_route_with_a_token() -> anyhow::Result<()> {
        let doc = crate::openapi();
        let paths = &doc.paths.paths;
        assert_eq!(
            paths.len(),
            ROUTES.len(),
            "{:?}",
            paths.keys().collect::<Vec<_>>()
        );
        for (path, methods) in ROUTES {
            let item = paths
                .get(path)
                .ok_or_else(|| anyhow::anyhow!("{path} is not documented"))?;
            for method in methods {
                let (name, op) = match method {
                    HttpMethod::Get => ("GET", &item.get),
                    HttpMethod::Post => ("POST", &item.post),
                    HttpMethod::Delete => ("DELETE", &item.delete),
                    _ => ("?", &None),
                };
                let op = op
                    .as_ref()
                    .ok_or_else(|| anyhow::anyhow!("{name} {path} is not documented"))?;
                assert_eq!(op.tags.as_deref(), Some(&["admin".to_string()][..]));
                assert!(op.security.is_some(), "{path} needs a token");
                let responses = &op.responses.responses;
                assert!(responses.contains_key("403"), "{path} documents the 403");
            }
        }
        Ok(())
    }

    #[test]
    fn only_digits_name_an_id() {
        assert_eq!(super::path_id("12"), Some(12));
        assert_eq!(super::path_id("12a"), None);
        assert_eq!(super::int(Some(" 7 ")), Some(7));
        assert_eq!(super::int(Some("x")), None);
    }
}
