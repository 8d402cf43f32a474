//! §15.4: the web app's shell, its static files and the download routes, served
//! by `chorus all` behind the API (which always wins).

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode};

/// A web root and a downloads directory of a few files, removed on drop.
struct Files(std::path::PathBuf);

impl Files {
    fn new() -> anyhow::Result<Self> {
        let root = std::env::temp_dir().join(format!("chorus-webapp-{}", uuid::Uuid::new_v4()));
        let dist = root.join("dist");
        std::fs::create_dir_all(dist.join("assets"))?;
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Chorus</title><script type=module src=/assets/index-abc123.js></script>",
        )?;
        std::fs::write(dist.join("assets/index-abc123.js"), "console.log('app')")?;
        std::fs::write(
            dist.join("favicon.svg"),
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        )?;
        // A file named like an API route: the API answers, not the file.
        std::fs::write(dist.join("chats"), "not the API")?;
        let downloads = root.join("downloads/linux");
        std::fs::create_dir_all(&downloads)?;
        std::fs::write(downloads.join("Chorus.AppImage"), "binary")?;
        std::fs::write(downloads.join("notes.txt"), "read me")?;
        std::fs::write(root.join("downloads/secret.txt"), "secret")?;
        Ok(Self(root))
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn start(files: &Files) -> anyhow::Result<Server> {
    Server::builder()
        .env("CHORUS_ALL__WEB_ROOT", files.0.join("dist").display())
        .env(
            "CHORUS_ALL__DOWNLOADS_DIR",
            files.0.join("downloads").display(),
        )
        .start()
        .await
}

#[tokio::test]
async fn every_app_route_gets_the_shell_with_no_cache_and_a_strict_policy() -> anyhow::Result<()> {
    let files = Files::new()?;
    let s = start(&files).await?;
    for path in [
        "/",
        "/app",
        "/login",
        "/register",
        "/@bob",
        "/u/2",
        "/dm/2",
        "/join/tok",
        "/c/5",
        "/c/5/77",
        "/admin",
        "/admin/users",
        "/admin/users/3",
    ] {
        let r = s.http.get(s.url(path)).send().await?;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "text/html; charset=utf-8", "{path}");
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        let csp = h["content-security-policy"].to_str()?.to_string();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(
            csp.contains("script-src 'self';"),
            "no inline script: {csp}"
        );
        assert!(
            csp.contains("connect-src 'self' ws: wss: http://127.0.0.1:"),
            "{csp}"
        );
        assert!(
            csp.contains("img-src 'self' data: blob: http://127.0.0.1:"),
            "{csp}"
        );
        assert!(r.text().await?.contains("<title>Chorus</title>"));
    }
    s.stop().await
}

#[tokio::test]
async fn assets_are_immutable_and_unknown_paths_keep_the_apis_404() -> anyhow::Result<()> {
    let files = Files::new()?;
    let s = start(&files).await?;
    let r = s.http.get(s.url("/assets/index-abc123.js")).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(r.headers()["content-type"].to_str()?.contains("javascript"));
    assert_eq!(r.text().await?, "console.log('app')");

    let r = s.http.get(s.url("/favicon.svg")).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");

    let (status, body) = s.call(Method::GET, "/nothing/here.js", None, None).await?;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, error("Not found")));
    let (status, body) = s
        .call(Method::GET, "/assets/missing.js", None, None)
        .await?;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, error("Not found")));

    // The API wins over a file of the same name, and stays JSON.
    let (status, body) = s.call(Method::GET, "/chats", None, None).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, error("Missing Authorization header"));
    let token = s.demo_token("alice").await?;
    let r = s.send(Method::GET, "/chats", Some(&token), None).await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(r.json::<serde_json::Value>().await?.is_array());
    s.stop().await
}

#[tokio::test]
async fn downloads_are_attachments_and_refuse_dot_dot() -> anyhow::Result<()> {
    let files = Files::new()?;
    let s = start(&files).await?;
    let r = s
        .http
        .get(s.url("/downloads/linux/Chorus.AppImage"))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"Chorus.AppImage\""
    );
    assert_eq!(r.text().await?, "binary");

    let r = s
        .http
        .get(s.url("/downloads/linux/notes.txt"))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("content-disposition").is_none());

    for path in [
        "/downloads/linux/%2e%2e%2fsecret.txt",
        "/downloads/..%2Flinux/notes.txt",
        "/downloads/linux/..secret.txt",
    ] {
        let r = s.http.get(s.url(path)).send().await?;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()?
                .starts_with("text/plain")
        );
    }
    let r = s
        .http
        .get(s.url("/downloads/linux/missing.zip"))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    s.stop().await
}

#[tokio::test]
async fn a_missing_web_root_means_no_app_but_the_same_api() -> anyhow::Result<()> {
    let s = Server::builder()
        .env("CHORUS_ALL__WEB_ROOT", "/nonexistent/chorus-web-root")
        .start()
        .await?;
    let r = s.http.get(s.url("/login")).send().await?;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.text().await?, "404 Not Found");
    let (status, body) = s.call(Method::GET, "/assets/app.js", None, None).await?;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, error("Not found")));
    let (status, _) = s.call(Method::GET, "/health", None, None).await?;
    assert_eq!(status, StatusCode::OK);
    s.stop().await
}
