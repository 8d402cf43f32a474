//! The object store through `aws-sdk-s3` (path-style addressing, so MinIO,
//! Garage and the embedded development store all work): buckets, objects and
//! the multipart uploads that stream large files in bounded parts.

use crate::config::S3Config;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;
use secrecy::ExposeSecret;
use std::time::Duration;

/// Headers an object is stored with (and later served with).
#[derive(Debug, Clone)]
pub struct ObjectMeta {
    pub content_type: String,
    pub content_disposition: Option<String>,
}

#[derive(Clone)]
pub struct Store {
    client: Client,
}

pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

impl Store {
    pub fn new(cfg: &S3Config) -> Self {
        let credentials = Credentials::new(
            cfg.access_key.clone(),
            cfg.secret_key.expose_secret().to_string(),
            None,
            None,
            "chorus-config",
        );
        let timeouts = aws_sdk_s3::config::timeout::TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(3))
            .operation_attempt_timeout(Duration::from_secs(60))
            .build();
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(cfg.endpoint_url())
            .force_path_style(true)
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials)
            .timeout_config(timeouts)
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .build();
        Self {
            client: Client::from_conf(config),
        }
    }

    /// Creates `bucket` unless it exists (private: no policy is attached).
    pub async fn ensure_bucket(&self, bucket: &str) -> Result<(), StoreError> {
        if self
            .client
            .head_bucket()
            .bucket(bucket)
            .send()
            .await
            .is_ok()
        {
            return Ok(());
        }
        match self.client.create_bucket().bucket(bucket).send().await {
            Ok(_) => Ok(()),
            Err(err) => {
                let code = err.as_service_error().and_then(|e| {
                    use aws_sdk_s3::error::ProvideErrorMetadata;
                    e.code().map(str::to_owned)
                });
                match code.as_deref() {
                    Some("BucketAlreadyOwnedByYou" | "BucketAlreadyExists") => Ok(()),
                    _ => Err(err.into()),
                }
            }
        }
    }

    /// Whether the store answers for `bucket` (health).
    pub async fn bucket_reachable(&self, bucket: &str) -> bool {
        self.client
            .head_bucket()
            .bucket(bucket)
            .send()
            .await
            .is_ok()
    }

    pub async fn exists(&self, bucket: &str, key: &str) -> Result<bool, StoreError> {
        match self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    /// One whole object in one request (small uploads, stickers).
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Bytes,
        meta: &ObjectMeta,
    ) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(&meta.content_type)
            .set_content_disposition(meta.content_disposition.clone())
            .body(ByteStream::from(body))
            .send()
            .await?;
        Ok(())
    }

    /// Removes an object; a missing one is not an error.
    pub async fn delete(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        self.client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await?;
        Ok(())
    }

    pub async fn start_multipart(
        &self,
        bucket: &str,
        key: &str,
        meta: &ObjectMeta,
    ) -> Result<Multipart, StoreError> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .content_type(&meta.content_type)
            .set_content_disposition(meta.content_disposition.clone())
            .send()
            .await?;
        let upload_id = out.upload_id().ok_or("no upload id")?.to_string();
        Ok(Multipart {
            store: self.clone(),
            bucket: bucket.into(),
            key: key.into(),
            upload_id,
            parts: Vec::new(),
        })
    }

    /// Aborts every unfinished multipart upload of `key` (after a crash, whose
    /// upload ids are gone with the process). Stores without the listing call
    /// keep nothing to abort.
    pub async fn abort_stale_multiparts(&self, bucket: &str, key: &str) {
        let Ok(list) = self
            .client
            .list_multipart_uploads()
            .bucket(bucket)
            .prefix(key)
            .send()
            .await
        else {
            return;
        };
        for upload in list.uploads() {
            if let (Some(k), Some(id)) = (upload.key(), upload.upload_id())
                && k == key
            {
                let _ = self
                    .client
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(k)
                    .upload_id(id)
                    .send()
                    .await;
            }
        }
    }
}

/// An object being written part by part; each part is held in memory only
/// while it is sent.
pub struct Multipart {
    store: Store,
    bucket: String,
    key: String,
    upload_id: String,
    parts: Vec<CompletedPart>,
}

impl Multipart {
    pub async fn send_part(&mut self, body: Bytes) -> Result<(), StoreError> {
        let number = i32::try_from(self.parts.len() + 1).map_err(|_| "too many parts")?;
        let out = self
            .store
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(number)
            .body(ByteStream::from(body))
            .send()
            .await?;
        self.parts.push(
            CompletedPart::builder()
                .part_number(number)
                .set_e_tag(out.e_tag().map(str::to_owned))
                .build(),
        );
        Ok(())
    }

    pub async fn complete(self) -> Result<(), StoreError> {
        self.store
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(self.parts))
                    .build(),
            )
            .send()
            .await?;
        Ok(())
    }

    pub async fn abort(self) {
        let aborted = self
            .store
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .send()
            .await;
        if let Err(err) = aborted {
            tracing::warn!(key = %self.key, error = %err, "abort of a multipart upload failed");
        }
    }
}
