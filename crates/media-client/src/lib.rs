//! The media service's `Files` API as the other services call it: one batched
//! `GetMany` for a page or a list (split at the server's 1000-id bound), with a
//! deadline, connecting lazily so a caller starts while media is down.

use chorus_kit::grpc::Channel;
use chorus_proto::media::v1 as pb;
use std::collections::HashMap;
use std::time::Duration;
use tonic::Status;

pub use pb::{File, GetManyReply, Sticker};

/// Ids per `GetMany` call (the server's bound).
const IDS_PER_CALL: usize = 1000;
const DEADLINE: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct MediaClient {
    client: pb::files_client::FilesClient<Channel>,
}

impl MediaClient {
    pub fn new(url: &str) -> Result<Self, tonic::transport::Error> {
        Ok(Self {
            client: pb::files_client::FilesClient::new(chorus_kit::grpc::channel(url)?),
        })
    }

    /// The files and stickers that exist, with fresh presigned URLs.
    pub async fn get_many(
        &self,
        file_ids: &[i64],
        sticker_ids: &[i64],
    ) -> Result<GetManyReply, Status> {
        let mut all = GetManyReply::default();
        let (mut files, mut stickers) = (
            file_ids.chunks(IDS_PER_CALL),
            sticker_ids.chunks(IDS_PER_CALL),
        );
        loop {
            let (f, s) = (files.next(), stickers.next());
            if f.is_none() && s.is_none() {
                return Ok(all);
            }
            let request = pb::GetManyRequest {
                file_ids: f.unwrap_or_default().to_vec(),
                sticker_ids: s.unwrap_or_default().to_vec(),
            };
            let mut client = self.client.clone();
            let call = client.get_many(chorus_kit::grpc::request(request, DEADLINE));
            let reply = chorus_kit::grpc::within(DEADLINE, call).await?.into_inner();
            all.files.extend(reply.files);
            all.stickers.extend(reply.stickers);
        }
    }

    /// One file, if it exists.
    pub async fn file(&self, id: i64) -> Result<Option<File>, Status> {
        let reply = self.get_many(&[id], &[]).await?;
        Ok(reply.files.into_iter().find(|f| f.id == id))
    }

    /// Presigned URLs of the files that exist. For display only: on failure
    /// (logged) nothing resolves and the caller shows null URLs.
    pub async fn urls(&self, file_ids: &[i64]) -> HashMap<i64, String> {
        if file_ids.is_empty() {
            return HashMap::new();
        }
        match self.get_many(file_ids, &[]).await {
            Ok(reply) => reply.files.into_iter().map(|f| (f.id, f.url)).collect(),
            Err(status) => {
                tracing::warn!(error = %status, "media GetMany failed; URLs shown as null");
                HashMap::new()
            }
        }
    }

    /// Whether `user_id` may download (and so attach) `file_id` (§12.2, D12).
    pub async fn may_download(&self, user_id: i64, file_id: i64) -> Result<bool, Status> {
        let request = pb::MayDownloadRequest { user_id, file_id };
        let mut client = self.client.clone();
        let call = client.may_download(chorus_kit::grpc::request(request, DEADLINE));
        Ok(chorus_kit::grpc::within(DEADLINE, call)
            .await?
            .into_inner()
            .allowed)
    }
}
