//! Usage from events (download rights) and removal of the files of deleted
//! chats and users; the janitor settling what a crash left.

use crate::helpers::{Harness, eventually};
use chorus_proto::auth::v1 as auth_pb;
use chorus_proto::chat::v1 as chat_pb;
use chorus_proto::message::v1 as message_pb;
use reqwest::StatusCode;

async fn upload(h: &Harness, user: &crate::helpers::User, name: &str) -> anyhow::Result<i64> {
    let (status, body) = h
        .upload(user, name, Some("text/plain"), name.as_bytes().to_vec())
        .await?;
    anyhow::ensure!(status == StatusCode::CREATED, "{status} {body}");
    Ok(body["id"].as_i64().unwrap_or_default())
}

fn attached(chat_id: i64, file_id: i64) -> message_pb::MessageCreated {
    message_pb::MessageCreated {
        message: Some(message_pb::Message {
            chat_id,
            file_id: Some(file_id),
            ..Default::default()
        }),
        enriched_json: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_of_a_chat_with_the_attachment_may_download_it() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let file = upload(&h, &h.alice, "shared.txt").await?;
    let path = format!("/files/{file}/download");
    h.member_of(&h.bob, &[7]);
    assert_eq!(h.redirect(&path, &h.bob).await?.0, StatusCode::NOT_FOUND);

    h.deliver_message(&attached(7, file)).await?;
    assert_eq!(h.redirect(&path, &h.bob).await?.0, StatusCode::FOUND);
    // Left the chat: no longer.
    h.member_of(&h.bob, &[]);
    assert_eq!(h.redirect(&path, &h.bob).await?.0, StatusCode::NOT_FOUND);

    // An avatar is public.
    h.deliver(
        "user.updated",
        &auth_pb::UserUpdated {
            user_id: h.alice.id,
            avatar_changed: true,
            avatar_file_id: Some(file),
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(h.redirect(&path, &h.bob).await?.0, StatusCode::FOUND);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_chat_removes_its_attachments_unless_used_elsewhere() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let only_here = upload(&h, &h.alice, "only-here.txt").await?;
    let forwarded = upload(&h, &h.alice, "forwarded.txt").await?;
    let private = upload(&h, &h.alice, "private.txt").await?;
    h.deliver_message(&attached(1, only_here)).await?;
    h.deliver_message(&attached(1, forwarded)).await?;
    h.deliver_message(&attached(2, forwarded)).await?;

    let deleted = chat_pb::ChatDeleted {
        chat_id: 1,
        ..Default::default()
    };
    h.deliver("chat.deleted", &deleted).await?;
    eventually("the orphan removed", || async {
        h.file_rows().await.is_ok_and(|rows| {
            rows.iter().map(|(id, _)| *id).collect::<Vec<_>>() == vec![forwarded, private]
        }) && h.stored_uploads().len() == 2
    })
    .await?;
    let (status, _) = h
        .redirect(&format!("/files/{only_here}/download"), &h.alice)
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_user_loses_unused_files_but_not_what_is_in_use() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let sent = upload(&h, &h.bob, "sent.txt").await?;
    let avatar = upload(&h, &h.bob, "me.png").await?;
    let draft = upload(&h, &h.bob, "draft.txt").await?;
    let alices = upload(&h, &h.alice, "alice.txt").await?;
    h.deliver_message(&attached(3, sent)).await?;
    h.deliver(
        "user.updated",
        &auth_pb::UserUpdated {
            user_id: h.bob.id,
            avatar_changed: true,
            avatar_file_id: Some(avatar),
            ..Default::default()
        },
    )
    .await?;
    h.deliver("user.deleted", &auth_pb::UserDeleted { user_id: h.bob.id })
        .await?;
    // The draft goes; the sent file and the current avatar (§5.7) stay.
    eventually("bob's unused files removed", || async {
        h.file_rows().await.is_ok_and(|rows| {
            rows.iter().map(|(id, _)| *id).collect::<Vec<_>>() == vec![sent, avatar, alices]
        }) && h.stored_uploads().len() == 3
    })
    .await?;
    let (status, _) = h
        .redirect(&format!("/files/{draft}/download"), &h.bob)
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_janitor_settles_what_a_crash_left() -> anyhow::Result<()> {
    let h = Harness::start_with(|cfg| cfg.stale_upload_secs = 0).await?;
    // A crash after the object was written but before the row was ready, and
    // one in the middle of a deletion.
    let bucket = &h.app.cfg.s3.uploads_bucket;
    for (key, state) in [
        ("uploads/crashed_a.bin", "uploading"),
        ("uploads/crashed_b.bin", "deleting"),
    ] {
        sqlx::query(
            "INSERT INTO files (uploader_id, bucket, object_key, filename, state) VALUES (1, $1, $2, 'x', $3)",
        )
        .bind(bucket)
        .bind(key)
        .bind(state)
        .execute(&h.db)
        .await?;
        let meta = chorus_media::store::ObjectMeta {
            content_type: "application/octet-stream".into(),
            content_disposition: None,
        };
        h.app
            .store
            .put(bucket, key, bytes::Bytes::from_static(b"x"), &meta)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    assert_eq!(h.stored_uploads().len(), 2);
    let janitor = chorus_media::domain::cleanup::Janitor::new(h.db.clone(), h.app.store.clone(), 0);
    while janitor.pass().await? > 0 {}
    assert!(h.file_rows().await?.is_empty());
    assert!(h.stored_uploads().is_empty());
    h.stop().await
}
