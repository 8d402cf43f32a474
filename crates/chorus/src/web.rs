//! The web app and the download routes of `chorus all` (CONTRACT §15.4).
//!
//! The API answers first: a request it does not know (404) falls through to the
//! SPA shell (for the app's own routes), the downloads directory, or a static
//! file of the web root. A missing web root only means there is no app.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Hashed build output: never changes under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Download extensions served as attachments (§15.4).
const ATTACHMENT_EXTENSIONS: [&str; 9] = [
    ".exe",
    ".msi",
    ".dmg",
    ".AppImage",
    ".deb",
    ".rpm",
    ".zip",
    ".tar",
    ".gz",
];

/// Where the web app and the downloads live, and what its pages may load.
pub struct WebApp {
    api: axum::Router,
    web_root: PathBuf,
    downloads_dir: PathBuf,
    csp: HeaderValue,
}

impl WebApp {
    /// `object_store` is the origin of presigned object URLs (images, media).
    pub fn new(
        api: axum::Router,
        web_root: PathBuf,
        downloads_dir: PathBuf,
        object_store: Option<String>,
    ) -> anyhow::Result<Self> {
        let csp = HeaderValue::from_str(&content_security_policy(object_store.as_deref()))?;
        Ok(Self {
            api,
            web_root,
            downloads_dir,
            csp,
        })
    }

    /// The whole public router: the API, then the app and its files.
    pub fn router(self) -> axum::Router {
        axum::Router::new()
            .fallback(serve)
            .with_state(Arc::new(self))
    }
}

/// `self` only, plus the WebSocket and the object store (presigned media URLs);
/// no inline script, no framing.
fn content_security_policy(object_store: Option<&str>) -> String {
    let store = object_store.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; \
         img-src 'self' data: blob:{store}; media-src 'self' blob:{store}; \
         connect-src 'self' ws: wss:{store}; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The origin (`scheme://host[:port]`) of an object-store URL or `host:port`.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme, rest),
        None => ("http", url),
    };
    let host = rest.split('/').next().unwrap_or_default();
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The app's client-side routes (§15.4): all answered with `index.html`.
fn is_spa_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let nonempty = |s: &&str| !s.is_empty();
    match segments.as_slice() {
        [""] | ["app"] | ["login"] | ["register"] | ["admin"] => true,
        [one] => one.len() > 1 && one.starts_with('@'),
        ["u" | "dm" | "join" | "c" | "admin", x] => nonempty(x),
        ["c" | "admin", x, y] => nonempty(x) && nonempty(y),
        _ => false,
    }
}

async fn serve(State(web): State<Arc<WebApp>>, req: Request) -> Response {
    let is_get = matches!(*req.method(), Method::GET | Method::HEAD);
    let path = req.uri().path().to_string();
    if is_get && is_spa_route(&path) {
        return index(&web).await;
    }
    if is_get && let Some(rest) = path.strip_prefix("/downloads/") {
        return download(&web, rest, req).await;
    }
    let copy = is_get.then(|| bodiless_copy(&req));
    let api_response = match web.api.clone().oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    match copy {
        Some(copy) if api_response.status() == StatusCode::NOT_FOUND => {
            static_file(&web, copy).await.unwrap_or(api_response)
        }
        _ => api_response,
    }
}

/// A GET or HEAD has no body worth keeping: the same request again.
fn bodiless_copy(req: &Request) -> Request {
    let mut copy = Request::new(Body::empty());
    *copy.method_mut() = req.method().clone();
    *copy.uri_mut() = req.uri().clone();
    *copy.version_mut() = req.version();
    *copy.headers_mut() = req.headers().clone();
    copy
}

/// The SPA shell, read per request so that a rebuilt app needs no restart.
async fn index(web: &WebApp) -> Response {
    match tokio::fs::read(web.web_root.join("index.html")).await {
        Ok(html) => {
            let mut response = (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                html,
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, web.csp.clone());
            response
        }
        Err(_) => (StatusCode::NOT_FOUND, "404 Not Found").into_response(),
    }
}

/// A file of the web root, or `None` (the caller keeps the API's 404).
async fn static_file(web: &WebApp, req: Request) -> Option<Response> {
    let immutable = req.uri().path().starts_with("/assets/");
    let service = ServeDir::new(&web.web_root).append_index_html_on_directories(false);
    let response = match service.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return None;
    }
    let mut response = response.map(Body::new);
    let headers = response.headers_mut();
    let cache = if immutable { IMMUTABLE } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers.insert(header::CONTENT_SECURITY_POLICY, web.csp.clone());
    }
    Some(response)
}

/// `GET /downloads/{platform}/{filename}` (§15.4).
async fn download(web: &WebApp, rest: &str, req: Request) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "404 Not Found").into_response();
    let Some((platform, filename)) = rest.split_once('/') else {
        return not_found();
    };
    let (Some(platform), Some(filename)) = (percent_decode(platform), percent_decode(filename))
    else {
        return not_found();
    };
    let unsafe_segment =
        |s: &str| s.contains("..") || s.contains('/') || s.contains('\\') || s.contains('\0');
    if unsafe_segment(&platform) || unsafe_segment(&filename) {
        return (StatusCode::FORBIDDEN, "403 Forbidden").into_response();
    }
    if platform.is_empty() || filename.is_empty() {
        return not_found();
    }
    let path: PathBuf = web.downloads_dir.join(&platform).join(&filename);
    if !is_file(&path).await {
        return not_found();
    }
    let response = match ServeFile::new(&path).oneshot(req).await {
        Ok(response) => response.map(Body::new),
        Err(_) => return not_found(),
    };
    let mut response = response;
    if ATTACHMENT_EXTENSIONS
        .iter()
        .any(|ext| filename.ends_with(ext))
    {
        let quoted = filename.replace(['"', '\r', '\n'], "_");
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{quoted}\"")) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

async fn is_file(path: &Path) -> bool {
    tokio::fs::metadata(path)
        .await
        .is_ok_and(|meta| meta.is_file())
}

/// Percent-decodes one path segment; `None` when it is not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).ok()?);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spa_routes_are_exactly_the_contracts() {
        for path in [
            "/",
            "/app",
            "/login",
            "/register",
            "/@bob",
            "/u/2",
            "/dm/2",
            "/join/abc",
            "/c/5",
            "/c/5/10",
            "/admin",
            "/admin/users",
            "/admin/users/3",
        ] {
            assert!(is_spa_route(path), "{path}");
        }
        for path in [
            "/chats",
            "/@",
            "/u",
            "/u/",
            "/c/1/2/3",
            "/assets/x.js",
            "/admin-api/stats",
            "/me",
        ] {
            assert!(!is_spa_route(path), "{path}");
        }
    }

    #[test]
    fn origins_come_from_urls_and_bare_endpoints() {
        assert_eq!(
            origin_of("127.0.0.1:9000").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(
            origin_of("https://example.org/minio").as_deref(),
            Some("https://example.org")
        );
        assert_eq!(origin_of(""), None);
    }

    #[test]
    fn percent_decoding_reveals_dot_dot() {
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
    }
}
