//! §12.2, §13.3, §22 items 46–47: a download is a 302 to a presigned URL of
//! the exact contract shape; the store checks the signature and the expiry;
//! `MINIO_PUBLIC_URL` replaces the front; objects are served with the headers
//! decided at upload (active content only as a download, always `nosniff`).

use crate::harness::{Server, free_port};
use crate::media::{PNG, download_url, fetch, fetch_ok, upload, upload_path, url_path};
use reqwest::{Method, StatusCode, header};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Today's UTC date as `YYYYMMDD`.
fn utc_date() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    // Civil date from days since the epoch (H. Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}")
}

/// Checks a presigned URL against §13.3 (with `ttl`); returns its
/// `scheme://host` part and its path.
pub fn check_presigned(url: &str, ttl: u64) -> anyhow::Result<(String, String)> {
    let (front, query) = url
        .split_once('?')
        .ok_or_else(|| anyhow::anyhow!("no query: {url}"))?;
    let path = url_path(front);
    let origin = front
        .strip_suffix(&path)
        .ok_or_else(|| anyhow::anyhow!("no path: {url}"))?
        .to_string();
    let params: Vec<(&str, &str)> = query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let names: Vec<&str> = params.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-Date",
            "X-Amz-Expires",
            "X-Amz-SignedHeaders",
            "X-Amz-Signature"
        ],
        "{url}"
    );
    let value = |i: usize| params[i].1;
    assert_eq!(value(0), "AWS4-HMAC-SHA256");
    let day = value(1)
        .strip_prefix("chorus%2F")
        .and_then(|r| r.strip_suffix("%2Fus-east-1%2Fs3%2Faws4_request"))
        .ok_or_else(|| anyhow::anyhow!("credential {}", value(1)))?;
    assert!(
        day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()),
        "{day}"
    );
    let stamp = value(2);
    assert!(
        stamp.len() == 16
            && stamp.starts_with(day)
            && &stamp[8..9] == "T"
            && stamp[9..15].bytes().all(|b| b.is_ascii_digit())
            && stamp.ends_with('Z'),
        "X-Amz-Date {stamp}"
    );
    assert_eq!(value(3), ttl.to_string());
    assert_eq!(value(4), "host");
    let signature = value(5);
    assert!(
        signature.len() == 64
            && signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "signature {signature}"
    );
    Ok((origin, path))
}

#[tokio::test]
async fn a_download_is_a_302_to_a_presigned_url_of_the_contract_shape() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("dl").await?;
    let reply = upload(&s, &token, "a b+c.txt", Some("text/plain"), b"bytes").await?;
    let id = reply["id"].as_i64().unwrap_or_default();

    let before = utc_date();
    let res = s
        .send(
            Method::GET,
            &format!("/files/{id}/download"),
            Some(&token),
            None,
        )
        .await?;
    let after = utc_date();
    assert_eq!(res.status(), StatusCode::FOUND);
    let url = res.headers()[header::LOCATION].to_str()?.to_string();
    assert_eq!(res.text().await?, "", "a redirect has no body");

    let (origin, path) = check_presigned(&url, 900)?;
    let port: u16 = origin
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("signed for the internal endpoint: {origin}"))?;
    assert_ne!(
        format!("http://127.0.0.1:{port}"),
        s.base,
        "the store, not the API"
    );
    assert_eq!(path, upload_path(&reply));
    let day = url.split("chorus%2F").nth(1).unwrap_or_default().get(..8);
    assert!(
        day == Some(before.as_str()) || day == Some(after.as_str()),
        "{day:?}"
    );
    assert_eq!(fetch_ok(&url).await?, b"bytes");

    // Generated fresh each time: a second redirect is again a working URL.
    let again = download_url(&s, &token, id).await?;
    check_presigned(&again, 900)?;
    assert_eq!(fetch_ok(&again).await?, b"bytes");
    s.stop().await
}

#[tokio::test]
async fn the_store_refuses_a_presigned_url_with_any_byte_changed() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("tamper").await?;
    let reply = upload(&s, &token, "secret.txt", Some("text/plain"), b"secret").await?;
    let url = download_url(&s, &token, reply["id"].as_i64().unwrap_or_default()).await?;
    let res = fetch(&url).await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    let flip_last = {
        let mut u = url.clone();
        let last = u.pop().unwrap_or('0');
        u.push(if last == '0' { '1' } else { '0' });
        u
    };
    let tampered = [
        flip_last,
        url.replacen("secret.txt", "secreT.txt", 1),
        url.replacen("X-Amz-Expires=900", "X-Amz-Expires=901", 1),
        url.replacen("X-Amz-Credential=chorus", "X-Amz-Credential=chorux", 1),
    ];
    for bad in tampered {
        assert_ne!(bad, url);
        let res = fetch(&bad).await?;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{bad}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let body = res.text().await?;
        assert!(!body.contains("secret\n") && body != "secret", "{body}");
    }
    // Without any signature the private bucket answers 403 as well.
    let bare = url.split('?').next().unwrap_or_default();
    assert_eq!(fetch(bare).await?.status(), StatusCode::FORBIDDEN);
    s.stop().await
}

#[tokio::test]
async fn a_presigned_url_expires_after_the_configured_ttl() -> anyhow::Result<()> {
    let s = Server::builder()
        .env("CHORUS_MEDIA__S3__PRESIGN_TTL_SECS", 1)
        .start()
        .await?;
    let (_, token, _) = s.user("ttl").await?;
    let reply = upload(&s, &token, "short.txt", Some("text/plain"), b"short").await?;
    let url = download_url(&s, &token, reply["id"].as_i64().unwrap_or_default()).await?;
    check_presigned(&url, 1)?;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let res = fetch(&url).await?;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    s.stop().await
}

#[tokio::test]
async fn the_public_url_replaces_the_front_of_every_presigned_url() -> anyhow::Result<()> {
    let port = free_port()?;
    let public = format!("http://localhost:{port}");
    let s = Server::builder()
        .env("CHORUS_ALL__EMBEDDED_S3_ADDR", format!("127.0.0.1:{port}"))
        .env("CHORUS_MEDIA__S3__PUBLIC_URL", &public)
        .start()
        .await?;
    let (_, token, _) = s.user("pub").await?;
    let reply = upload(&s, &token, "p.png", Some("image/png"), PNG).await?;
    let url = download_url(&s, &token, reply["id"].as_i64().unwrap_or_default()).await?;
    let (origin, path) = check_presigned(&url, 900)?;
    assert_eq!(origin, public);
    assert_eq!(path, upload_path(&reply));

    let (_, stickers) = s.call(Method::GET, "/stickers", Some(&token), None).await?;
    let sticker = stickers[0]["url"].as_str().unwrap_or_default();
    assert!(
        sticker.starts_with(&format!("{public}/chorus-stickers/stickers/s01.svg?")),
        "{sticker}"
    );

    // A proxy at the public address forwards with the internal Host, which the
    // signature covers.
    let client = reqwest::Client::new();
    let res = client
        .get(&url)
        .header(header::HOST, format!("127.0.0.1:{port}"))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await?.as_ref(), PNG);
    s.stop().await
}

/// Uploads and fetches a file: (Content-Type, Content-Disposition) as served.
async fn served(
    s: &Server,
    token: &str,
    name: &str,
    declared: Option<&str>,
    data: &[u8],
) -> anyhow::Result<(String, Option<String>)> {
    let reply = upload(s, token, name, declared, data).await?;
    let id = reply["id"].as_i64().unwrap_or_default();
    let res = fetch(&download_url(s, token, id).await?).await?;
    assert_eq!(res.status(), StatusCode::OK, "{name}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{name}");
    let text = |h: header::HeaderName| {
        res.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
    let disposition = text(header::CONTENT_DISPOSITION);
    assert_eq!(
        res.bytes().await?.as_ref(),
        data,
        "{name}: the bytes as uploaded"
    );
    Ok((content_type, disposition))
}

fn is_attachment(disposition: &Option<String>) -> bool {
    disposition
        .as_deref()
        .is_some_and(|d| d.to_ascii_lowercase().starts_with("attachment"))
}

#[tokio::test]
async fn active_content_is_served_only_as_a_download_and_honest_files_inline() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    let (_, token, _) = s.user("srv").await?;

    // Honest files: their declared type, inline.
    for (name, declared, data) in [
        ("dot.png", "image/png", PNG),
        ("notes.txt", "text/plain", &b"just words"[..]),
    ] {
        let (content_type, disposition) = served(&s, &token, name, Some(declared), data).await?;
        assert_eq!(content_type, declared, "{name}");
        assert!(!is_attachment(&disposition), "{name}: {disposition:?}");
    }

    // Declared active types: a download.
    for (name, declared, data) in [
        (
            "page.html",
            "text/html",
            &b"<html><body>hi</body></html>"[..],
        ),
        ("отчёт \"1\";x.html", "text/html", b"<html></html>"),
        (
            "pic.svg",
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "feed.xml",
            "application/xml",
            b"<?xml version=\"1.0\"?><a/>",
        ),
        ("app.js", "application/javascript", b"alert(1)"),
    ] {
        let (content_type, disposition) = served(&s, &token, name, Some(declared), data).await?;
        assert!(
            is_attachment(&disposition),
            "{name}: {disposition:?} ({content_type})"
        );
    }

    // Active content under a harmless name and type: a download of opaque bytes.
    for (name, declared, data) in [
        (
            "cat.png",
            Some("image/png"),
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
        ),
        (
            "readme.txt",
            Some("text/plain"),
            b"\n  <svg onload=\"alert(1)\"></svg>",
        ),
        ("data.bin", None, b"<?xml version=\"1.0\"?><x/>"),
        ("note.jpg", Some("image/jpeg"), b"<script>alert(1)</script>"),
    ] {
        let (content_type, disposition) = served(&s, &token, name, declared, data).await?;
        assert_eq!(content_type, "application/octet-stream", "{name}");
        assert!(is_attachment(&disposition), "{name}: {disposition:?}");
    }

    // The API still reports the declared type (D4).
    let reply = upload(&s, &token, "cat2.png", Some("image/png"), b"<html></html>").await?;
    assert_eq!(reply["mime_type"], "image/png");
    s.stop().await
}
