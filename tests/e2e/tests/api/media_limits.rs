//! §12.1, §20.2: the upload size limit (`MAX_FILE_SIZE_MB`) answers the JSON
//! 413 whether the body declares its length or streams in chunks, and a refused
//! or broken-off upload leaves nothing in the store; a large upload goes to the
//! store in parts and comes back whole with the headers decided at upload.

use crate::harness::{Server, error};
use crate::media::{
    MIB, Part, check_uploaded, download_url, fetch, multipart, multipart_type, post_files,
    stored_uploads,
};
use reqwest::{StatusCode, header};
use std::collections::BTreeSet;

/// A server whose upload limit is 1 MiB.
async fn one_mib_server() -> anyhow::Result<Server> {
    Server::builder()
        .env("CHORUS__PUBLIC__MAX_FILE_SIZE_MB", 1)
        .start()
        .await
}

/// A body sent in chunks, without a declared length.
fn chunked(body: Vec<u8>) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

fn file_body(size: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
    multipart(&[Part::file("big.txt", Some("text/plain"), &data)])
}

/// How often each over-limit request is repeated: whether the client gets the
/// 413 or a broken connection may depend on timing, and every attempt must get it.
const ATTEMPTS: usize = 8;

/// Sends an over-limit upload `ATTEMPTS` times (a fresh body each time, from
/// `body`); every attempt must answer the JSON 413 `File too large (max {mb} MB)`.
async fn refused_every_time(
    s: &Server,
    token: &str,
    mb: u32,
    label: &str,
    body: impl Fn() -> reqwest::Body,
) -> anyhow::Result<()> {
    let expected = (
        StatusCode::PAYLOAD_TOO_LARGE,
        error(&format!("File too large (max {mb} MB)")),
    );
    for attempt in 1..=ATTEMPTS {
        let got = post_files(s, Some(token), Some(&multipart_type()), body())
            .await
            .map_err(|e| anyhow::anyhow!("{label}, attempt {attempt}: no response: {e:#}"))?;
        assert_eq!(got, expected, "{label}, attempt {attempt}");
    }
    Ok(())
}

/// Temporary and multipart-part files the embedded store keeps beside the buckets.
fn store_leftovers(s: &Server) -> anyhow::Result<Vec<String>> {
    let root = s
        .data_dir()
        .ok_or_else(|| anyhow::anyhow!("needs a system this harness started"))?
        .join("s3");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if name.starts_with(".upload") || name.starts_with(".tmp") {
            names.push(name);
        }
    }
    Ok(names)
}

/// Polls briefly until the store holds no partial upload (cleanup runs when
/// the request ends); returns what is left.
async fn settled_leftovers(s: &Server) -> anyhow::Result<Vec<String>> {
    let mut left = store_leftovers(s)?;
    for _ in 0..50 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = store_leftovers(s)?;
    }
    Ok(left)
}

#[tokio::test]
async fn a_file_of_exactly_the_limit_is_stored_and_one_byte_more_is_413() -> anyhow::Result<()> {
    let s = one_mib_server().await?;
    let (_, token, _) = s.user("lim").await?;
    let mp = multipart_type();

    let (status, reply) = post_files(&s, Some(&token), Some(&mp), file_body(MIB)).await?;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    check_uploaded(&reply, "big.txt", "text/plain", "big.txt")?;
    let before = stored_uploads(&s)?;
    assert_eq!(before.len(), 1);

    refused_every_time(&s, &token, 1, "1 MiB + 1 byte", || {
        file_body(MIB + 1).into()
    })
    .await?;
    assert_eq!(stored_uploads(&s)?, before, "nothing half-stored");
    s.stop().await
}

#[tokio::test]
async fn over_the_limit_with_a_declared_length_is_a_json_413() -> anyhow::Result<()> {
    let s = one_mib_server().await?;
    let (_, token, _) = s.user("lim").await?;
    for size in [MIB + 100_000, 2 * MIB, 4 * MIB] {
        refused_every_time(
            &s,
            &token,
            1,
            &format!("{size} bytes with Content-Length"),
            || file_body(size).into(),
        )
        .await?;
    }
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());
    s.stop().await
}

#[tokio::test]
async fn over_the_limit_streamed_without_a_length_is_a_json_413() -> anyhow::Result<()> {
    let s = one_mib_server().await?;
    let (_, token, _) = s.user("lim").await?;
    for size in [MIB + 1, 2 * MIB, 4 * MIB] {
        refused_every_time(&s, &token, 1, &format!("{size} bytes chunked"), || {
            chunked(file_body(size))
        })
        .await?;
    }
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());

    // A streamed body within the limit is fine.
    let (status, reply) = post_files(
        &s,
        Some(&token),
        Some(&multipart_type()),
        chunked(file_body(1000)),
    )
    .await?;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    s.stop().await
}

#[tokio::test]
async fn sixty_mib_with_a_declared_length_answer_the_json_413_of_the_default_limit()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("big").await?;
    let body = file_body(60 * MIB);
    refused_every_time(&s, &token, 50, "60 MiB with Content-Length", || {
        body.clone().into()
    })
    .await?;
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    s.stop().await
}

#[tokio::test]
async fn sixty_mib_streamed_answer_the_json_413_and_leave_no_parts_in_the_store()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("big").await?;
    // Past the first parts (8 MiB each) before the limit is hit: they are aborted.
    let body = file_body(60 * MIB);
    refused_every_time(&s, &token, 50, "60 MiB chunked", || chunked(body.clone())).await?;
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());
    s.stop().await
}

#[tokio::test]
async fn a_large_upload_comes_back_whole_with_the_headers_decided_from_its_first_bytes()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("big").await?;
    // 17 MiB of HTML claiming to be a PNG: written in several parts.
    let mut data = b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec();
    data.extend((data.len()..17 * MIB).map(|i| b'a' + (i % 26) as u8));
    let body = multipart(&[Part::file("huge.png", Some("image/png"), &data)]);
    let (status, reply) = post_files(&s, Some(&token), Some(&multipart_type()), body).await?;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let id = check_uploaded(&reply, "huge.png", "image/png", "huge.png")?;

    let res = fetch(&download_url(&s, &token, id).await?).await?;
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    let disposition = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(disposition.starts_with("attachment"), "{disposition:?}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let got = res.bytes().await?;
    assert_eq!(got.len(), data.len());
    assert!(got == data, "the bytes differ");
    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());
    s.stop().await
}

/// A 20 MiB upload body (several parts of 8 MiB) without its end.
fn truncated_body() -> Vec<u8> {
    let mut body = file_body(20 * MIB);
    body.truncate(body.len() - 1000);
    body
}

#[tokio::test]
async fn a_body_that_ends_inside_the_file_is_400_and_leaves_nothing_stored() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("cut").await?;
    let (status, reply) =
        post_files(&s, Some(&token), Some(&multipart_type()), truncated_body()).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    assert!(reply["error"].is_string(), "{reply}");
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());
    s.stop().await
}

#[tokio::test]
async fn a_client_that_goes_away_mid_upload_leaves_nothing_stored() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("gone").await?;
    // 20 MiB, then the body stalls; the client is dropped once parts reached the store.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = truncated_body()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let stalled = futures_util::StreamExt::chain(
        futures_util::stream::iter(chunks),
        futures_util::stream::pending(),
    );
    let request = s
        .http
        .post(s.url("/files"))
        .bearer_auth(&token)
        .header(header::CONTENT_TYPE, multipart_type())
        .body(reqwest::Body::wrap_stream(stalled))
        .send();
    let client = tokio::spawn(request);
    let mut started = false;
    // Generous: under a loaded CI machine the first part may take a while.
    for _ in 0..600 {
        if !store_leftovers(&s)?.is_empty() {
            started = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(started, "no part of the upload ever reached the store");
    client.abort();
    let _ = client.await;

    assert_eq!(settled_leftovers(&s).await?, Vec::<String>::new());
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    s.stop().await
}
