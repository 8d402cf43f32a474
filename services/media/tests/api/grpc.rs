//! `Files.GetMany` and `Files.MayDownload`, as auth, chat and message call them.

use crate::helpers::Harness;
use chorus_proto::media::v1 as pb;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_many_resolves_files_and_stickers_in_one_call() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (status, body) = h
        .upload(&h.alice, "a.txt", Some("text/plain"), b"a".to_vec())
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap_or_default();
    let mut client = pb::files_client::FilesClient::connect(h.media_grpc.clone()).await?;
    let reply = client
        .get_many(pb::GetManyRequest {
            file_ids: vec![id, 999_999],
            sticker_ids: vec![1, 8, 99],
        })
        .await?
        .into_inner();
    assert_eq!(reply.files.len(), 1);
    let f = &reply.files[0];
    assert_eq!(
        (f.id, f.uploader_id, f.filename.as_str()),
        (id, h.alice.id, "a.txt")
    );
    assert_eq!(f.mime_type.as_deref(), Some("text/plain"));
    assert_eq!(reqwest::get(&f.url).await?.text().await?, "a");
    let mut stickers: Vec<(i64, String)> = reply
        .stickers
        .iter()
        .map(|s| (s.id, s.label.clone()))
        .collect();
    stickers.sort();
    assert_eq!(
        stickers,
        vec![(1, "grin".to_string()), (8, "fire".to_string())]
    );
    for s in &reply.stickers {
        let res = reqwest::get(s.url.as_deref().unwrap_or_default()).await?;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await?.starts_with("<svg"));
    }

    let too_many = client
        .get_many(pb::GetManyRequest {
            file_ids: (0..1001).collect(),
            sticker_ids: Vec::new(),
        })
        .await;
    assert_eq!(
        too_many.map(|_| ()).map_err(|s| s.code()),
        Err(tonic::Code::InvalidArgument)
    );

    let may = |user_id, file_id| pb::MayDownloadRequest { user_id, file_id };
    assert!(
        client
            .may_download(may(h.alice.id, id))
            .await?
            .into_inner()
            .allowed
    );
    assert!(
        !client
            .may_download(may(h.bob.id, id))
            .await?
            .into_inner()
            .allowed
    );
    assert!(
        !client
            .may_download(may(h.alice.id, 999_999))
            .await?
            .into_inner()
            .allowed
    );
    h.stop().await
}
