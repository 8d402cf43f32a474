//! `GET /ws` (§16.1), the edge's only public route, documented with the frames
//! of [`crate::wire`] as the `Ws*` schemas.

use crate::node::Node;
use crate::session;
use crate::wire::{
    WsActivity, WsAuth, WsAuthOk, WsCatchUpTruncated, WsChatCreated, WsChatDeleted,
    WsChatMemberJoined, WsChatMemberLeft, WsChatUpdated, WsClientMessage, WsError,
    WsLastSeenBucket, WsMessage, WsMessageDeleted, WsMessagePinned, WsMessageUnpinned,
    WsMessageUpdated, WsOnlineStatus, WsPing, WsPresence, WsPresenceApprox, WsPresenceFull,
    WsPresenceUpdate, WsPrivacy, WsReaction, WsReactionAction, WsReadReceipt, WsServerMessage,
    WsSubscribe, WsSubscribed, WsTyping, WsTypingNotice, WsUserProfileUpdated,
};
use axum::Router;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus_kit::ApiError;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::routes;

/// The frames as component schemas: no operation body refers to them, so they
/// are listed here (each pulls in the schemas it refers to).
#[derive(OpenApi)]
#[openapi(components(schemas(
    WsClientMessage,
    WsAuth,
    WsPing,
    WsSubscribe,
    WsTypingNotice,
    WsPresenceUpdate,
    WsActivity,
    WsServerMessage,
    WsAuthOk,
    WsSubscribed,
    WsCatchUpTruncated,
    WsError,
    WsMessage,
    WsTyping,
    WsPresence,
    WsPresenceFull,
    WsPresenceApprox,
    WsOnlineStatus,
    WsPrivacy,
    WsLastSeenBucket,
    WsReaction,
    WsReactionAction,
    WsMessageDeleted,
    WsMessageUpdated,
    WsMessagePinned,
    WsMessageUnpinned,
    WsReadReceipt,
    WsChatCreated,
    WsChatUpdated,
    WsChatDeleted,
    WsChatMemberJoined,
    WsChatMemberLeft,
    WsUserProfileUpdated,
)))]
struct Frames;

/// `/ws` with its description; the router and the OpenAPI part are both split
/// from this, so they cannot diverge.
pub fn routes() -> ApiRouter<Arc<Node>> {
    ApiRouter::with_openapi(Frames::openapi()).routes(routes!(upgrade))
}

pub fn router(node: Arc<Node>) -> Router {
    routes().split_for_parts().0.with_state(node)
}

/// Opens the realtime WebSocket
///
/// A standard WebSocket upgrade; it needs no credentials (query parameters
/// such as `?token=` are ignored). The client authenticates in-band: its first
/// frame is `auth`, after which the server sends nothing before `auth_ok`.
/// Every application message is a UTF-8 text frame holding one JSON object
/// with a string `type`: the client sends the `WsClientMessage` frames and
/// receives the `WsServerMessage` frames (the `Ws*` schemas of this
/// document; CONTRACT §16). Connections silent for more than 60 s may be closed.
//
// Browsers must come from an allowed origin.
#[utoipa::path(
    get,
    path = "/ws",
    tag = "realtime",
    responses(
        (status = 101, description = "Switching Protocols: the WebSocket is open; frames are `WsClientMessage` (client → server) and `WsServerMessage` (server → client)"),
        (status = 403, description = "`Origin not allowed` (a browser from an origin not in `allowed_origins`)", body = ErrorBody),
        (status = 426, description = "`Expected a WebSocket upgrade` (a plain GET)", body = ErrorBody),
        (status = 429, description = "`Too many connections` from this address; `Retry-After` says when to retry", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds"))),
    )
)]
async fn upgrade(
    State(node): State<Arc<Node>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN)
        && !origin_allowed(
            &node.cfg.allowed_origins,
            origin.to_str().unwrap_or_default(),
        )
    {
        return ApiError::forbidden("Origin not allowed").into_response();
    }
    let Ok(ws) = ws else {
        return (
            StatusCode::UPGRADE_REQUIRED,
            axum::Json(ErrorBody {
                error: "Expected a WebSocket upgrade".into(),
            }),
        )
            .into_response();
    };
    let ip = chorus_kit::http::client_ip(&headers, Some(peer), node.cfg.trust_forwarded_for);
    let Some(permit) = node.limits.acquire(ip) else {
        let kind = chorus_kit::ErrorKind::TooManyRequests {
            retry_after_secs: 5,
        };
        return ApiError::new(kind, "Too many connections").into_response();
    };
    let cfg = &node.cfg;
    ws.read_buffer_size(cfg.read_buffer_bytes)
        .write_buffer_size(16 * 1024)
        .max_write_buffer_size(4 * 1024 * 1024)
        .max_message_size(cfg.max_frame_bytes)
        .max_frame_size(cfg.max_frame_bytes)
        .on_upgrade(move |socket| async move {
            session::run(socket, node).await;
            drop(permit);
        })
}

fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    allowed.is_empty() || allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::HttpMethod;

    #[test]
    fn the_document_has_the_ws_route_and_every_frame_schema() -> anyhow::Result<()> {
        let doc = crate::openapi();
        assert_eq!(doc.paths.paths.len(), 1);
        let op = doc
            .paths
            .get_path_operation("/ws", HttpMethod::Get)
            .ok_or_else(|| anyhow::anyhow!("GET /ws is not documented"))?;
        assert_eq!(op.tags.as_deref(), Some(&["realtime".to_string()][..]));
        assert!(op.responses.responses.contains_key("101"));
        let schemas = doc.components.map(|c| c.schemas).unwrap_or_default();
        for name in [
            "WsClientMessage",
            "WsServerMessage",
            "WsAuth",
            "WsSubscribe",
            "WsPresenceUpdate",
            "WsAuthOk",
            "WsError",
            "WsMessage",
            "WsMessagePinned",
            "WsPresence",
            "WsChatUpdated",
            "WsUserProfileUpdated",
        ] {
            assert!(schemas.contains_key(name), "schema {name} missing");
        }
        let prefixed = |n: &String| {
            n.starts_with("Ws")
                || [
                    "ChatId",
                    "UserId",
                    "MessageId",
                    "ChatType",
                    "Timestamp",
                    "ErrorBody",
                    // the opaque stand-in for the message service's schema
                    "Message",
                ]
                .contains(&n.as_str())
        };
        assert!(schemas.keys().all(prefixed), "{:?}", schemas.keys());
        Ok(())
    }

    #[test]
    fn message_objects_refer_to_the_message_schema() -> anyhow::Result<()> {
        let doc = serde_json::to_value(crate::openapi())?;
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["WsMessage"]["$ref"], "#/components/schemas/Message");
        assert_eq!(
            schemas["WsMessagePinned"]["properties"]["message"]["$ref"],
            "#/components/schemas/Message"
        );
        Ok(())
    }

    #[test]
    fn alone_the_document_has_no_dangling_reference() -> anyhow::Result<()> {
        let doc = serde_json::to_value(crate::openapi())?;
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let dangling: Vec<&str> = text
            .split("\"$ref\":\"#/components/schemas/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|name| !schemas.contains_key(*name))
            .collect();
        assert!(dangling.is_empty(), "{dangling:?}");
        Ok(())
    }

    /// `cargo test -p chorus-edge print_the_document -- --ignored --nocapture`
    #[test]
    #[ignore = "prints the document for a look"]
    #[allow(clippy::print_stdout, reason = "its whole point is the printout")]
    fn print_the_document() -> anyhow::Result<()> {
        println!("{}", serde_json::to_string_pretty(&crate::openapi())?);
        Ok(())
    }
}
