//! Helpers of the media tests (`media_*`): multipart bodies built byte by byte,
//! uploads, downloads, presigned URLs, and the embedded object store's files.

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

pub const NO_FILE: &str = "No file uploaded (use multipart/form-data field 'file')";
pub const BOUNDARY: &str = "chorus-e2e-7d1f0c55";
pub const MIB: usize = 1024 * 1024;

/// A 1×1 PNG.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
/// The start of a WebM recording (EBML header, doctype `webm`).
pub const WEBM: &[u8] = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02\x18\x53\x80\x67opus-frames";

/// One part of a multipart body, written exactly as given.
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

impl<'a> Part<'a> {
    /// A file part in the field the client uses (`file`).
    pub fn file(filename: &'a str, content_type: Option<&'a str>, data: &'a [u8]) -> Self {
        Self {
            name: "file",
            filename: Some(filename),
            content_type,
            data,
        }
    }

    /// A plain form field (no filename).
    pub fn field(name: &'a str, value: &'a str) -> Self {
        Self {
            name,
            filename: None,
            content_type: None,
            data: value.as_bytes(),
        }
    }
}

/// A `multipart/form-data` body with [`BOUNDARY`].
pub fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", filename.replace('"', "\\\"")));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// `POST /files` with this body and content type; status and JSON body.
pub async fn post_files(
    s: &Server,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> anyhow::Result<(StatusCode, Value)> {
    let mut req = s.http.post(s.url("/files")).body(body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(content_type) = content_type {
        req = req.header(header::CONTENT_TYPE, content_type);
    }
    let res = req.send().await?;
    let status = res.status();
    let text = res.text().await?;
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{status}: body is not JSON: {text:?}: {e}"))?
    };
    Ok((status, value))
}

/// Uploads one file in the field `file`, expecting 201; returns the body.
pub async fn upload(
    s: &Server,
    token: &str,
    filename: &str,
    content_type: Option<&str>,
    data: &[u8],
) -> anyhow::Result<Value> {
    let body = multipart(&[Part::file(filename, content_type, data)]);
    let (status, reply) = post_files(s, Some(token), Some(&multipart_type()), body).await?;
    anyhow::ensure!(
        status == StatusCode::CREATED,
        "upload {filename}: {status} {reply}"
    );
    Ok(reply)
}

/// Uploads `name` as `text/plain` with `data`; returns the file id.
pub async fn upload_text(s: &Server, token: &str, name: &str, data: &str) -> anyhow::Result<i64> {
    let reply = upload(s, token, name, Some("text/plain"), data.as_bytes()).await?;
    reply["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no id in {reply}"))
}

/// `GET /files/{id}/download`: status, `Location`, JSON body (`Null` if none).
pub async fn download(
    s: &Server,
    token: &str,
    id: impl std::fmt::Display,
) -> anyhow::Result<(StatusCode, Option<String>, Value)> {
    let res = s
        .send(
            Method::GET,
            &format!("/files/{id}/download"),
            Some(token),
            None,
        )
        .await?;
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = res.text().await?;
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)?
    };
    Ok((status, location, body))
}

/// The presigned URL a download redirects to (302 required).
pub async fn download_url(s: &Server, token: &str, id: i64) -> anyhow::Result<String> {
    let (status, location, body) = download(s, token, id).await?;
    anyhow::ensure!(
        status == StatusCode::FOUND,
        "download {id}: {status} {body}"
    );
    location.ok_or_else(|| anyhow::anyhow!("302 without Location"))
}

/// Uses of files are recorded from events (D12): polls up to ~5 s until the
/// download answers 302; returns the URL.
pub async fn eventually_downloadable(s: &Server, token: &str, id: i64) -> anyhow::Result<String> {
    let mut last = None;
    for _ in 0..50 {
        let (status, location, body) = download(s, token, id).await?;
        if status == StatusCode::FOUND {
            return location.ok_or_else(|| anyhow::anyhow!("302 without Location"));
        }
        last = Some((status, body));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("file {id} never became downloadable: last {last:?}")
}

/// Polls (up to ~`tries` × 100 ms) until the download answers exactly 404 `File not found`.
pub async fn eventually_not_found(
    s: &Server,
    token: &str,
    id: i64,
    tries: usize,
) -> anyhow::Result<()> {
    let mut last = None;
    for _ in 0..tries {
        let (status, _, body) = download(s, token, id).await?;
        if status == StatusCode::NOT_FOUND {
            anyhow::ensure!(body == error("File not found"), "404 body {body}");
            return Ok(());
        }
        last = Some(status);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("file {id} stayed downloadable: last {last:?}")
}

/// Fetches a URL as a browser would: a fresh client, no redirects followed.
pub async fn fetch(url: &str) -> anyhow::Result<reqwest::Response> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(client.get(url).send().await?)
}

/// Fetches a presigned URL expecting 200; returns the body.
pub async fn fetch_ok(url: &str) -> anyhow::Result<Vec<u8>> {
    let res = fetch(url).await?;
    let status = res.status();
    let body = res.bytes().await?.to_vec();
    anyhow::ensure!(
        status == StatusCode::OK,
        "GET {url}: {status} {}",
        String::from_utf8_lossy(&body)
    );
    Ok(body)
}

/// The path of a URL (still percent-encoded), without scheme, host and query.
pub fn url_path(url: &str) -> String {
    let no_query = url.split('?').next().unwrap_or_default();
    let after_scheme = no_query.split_once("://").map_or(no_query, |(_, r)| r);
    after_scheme
        .find('/')
        .map_or_else(String::new, |i| after_scheme[i..].to_string())
}

/// `/bucket/key` percent-encoded as §13.3 says (uppercase hex, `/` literal).
pub fn object_path(bucket: &str, key: &str) -> String {
    let mut out = format!("/{bucket}/");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path a presigned URL of this upload has.
pub fn upload_path(uploaded: &Value) -> String {
    object_path(
        "chorus-uploads",
        uploaded["object_key"].as_str().unwrap_or_default(),
    )
}

/// The directory of the uploads bucket's `uploads/` prefix in the embedded store.
pub fn uploads_dir(s: &Server) -> anyhow::Result<std::path::PathBuf> {
    let dir = s
        .data_dir()
        .ok_or_else(|| anyhow::anyhow!("needs a system this harness started"))?;
    Ok(dir.join("s3").join("chorus-uploads").join("uploads"))
}

/// The object keys under `uploads/` in the embedded store.
pub fn stored_uploads(s: &Server) -> anyhow::Result<BTreeSet<String>> {
    let dir = uploads_dir(s)?;
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(BTreeSet::new());
    };
    let mut keys = BTreeSet::new();
    for entry in entries {
        keys.insert(format!("uploads/{}", entry?.file_name().to_string_lossy()));
    }
    Ok(keys)
}

/// The bytes of a stored object, read from the embedded store's directory.
pub fn stored_bytes(s: &Server, key: &str) -> anyhow::Result<Vec<u8>> {
    let dir = s
        .data_dir()
        .ok_or_else(|| anyhow::anyhow!("needs a system this harness started"))?;
    Ok(std::fs::read(
        dir.join("s3").join("chorus-uploads").join(key),
    )?)
}

/// Checks the 201 body of an upload; returns the id.
pub fn check_uploaded(
    reply: &Value,
    filename: &str,
    mime_type: &str,
    key_name: &str,
) -> anyhow::Result<i64> {
    let id = reply["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no int id: {reply}"))?;
    let key = reply["object_key"].as_str().unwrap_or_default();
    assert_eq!(
        reply,
        &json!({"id": id, "filename": filename, "mime_type": mime_type, "object_key": key})
    );
    let rest = key
        .strip_prefix("uploads/")
        .ok_or_else(|| anyhow::anyhow!("key {key:?} not under uploads/"))?;
    let (uuid, name) = (
        rest.get(..36).unwrap_or_default(),
        rest.get(36..).unwrap_or_default(),
    );
    let parsed = uuid::Uuid::parse_str(uuid)?;
    assert_eq!(parsed.get_version_num(), 4, "{key}");
    assert_eq!(uuid, parsed.hyphenated().to_string(), "lowercase: {key}");
    assert_eq!(name, format!("_{key_name}"), "{key}");
    Ok(id)
}
