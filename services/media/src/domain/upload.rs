//! `POST /files` (§12.1): the first file part is streamed to the uploads bucket
//! in bounded parts — a small file in one PUT, a large one as a multipart
//! upload — and is never held whole in memory. The row is reserved before the
//! object is written and made visible only once it is complete; any failure,
//! and a client that goes away mid-upload, removes both.

use crate::db::files;
use crate::error::{Error, Result};
use crate::sniff;
use crate::state::AppState;
use crate::store::{Multipart, ObjectMeta, Store};
use crate::wire::UploadedFile;
use bytes::{Bytes, BytesMut};
use chorus_proto::{FileId, UserId};
use futures_util::{Stream, StreamExt};
use sqlx::PgPool;

const MIB: u64 = 1024 * 1024;

/// What the file part declares about itself (its `Content-Disposition`
/// filename and its `Content-Type`), as the client sent it.
#[derive(Debug, Clone, Copy)]
pub struct Declared<'a> {
    pub file_name: &'a str,
    pub content_type: Option<&'a str>,
}

/// `413 File too large (max N MB)`, N as configured.
pub fn too_large(state: &AppState) -> Error {
    Error::TooLarge {
        max_mb: u32::try_from(state.cfg.public.max_file_size_mb).unwrap_or(u32::MAX),
    }
}

/// Streams the part's bytes `body` into the store for `uploader`. An `Err`
/// item means the body broke off (malformed, or the client went away).
/// `body_over` says whether the whole request body has passed its limit (the
/// part may be small while the body around it is not).
pub async fn store<E>(
    state: &AppState,
    uploader: UserId,
    declared: Declared<'_>,
    body: impl Stream<Item = Result<Bytes, E>>,
    body_over: impl Fn() -> bool,
) -> Result<UploadedFile> {
    let limit = state.cfg.public.max_file_size_mb as u64 * MIB;
    let over = |file_bytes: u64| file_bytes > limit || body_over();
    let mut body = std::pin::pin!(body);
    // One part's worth of the shared buffer budget, held until this upload ends.
    let part_mib = state.cfg.s3.part_size_mib.max(5);
    let _buffer = state
        .upload_budget
        .acquire_many(u32::try_from(part_mib).unwrap_or(u32::MAX))
        .await
        .map_err(|_| anyhow::anyhow!("upload budget closed"))?;
    let part_size = part_mib * MIB as usize;
    let filename = sniff::display_name(declared.file_name);
    let mime_type = sniff::declared_type(declared.content_type);
    let bucket = state.cfg.s3.uploads_bucket.clone();
    let object_key = format!(
        "uploads/{}_{}",
        uuid::Uuid::new_v4(),
        sniff::key_name(&filename)
    );

    // The first bytes decide how the object is served (and whether it is empty).
    let mut pending = BytesMut::new();
    let mut total: u64 = 0;
    let mut finished = false;
    while pending.len() < sniff::SNIFF_LEN {
        match body
            .next()
            .await
            .transpose()
            .map_err(|_| Error::BrokenBody)?
        {
            Some(chunk) => {
                total += chunk.len() as u64;
                pending.extend_from_slice(&chunk);
            }
            None => {
                finished = true;
                break;
            }
        }
    }
    if total == 0 {
        return Err(Error::EmptyFile);
    }
    if over(total) {
        return Err(too_large(state));
    }
    let serving = sniff::serving(&mime_type, &pending);
    let meta = ObjectMeta {
        content_type: serving.content_type,
        content_disposition: serving
            .attachment
            .then(|| sniff::attachment_disposition(&filename)),
    };

    let id = files::reserve(
        &state.db,
        uploader,
        &bucket,
        &object_key,
        &filename,
        &mime_type,
    )
    .await?;
    let mut guard = Pending {
        db: state.db.clone(),
        store: state.store.clone(),
        id,
        bucket: bucket.clone(),
        key: object_key.clone(),
        multipart: None,
        armed: true,
    };

    while !finished {
        match body.next().await.transpose() {
            Ok(Some(chunk)) => {
                total += chunk.len() as u64;
                if over(total) {
                    guard.fail().await;
                    return Err(too_large(state));
                }
                pending.extend_from_slice(&chunk);
                if pending.len() >= part_size {
                    let part = pending.split_to(part_size).freeze();
                    if let Err(err) = guard.send_part(&meta, part).await {
                        guard.fail().await;
                        return Err(Error::Storage(err));
                    }
                }
            }
            Ok(None) => finished = true,
            Err(_) => {
                guard.fail().await;
                return Err(Error::BrokenBody);
            }
        }
    }

    let written = match guard.multipart.take() {
        None => {
            state
                .store
                .put(&bucket, &object_key, pending.freeze(), &meta)
                .await
        }
        Some(mut upload) => {
            let last = pending.freeze();
            let sent = if last.is_empty() {
                Ok(())
            } else {
                upload.send_part(last).await
            };
            match sent {
                Ok(()) => upload.complete().await,
                Err(err) => {
                    upload.abort().await;
                    Err(err)
                }
            }
        }
    };
    if let Err(err) = written {
        guard.fail().await;
        return Err(Error::Storage(err));
    }
    match files::mark_ready(&state.db, id, total as i64).await {
        Ok(true) => {}
        Ok(false) => {
            guard.fail().await;
            return Err(anyhow::anyhow!("upload row {id} vanished").into());
        }
        Err(err) => {
            guard.fail().await;
            return Err(err.into());
        }
    }
    guard.armed = false;
    Ok(UploadedFile {
        id,
        filename,
        mime_type,
        object_key,
    })
}

/// An upload in progress. Dropped while armed (the request was cancelled), it
/// removes the partial object and the row in the background.
struct Pending {
    db: PgPool,
    store: Store,
    id: FileId,
    bucket: String,
    key: String,
    multipart: Option<Multipart>,
    armed: bool,
}

impl Pending {
    async fn send_part(
        &mut self,
        meta: &ObjectMeta,
        part: Bytes,
    ) -> Result<(), crate::store::StoreError> {
        if self.multipart.is_none() {
            self.multipart = Some(
                self.store
                    .start_multipart(&self.bucket, &self.key, meta)
                    .await?,
            );
        }
        match self.multipart.as_mut() {
            Some(upload) => upload.send_part(part).await,
            None => Err("multipart upload not started".into()),
        }
    }

    /// The upload failed with nothing of ours still in flight: object and row go now.
    async fn fail(&mut self) {
        self.armed = false;
        let multipart = self.multipart.take();
        cleanup(
            &self.db,
            &self.store,
            self.id,
            &self.bucket,
            &self.key,
            multipart,
            true,
        )
        .await;
    }
}

impl Drop for Pending {
    /// The request was cancelled: a store request dropped half-way may still
    /// complete, so the row stays (`uploading`, invisible) for the janitor to
    /// remove the object again once the upload is stale, and the row after it.
    fn drop(&mut self) {
        if self.armed {
            let (db, store, id) = (self.db.clone(), self.store.clone(), self.id);
            let (bucket, key) = (
                std::mem::take(&mut self.bucket),
                std::mem::take(&mut self.key),
            );
            let multipart = self.multipart.take();
            tokio::spawn(async move {
                cleanup(&db, &store, id, &bucket, &key, multipart, false).await;
            });
        }
    }
}

/// Removes what an upload wrote (and the row, when `forget_row`). If anything
/// fails the row stays `uploading` and the janitor removes both later.
async fn cleanup(
    db: &PgPool,
    store: &Store,
    id: FileId,
    bucket: &str,
    key: &str,
    multipart: Option<Multipart>,
    forget_row: bool,
) {
    match multipart {
        Some(upload) => upload.abort().await,
        // Cancelled while the upload id was not ours yet (or while completing).
        None => store.abort_stale_multiparts(bucket, key).await,
    }
    if let Err(err) = store.delete(bucket, key).await {
        tracing::warn!(%key, error = %err, "partial upload not removed; the janitor will retry");
        return;
    }
    if forget_row && let Err(err) = files::delete_settled(db, id, "uploading").await {
        tracing::warn!(%id, error = %err, "upload row not removed; the janitor will retry");
    }
}
