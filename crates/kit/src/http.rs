//! HTTP conventions of the public contract shared by every service: the JSON body
//! extractor (§1.2), CORS (§20.4), JSON error bodies for 404/405/413, the `/api`
//! alias (§1.1), body limits (§20.2), `/health` and `/metrics`, and serving with
//! graceful shutdown.

use crate::error::error_response;
use crate::{ApiError, Shutdown, health, metrics};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Router, extract::DefaultBodyLimit};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicHttpConfig {
    /// The deployment's primary domain; drives CORS (§20.4).
    pub primary_domain: String,
    /// `MAX_FILE_SIZE_MB`: every request body may be this many MiB plus 1 KiB.
    pub max_file_size_mb: usize,
    /// API requests handled at once by this process; more get `503` at once
    /// (see [`crate::shed`]). `0`: no limit.
    pub max_in_flight: usize,
}

impl Default for PublicHttpConfig {
    fn default() -> Self {
        Self {
            primary_domain: "localhost".into(),
            max_file_size_mb: 50,
            max_in_flight: 512,
        }
    }
}

/// A JSON request body. Absent, empty, malformed bodies and bodies of another
/// content type are all "no JSON body" → `400 {"error":"Invalid JSON"}`.
/// A body over the size limit → `413`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match read_json(req, state).await? {
            Some(value) => Ok(JsonBody(value)),
            None => Err(ApiError::invalid_json()),
        }
    }
}

/// A JSON body that is optional: `None` when it is absent or not JSON, so the
/// handler can answer with its own error text (e.g. `file_id required`).
pub struct MaybeJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MaybeJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_json(req, state).await.map(MaybeJson)
    }
}

async fn read_json<T: DeserializeOwned, S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<Option<T>, ApiError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(crate::ErrorKind::PayloadTooLarge, "Request body too large")
        } else {
            ApiError::invalid_json()
        }
    })?;
    if !is_json {
        return Ok(None);
    }
    Ok(serde_json::from_slice(&bytes).ok())
}

/// Path parameters that never reject: a segment that is not valid percent-encoded
/// UTF-8 (`/chats/%FF/...`) yields `T::default()` (an empty string), which
/// [`parse_id`] and lookups treat as an unknown id (§1.2) — instead of axum's
/// plain-text 400.
pub struct PathOr<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for PathOr<T>
where
    T: DeserializeOwned + Default + Send,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let value = axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| v)
            .unwrap_or_default();
        Ok(Self(value))
    }
}

/// A query string read into `T` (a struct of `Option<String>` fields, parsed
/// by the handler): for each name its first value, absent when that is empty;
/// an undecodable query string reads as empty.
pub struct Params<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let pairs = axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(pairs)| pairs)
            .unwrap_or_default();
        let mut first = serde_json::Map::new();
        for (name, value) in pairs {
            if !first.contains_key(&name) {
                first.insert(name, serde_json::Value::String(value));
            }
        }
        // An empty first value counts as absent, whatever follows it.
        first.retain(|_, value| value.as_str().is_some_and(|v| !v.is_empty()));
        Ok(Self(
            serde_json::from_value(serde_json::Value::Object(first)).unwrap_or_default(),
        ))
    }
}

/// Parses a path id; a segment that is not a decimal integer is `None` and must be
/// answered like a missing object (§1.2).
pub fn parse_id(segment: &str) -> Option<i64> {
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// The client address: the socket peer, or the gateway's `X-Real-IP` /
/// first `X-Forwarded-For` hop when `trust_forwarded` is set (behind APISIX).
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded: bool,
) -> Option<IpAddr> {
    if trust_forwarded {
        let forwarded = headers
            .get("x-real-ip")
            .and_then(|v| v.to_str().ok())
            .or_else(|| {
                headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
            })
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

/// CORS headers on every response and `204` for every `OPTIONS` (§15.3, §20.4).
async fn cors(State(domain): State<Arc<str>>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut res = if req.method() == Method::OPTIONS {
        let mut res = Response::default();
        *res.status_mut() = StatusCode::NO_CONTENT;
        res
    } else {
        next.run(req).await
    };
    let primary = format!("https://{domain}");
    let (allow_origin, credentials) = match origin {
        None => ("*".to_string(), true),
        Some(o) if origin_allowed(&o, &domain) => (o, true),
        Some(_) => (primary, false),
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&allow_origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    if credentials {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Content-Type, Authorization, X-Requested-With"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

fn origin_allowed(origin: &str, domain: &str) -> bool {
    origin == format!("https://{domain}")
        || origin == format!("http://{domain}")
        || origin.ends_with(&format!(".{domain}"))
        || is_local_origin(origin)
}

/// An origin whose host is exactly `localhost` or `127.0.0.1`, any scheme and
/// port (§20.4): `https://localhost.evil.example` is not local.
fn is_local_origin(origin: &str) -> bool {
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    host == "localhost" || host == "127.0.0.1"
}

/// Gives bodiless framework answers (404, 405, 413) the contract's JSON shape and
/// every JSON response the `; charset=utf-8` parameter (§1.3).
async fn normalize(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json");
    let has_type = res.headers().contains_key(header::CONTENT_TYPE);
    let status = res.status();
    let plain = !has_type
        || res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if plain && status.is_client_error() {
        let text = match status {
            StatusCode::NOT_FOUND => Some("Not found"),
            StatusCode::METHOD_NOT_ALLOWED => Some("Method not allowed"),
            StatusCode::PAYLOAD_TOO_LARGE => Some("Request body too large"),
            _ => None,
        };
        if let Some(text) = text {
            let (parts, _) = res.into_parts();
            let mut json = error_response(status, text);
            for (name, value) in parts.headers.iter() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    json.headers_mut().insert(name.clone(), value.clone());
                }
            }
            return json;
        }
    }
    let mut res = res;
    if is_json {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    res
}

/// Wraps the API routes of one or more services into the public surface:
/// routes at the root and under `/api`, `/health`, `/metrics`, `/openapi.json`
/// and `/docs` (the services' parts of `doc`), CORS, body limits, JSON errors,
/// request metrics, and a bound on API requests in flight.
pub fn public_router(
    api: Router,
    doc: utoipa::openapi::OpenApi,
    health: health::Health,
    metrics: metrics::Metrics,
    cfg: &PublicHttpConfig,
) -> Router {
    let limit = cfg.max_file_size_mb * 1024 * 1024 + 1024;
    let ops = Router::new()
        .route("/health", get(health::health_handler))
        .route("/health/live", get(health::live_handler))
        .with_state(health)
        .merge(
            Router::new()
                .route("/metrics", get(metrics::metrics_handler))
                .with_state(metrics.clone()),
        );
    let api = crate::shed::limit(api, cfg.max_in_flight).merge(ops);
    Router::new()
        .merge(crate::openapi::docs_router(crate::openapi::document([doc])))
        .nest("/api", api.clone())
        .merge(api)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(normalize))
        .layer(middleware::from_fn_with_state(metrics, metrics::track_http))
        .layer(middleware::from_fn_with_state(
            Arc::<str>::from(cfg.primary_domain.as_str()),
            cors,
        ))
        .layer(middleware::from_fn(crate::telemetry::trace_http))
}

/// One service alone: its public API with `/health` and `/metrics` on `addr`,
/// until `shutdown` fires.
// Each argument is one independent piece of a service's public surface.
#[allow(clippy::too_many_arguments)]
pub async fn serve_alone(
    service: &'static str,
    addr: &str,
    api: Router,
    doc: utoipa::openapi::OpenApi,
    health: health::Health,
    metrics: metrics::Metrics,
    cfg: &PublicHttpConfig,
    shutdown: Shutdown,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|err| {
        std::io::Error::new(
            err.kind(),
            format!("cannot bind the {service} HTTP address {addr}: {err}"),
        )
    })?;
    tracing::info!(http = %listener.local_addr()?, service, "serving HTTP");
    serve(
        listener,
        public_router(
            crate::telemetry::owned_by(service, api),
            doc,
            health,
            metrics,
            cfg,
        ),
        shutdown,
    )
    .await
}

/// Serves `router` on `listener` until `shutdown` fires, then drains in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: Shutdown,
) -> std::io::Result<()> {
    // No Nagle delay on small responses and WebSocket frames.
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { shutdown.cancelled().await })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_plain_decimal_integers() {
        assert_eq!(parse_id("42"), Some(42));
        assert_eq!(parse_id("-1"), None);
        assert_eq!(parse_id("4a"), None);
        assert_eq!(parse_id(""), None);
        assert_eq!(parse_id("99999999999999999999"), None);
    }

    #[test]
    fn cors_allows_the_primary_domain_its_subdomains_and_localhost() {
        assert!(origin_allowed("https://chorus.example", "chorus.example"));
        assert!(origin_allowed("http://chorus.example", "chorus.example"));
        assert!(origin_allowed(
            "https://admin.chorus.example",
            "chorus.example"
        ));
        assert!(origin_allowed("http://localhost:5173", "chorus.example"));
        assert!(!origin_allowed("https://evil.example", "chorus.example"));
        assert!(!origin_allowed(
            "https://evilchorus.example",
            "chorus.example"
        ));
        assert!(origin_allowed("https://127.0.0.1:8080", "chorus.example"));
        assert!(origin_allowed("http://localhost", "chorus.example"));
        assert!(!origin_allowed(
            "https://localhost.evil.example",
            "chorus.example"
        ));
        assert!(!origin_allowed(
            "https://evil.example/localhost",
            "chorus.example"
        ));
    }
}
