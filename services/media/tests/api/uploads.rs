//! Uploads: streamed in parts, the contract's answers, nothing half-stored.

use crate::helpers::{Harness, eventually};
use reqwest::StatusCode;
use serde_json::json;

fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_larger_than_a_part_is_stored_whole_and_served_back() -> anyhow::Result<()> {
    let h = Harness::start_with(|cfg| cfg.s3.part_size_mib = 5).await?;
    // 5 MiB parts: 12 MiB + 3 bytes go as three parts, the last one short.
    let bytes = pseudo_random(12 * 1024 * 1024 + 3);
    let (status, body) = h
        .upload(
            &h.alice,
            "big.bin",
            Some("application/octet-stream"),
            bytes.clone(),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap_or_default();
    assert_eq!(h.file_rows().await?, vec![(id, "ready".to_string())]);
    let size: i64 = sqlx::query_scalar("SELECT size_bytes FROM files WHERE id = $1")
        .bind(id)
        .fetch_one(&h.db)
        .await?;
    assert_eq!(size, bytes.len() as i64);

    let (status, url) = h
        .redirect(&format!("/files/{id}/download"), &h.alice)
        .await?;
    assert_eq!(status, StatusCode::FOUND);
    let served = reqwest::get(&url).await?;
    assert_eq!(served.status(), StatusCode::OK);
    assert!(served.bytes().await?.as_ref() == bytes.as_slice());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_leave_no_row_and_no_object() -> anyhow::Result<()> {
    let h = Harness::start_with(|cfg| {
        cfg.public.max_file_size_mb = 6;
        cfg.s3.part_size_mib = 5;
    })
    .await?;
    // Streamed without a length, so the limit is found after a part was sent.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = pseudo_random(6 * 1024 * 1024 + 1)
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(
        futures_util::stream::iter(chunks),
    ))
    .file_name("too-big.bin");
    let res = h
        .http
        .post(format!("{}/files", h.base))
        .bearer_auth(&h.alice.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await?;
    let (status, body) = (res.status(), res.json::<serde_json::Value>().await?);
    assert_eq!(
        (status, body),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"error": "File too large (max 6 MB)"})
        )
    );
    let (status, body) = h
        .upload(&h.alice, "empty.txt", Some("text/plain"), Vec::new())
        .await?;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({"error": "File is empty"}))
    );
    assert!(h.file_rows().await?.is_empty());
    assert!(h.stored_uploads().is_empty(), "{:?}", h.stored_uploads());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_mid_upload_leaves_nothing() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    // A raw request that promises 20 MiB, sends 11 and hangs up.
    let addr = h.base.trim_start_matches("http://").to_string();
    let boundary = "xBOUNDARYx";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let request = format!(
        "POST /files HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        h.alice.token,
        head.len() + 20 * 1024 * 1024 + 64
    );
    {
        use tokio::io::AsyncWriteExt;
        let mut socket = tokio::net::TcpStream::connect(&addr).await?;
        socket.write_all(request.as_bytes()).await?;
        socket.write_all(&pseudo_random(11 * 1024 * 1024)).await?;
        // Until the row exists (the upload is under way), then hang up.
        eventually("upload under way", || async {
            !h.file_rows().await.unwrap_or_default().is_empty()
        })
        .await?;
    }
    // The object goes at once; the row stays hidden (a store request dropped
    // half-way may still land) until the janitor settles the stale upload.
    eventually("object removed", || async { h.stored_uploads().is_empty() }).await?;
    let rows = h.file_rows().await?;
    assert!(
        rows.iter().all(|(_, state)| state == "uploading"),
        "{rows:?}"
    );
    let janitor = chorus_media::domain::cleanup::Janitor::new(h.db.clone(), h.app.store.clone(), 0);
    while janitor.pass().await? > 0 {}
    assert!(h.file_rows().await?.is_empty());
    assert!(h.stored_uploads().is_empty());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_file_part_is_taken_whatever_its_field_name() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let form = reqwest::multipart::Form::new()
        .text("caption", "not a file")
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(b"first".to_vec())
                .file_name("one.txt")
                .mime_str("Text/Plain; charset=UTF-8")?,
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"second".to_vec()).file_name("two.txt"),
        );
    let res = h
        .http
        .post(format!("{}/files", h.base))
        .bearer_auth(&h.alice.token)
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: serde_json::Value = res.json().await?;
    assert_eq!(body["filename"], "one.txt");
    assert_eq!(body["mime_type"], "text/plain");
    assert_eq!(h.stored_uploads().len(), 1);
    h.stop().await
}

/// The domain takes any byte stream: a body that breaks off mid-file is
/// `Invalid multipart body` and leaves nothing; an empty one is refused before
/// anything is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_domain_reads_any_byte_stream_and_cleans_up_a_broken_one() -> anyhow::Result<()>
{
    use bytes::Bytes;
    use chorus_media::domain::upload::{self, Declared};
    use chorus_media::error::Error;
    use chorus_proto::UserId;

    let h = Harness::start_with(|cfg| cfg.s3.part_size_mib = 5).await?;
    let declared = Declared {
        file_name: "notes.txt",
        content_type: Some("Text/Plain; charset=utf-8"),
    };
    let uploader = UserId(h.alice.id);
    let chunks = |items: Vec<Result<Bytes, &'static str>>| futures_util::stream::iter(items);

    let stored = upload::store(
        &h.app,
        uploader,
        declared,
        chunks(vec![
            Ok(Bytes::from_static(b"hello ")),
            Ok(Bytes::from_static(b"world")),
        ]),
        || false,
    )
    .await?;
    assert_eq!(stored.filename, "notes.txt");
    assert_eq!(stored.mime_type, "text/plain");
    assert!(stored.object_key.starts_with("uploads/") && stored.object_key.ends_with("_notes.txt"));

    // 6 MiB, then the body breaks: a part was already sent to the store.
    let big = Bytes::from(pseudo_random(6 * 1024 * 1024));
    let broken = upload::store(
        &h.app,
        uploader,
        declared,
        chunks(vec![Ok(big), Err("connection reset")]),
        || false,
    )
    .await;
    assert!(matches!(broken, Err(Error::BrokenBody)), "{broken:?}");

    let empty = upload::store(&h.app, uploader, declared, chunks(vec![]), || false).await;
    assert!(matches!(empty, Err(Error::EmptyFile)), "{empty:?}");

    let over = upload::store(
        &h.app,
        uploader,
        declared,
        chunks(vec![Ok(Bytes::from_static(b"x"))]),
        || true,
    )
    .await;
    assert!(
        matches!(over, Err(Error::TooLarge { max_mb: 50 })),
        "{over:?}"
    );

    assert_eq!(
        h.file_rows().await?,
        vec![(stored.id.0, "ready".to_string())]
    );
    assert_eq!(h.stored_uploads().len(), 1);
    h.stop().await
}
