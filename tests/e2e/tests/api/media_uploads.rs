//! §12.1 uploads (D4): the 201 body, which part is taken, the stored type and
//! names, the 400s and 401s; nothing is stored for a refused upload.

use crate::harness::{Server, error};
use crate::media::{
    BOUNDARY, NO_FILE, Part, check_uploaded, download_url, fetch_ok, multipart, multipart_type,
    post_files, stored_bytes, stored_uploads, upload, upload_path, upload_text, url_path,
};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;
use std::collections::BTreeSet;

#[tokio::test]
async fn an_upload_answers_201_with_the_file_and_stores_its_bytes_under_a_fresh_key()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("up").await?;
    let body = multipart(&[Part::file("notes.txt", Some("text/plain"), b"hello chorus")]);
    let res = s
        .http
        .post(s.url("/files"))
        .bearer_auth(&token)
        .header(header::CONTENT_TYPE, multipart_type())
        .body(body)
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    let first: Value = res.json().await?;
    check_uploaded(&first, "notes.txt", "text/plain", "notes.txt")?;
    let key = first["object_key"].as_str().unwrap_or_default();
    assert_eq!(stored_bytes(&s, key)?, b"hello chorus");

    // The same name again is a new file under a new key; the first stays.
    let second = upload(&s, &token, "notes.txt", Some("text/plain"), b"second").await?;
    check_uploaded(&second, "notes.txt", "text/plain", "notes.txt")?;
    assert_ne!(second["id"], first["id"]);
    assert_ne!(second["object_key"], first["object_key"]);
    assert_eq!(
        stored_uploads(&s)?,
        BTreeSet::from([
            key.to_string(),
            second["object_key"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        ])
    );
    assert_eq!(stored_bytes(&s, key)?, b"hello chorus");
    s.stop().await
}

#[tokio::test]
async fn the_first_part_with_a_filename_is_stored_whatever_its_field_name() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("fp").await?;
    let body = multipart(&[
        Part::field("caption", "not a file"),
        Part {
            name: "attachment",
            filename: Some("first.txt"),
            content_type: Some("text/plain"),
            data: b"the first file",
        },
        Part::file("second.txt", Some("text/plain"), b"the second file"),
    ]);
    let (status, reply) = post_files(&s, Some(&token), Some(&multipart_type()), body).await?;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let id = check_uploaded(&reply, "first.txt", "text/plain", "first.txt")?;
    let url = download_url(&s, &token, id).await?;
    assert_eq!(fetch_ok(&url).await?, b"the first file");
    assert_eq!(
        stored_uploads(&s)?.len(),
        1,
        "only the first file part is stored"
    );
    s.stop().await
}

#[tokio::test]
async fn mime_type_is_the_declared_type_lowercased_without_parameters_and_any_type_is_accepted()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("mt").await?;
    let cases: [(&str, Option<&str>, &str); 8] = [
        ("a.txt", Some("Text/Plain; charset=UTF-8"), "text/plain"),
        ("b.bin", None, "application/octet-stream"),
        ("voice.webm", Some("audio/webm;codecs=opus"), "audio/webm"),
        ("c.wav", Some("audio/wav"), "audio/wav"),
        ("d.jpg", Some("IMAGE/JPEG"), "image/jpeg"),
        ("e.pdf", Some("application/pdf"), "application/pdf"),
        (
            "f.xyz",
            Some("application/x-chorus-test"),
            "application/x-chorus-test",
        ),
        (
            "g.exe",
            Some("application/x-msdownload"),
            "application/x-msdownload",
        ),
    ];
    for (name, declared, stored) in cases {
        let reply = upload(&s, &token, name, declared, b"some bytes").await?;
        check_uploaded(&reply, name, stored, name)?;
    }
    assert_eq!(stored_uploads(&s)?.len(), cases.len());
    s.stop().await
}

#[tokio::test]
async fn filenames_keep_their_last_component_and_keys_only_safe_characters() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("fn").await?;
    let long = format!("{}.txt", "a".repeat(300));
    let cases: Vec<(&str, String, String)> = vec![
        ("../../x.txt", "x.txt".into(), "x.txt".into()),
        (
            "C:\\Users\\me\\report.pdf",
            "report.pdf".into(),
            "report.pdf".into(),
        ),
        (
            "my photo (1).jpg",
            "my photo (1).jpg".into(),
            "my_photo__1_.jpg".into(),
        ),
        ("a\tb.txt", "ab.txt".into(), "ab.txt".into()),
        (".env", ".env".into(), "env".into()),
        ("фото 2.png", "фото 2.png".into(), "фото_2.png".into()),
        ("x;y=z&w.txt", "x;y=z&w.txt".into(), "x_y_z_w.txt".into()),
        (
            &long,
            format!("{}.txt", "a".repeat(251)),
            format!("{}.txt", "a".repeat(96)),
        ),
    ];
    for (given, filename, key_name) in &cases {
        let data = format!("contents of {given}");
        let reply = upload(&s, &token, given, Some("text/plain"), data.as_bytes()).await?;
        let id = check_uploaded(&reply, filename, "text/plain", key_name)?;
        // The key is presigned percent-encoded and fetchable.
        let url = download_url(&s, &token, id).await?;
        assert_eq!(url_path(&url), upload_path(&reply), "{given}");
        assert_eq!(fetch_ok(&url).await?, data.as_bytes(), "{given}");
    }

    // Multi-byte names are cut on a character boundary, keeping the extension.
    let cyrillic = format!("{}.txt", "я".repeat(200));
    let reply = upload(&s, &token, &cyrillic, None, b"x").await?;
    let filename = reply["filename"].as_str().unwrap_or_default();
    let key = reply["object_key"].as_str().unwrap_or_default();
    let key_name = key.get(45..).unwrap_or_default();
    for (cut, max) in [(filename, 255), (key_name, 100)] {
        assert!(cut.len() <= max && cut.len() > max - 8, "{cut:?}");
        let stem = cut.strip_suffix(".txt").unwrap_or_default();
        assert!(
            !stem.is_empty() && stem.chars().all(|c| c == 'я'),
            "{cut:?}"
        );
    }
    let url = download_url(&s, &token, reply["id"].as_i64().unwrap_or_default()).await?;
    assert_eq!(fetch_ok(&url).await?, b"x");
    s.stop().await
}

#[tokio::test]
async fn requests_without_a_file_part_or_with_an_empty_file_are_400_and_store_nothing()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("nf").await?;
    let mp = multipart_type();
    let only_fields = multipart(&[Part::field("file", "just text"), Part::field("x", "y")]);
    let no_parts = format!("--{BOUNDARY}--\r\n").into_bytes();
    let a_file = multipart(&[Part::file("a.txt", Some("text/plain"), b"a")]);
    let cases: Vec<(Option<&str>, Vec<u8>)> = vec![
        (Some("application/json"), br#"{"file": "a.txt"}"#.to_vec()),
        (Some("text/plain"), b"hello".to_vec()),
        (None, Vec::new()),
        (Some(&mp), only_fields),
        (Some(&mp), no_parts),
        (Some("multipart/form-data"), a_file),
    ];
    for (content_type, body) in cases {
        assert_eq!(
            post_files(&s, Some(&token), content_type, body).await?,
            (StatusCode::BAD_REQUEST, error(NO_FILE)),
            "{content_type:?}"
        );
    }
    let empty = multipart(&[Part::file("empty.txt", Some("text/plain"), b"")]);
    assert_eq!(
        post_files(&s, Some(&token), Some(&mp), empty).await?,
        (StatusCode::BAD_REQUEST, error("File is empty"))
    );
    assert_eq!(stored_uploads(&s)?, BTreeSet::new());
    s.stop().await
}

#[tokio::test]
async fn uploads_downloads_and_stickers_need_a_token() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("tk").await?;
    let id = upload_text(&s, &token, "a.txt", "a").await?;
    let body = multipart(&[Part::file("b.txt", Some("text/plain"), b"b")]);
    assert_eq!(
        post_files(&s, None, Some(&multipart_type()), body).await?,
        (
            StatusCode::UNAUTHORIZED,
            error("Missing Authorization header")
        )
    );
    for path in [
        format!("/files/{id}/download"),
        "/stickers".into(),
        "/stickers/1/image".into(),
    ] {
        assert_eq!(
            s.call(Method::GET, &path, None, None).await?,
            (
                StatusCode::UNAUTHORIZED,
                error("Missing Authorization header")
            ),
            "{path}"
        );
    }
    assert_eq!(stored_uploads(&s)?.len(), 1);
    s.stop().await
}
