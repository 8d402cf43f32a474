//! The internal `Files` gRPC service: files and stickers with fresh presigned
//! URLs, many at once, and download authorisation for attachments.

use crate::db::{files, stickers};
use crate::domain::access;
use crate::state::AppState;
use chorus_proto::media::v1 as pb;
use chorus_proto::{FileId, UserId};
use tonic::{Request, Response, Status};

/// Ids accepted per call (a page of messages or a chat list needs far fewer).
const MAX_IDS: usize = 1000;

pub struct Grpc(pub AppState);

#[tonic::async_trait]
impl pb::files_server::Files for Grpc {
    async fn get_many(
        &self,
        request: Request<pb::GetManyRequest>,
    ) -> Result<Response<pb::GetManyReply>, Status> {
        let req = request.into_inner();
        if req.file_ids.len() > MAX_IDS || req.sticker_ids.len() > MAX_IDS {
            return Err(Status::invalid_argument("too many ids"));
        }
        let state = &self.0;
        let (file_rows, sticker_rows) = tokio::try_join!(
            async {
                if req.file_ids.is_empty() {
                    Ok(Vec::new())
                } else {
                    files::many(&state.db, &req.file_ids).await
                }
            },
            async {
                if req.sticker_ids.is_empty() {
                    Ok(Vec::new())
                } else {
                    stickers::many(&state.db, &req.sticker_ids).await
                }
            }
        )
        .map_err(crate::error::Error::from)?;
        let files = file_rows
            .into_iter()
            .map(|f| pb::File {
                url: state.presigner.url(&f.bucket, &f.object_key),
                id: f.id.0,
                uploader_id: f.uploader_id.0,
                filename: f.filename,
                mime_type: f.mime_type,
            })
            .collect();
        let stickers = sticker_rows
            .into_iter()
            .map(|s| pb::Sticker {
                url: match (&s.bucket, &s.object_key) {
                    (Some(b), Some(k)) => Some(state.presigner.url(b, k)),
                    _ => None,
                },
                id: s.id,
                label: s.label,
            })
            .collect();
        Ok(Response::new(pb::GetManyReply { files, stickers }))
    }

    async fn may_download(
        &self,
        request: Request<pb::MayDownloadRequest>,
    ) -> Result<Response<pb::MayDownloadReply>, Status> {
        let req = request.into_inner();
        let state = &self.0;
        let allowed = match files::by_id(&state.db, FileId(req.file_id))
            .await
            .map_err(crate::error::Error::from)?
        {
            Some(file) => {
                access::may_download(
                    &state.db,
                    state.membership.as_ref(),
                    UserId(req.user_id),
                    &file,
                )
                .await?
            }
            None => false,
        };
        Ok(Response::new(pb::MayDownloadReply { allowed }))
    }
}
