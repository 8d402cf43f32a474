//! What the message service asks of the media service, behind a trait so tests
//! can fake it: stickers, download rights for attachments, and the files and
//! stickers of a page resolved in one `Files.GetMany`.

use chorus_proto::media::v1 as media_pb;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::time::Duration;
use tonic::transport::Channel;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticker {
    pub label: String,
}

/// An attachment (or avatar) as a message shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileInfo {
    pub filename: Option<String>,
    pub mime_type: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StickerInfo {
    pub label: Option<String>,
    pub url: Option<String>,
}

/// Files and stickers of one page, resolved in one call.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub files: HashMap<i64, FileInfo>,
    pub stickers: HashMap<i64, StickerInfo>,
}

pub trait Media: Send + Sync + 'static {
    /// The sticker, if it exists; an error when media cannot tell.
    fn sticker(&self, id: i64) -> BoxFuture<'_, anyhow::Result<Option<Sticker>>>;
    /// Whether `user_id` may attach (download) `file_id` (§9.3, §12.2); an error
    /// when media cannot tell.
    fn may_download(&self, user_id: i64, file_id: i64) -> BoxFuture<'_, anyhow::Result<bool>>;
    /// Metadata and presigned URLs of the given files and stickers, those that exist.
    fn resolve<'a>(
        &'a self,
        file_ids: &'a [i64],
        sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved>;
}

/// No media service: no stickers, no files, every URL null.
pub struct NoMedia;

impl Media for NoMedia {
    fn sticker(&self, _id: i64) -> BoxFuture<'_, anyhow::Result<Option<Sticker>>> {
        Box::pin(async { Ok(None) })
    }
    fn may_download(&self, _user_id: i64, _file_id: i64) -> BoxFuture<'_, anyhow::Result<bool>> {
        Box::pin(async { Ok(false) })
    }
    fn resolve<'a>(
        &'a self,
        _file_ids: &'a [i64],
        _sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async { Resolved::default() })
    }
}

/// The media service over gRPC.
pub struct GrpcMedia {
    client: media_pb::files_client::FilesClient<Channel>,
}

const DEADLINE: Duration = Duration::from_secs(2);

impl GrpcMedia {
    /// Connects lazily, so the message service starts while media is down.
    pub fn new(url: &str) -> Result<Self, tonic::transport::Error> {
        Ok(Self {
            client: media_pb::files_client::FilesClient::new(chorus_kit::grpc::channel(url)?),
        })
    }

    async fn get_many(
        &self,
        file_ids: &[i64],
        sticker_ids: &[i64],
    ) -> Result<media_pb::GetManyReply, tonic::Status> {
        let request = media_pb::GetManyRequest {
            file_ids: file_ids.to_vec(),
            sticker_ids: sticker_ids.to_vec(),
        };
        let mut client = self.client.clone();
        let call = client.get_many(chorus_kit::grpc::request(request, DEADLINE));
        Ok(chorus_kit::grpc::within(DEADLINE, call).await?.into_inner())
    }
}

impl Media for GrpcMedia {
    fn sticker(&self, id: i64) -> BoxFuture<'_, anyhow::Result<Option<Sticker>>> {
        Box::pin(async move {
            let reply = self.get_many(&[], &[id]).await?;
            Ok(reply
                .stickers
                .into_iter()
                .find(|s| s.id == id)
                .map(|s| Sticker { label: s.label }))
        })
    }

    fn may_download(&self, user_id: i64, file_id: i64) -> BoxFuture<'_, anyhow::Result<bool>> {
        Box::pin(async move {
            let request = media_pb::MayDownloadRequest { user_id, file_id };
            let mut client = self.client.clone();
            let call = client.may_download(chorus_kit::grpc::request(request, DEADLINE));
            Ok(chorus_kit::grpc::within(DEADLINE, call)
                .await?
                .into_inner()
                .allowed)
        })
    }

    fn resolve<'a>(
        &'a self,
        file_ids: &'a [i64],
        sticker_ids: &'a [i64],
    ) -> BoxFuture<'a, Resolved> {
        Box::pin(async move {
            let reply = match self.get_many(file_ids, sticker_ids).await {
                Ok(reply) => reply,
                Err(status) => {
                    // A page still shows its messages, with null URLs.
                    tracing::warn!(error = %status, "media GetMany failed; URLs shown as null");
                    return Resolved::default();
                }
            };
            Resolved {
                files: reply
                    .files
                    .into_iter()
                    .map(|f| {
                        let info = FileInfo {
                            filename: Some(f.filename),
                            mime_type: f.mime_type,
                            url: Some(f.url),
                        };
                        (f.id, info)
                    })
                    .collect(),
                stickers: reply
                    .stickers
                    .into_iter()
                    .map(|s| {
                        let info = StickerInfo {
                            label: Some(s.label),
                            url: s.url,
                        };
                        (s.id, info)
                    })
                    .collect(),
            }
        })
    }
}
