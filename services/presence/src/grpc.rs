//! The `Presence` gRPC service (thin adapter over [`Tracker`]).

use crate::store::{Change, Kind};
use crate::tracker::{Report, Tracker};
use chorus_proto::presence::v1 as pb;
use tonic::{Request, Response, Status};

/// Upper bound on ids per `OnlineMany`.
pub const MAX_IDS: usize = 10_000;

pub struct Grpc(pub Tracker);

fn unavailable(err: fred::error::Error) -> Status {
    tracing::warn!(error = %err, "presence state unavailable");
    Status::unavailable("presence state unavailable")
}

/// A change as the tracker takes it; `None` (logged, skipped) for one no edge
/// should send, so that one bad entry does not make the node retry the batch forever.
fn report(change: pb::ConnectionChange) -> Option<Report> {
    let kind = pb::ChangeKind::try_from(change.kind).unwrap_or(pb::ChangeKind::Unspecified);
    if change.user_id <= 0 || (change.connection_id.is_empty() && kind != pb::ChangeKind::Activity)
    {
        tracing::warn!(?change, "invalid connection change skipped");
        return None;
    }
    let kind = match kind {
        pb::ChangeKind::Opened => Kind::Opened {
            active: change.active,
        },
        pb::ChangeKind::SetActive => Kind::SetActive,
        pb::ChangeKind::SetAway => Kind::SetAway,
        pb::ChangeKind::Closed => Kind::Closed,
        pb::ChangeKind::Activity => {
            return Some(Report::Activity {
                user_id: change.user_id,
            });
        }
        pb::ChangeKind::Unspecified => {
            tracing::warn!(?change, "connection change without a kind skipped");
            return None;
        }
    };
    Some(Report::State(Change {
        connection_id: change.connection_id,
        user_id: change.user_id,
        kind,
    }))
}

#[tonic::async_trait]
impl pb::presence_server::Presence for Grpc {
    async fn apply(
        &self,
        req: Request<pb::ApplyRequest>,
    ) -> Result<Response<pb::ApplyReply>, Status> {
        let req = req.into_inner();
        if req.node_id.is_empty() {
            return Err(Status::invalid_argument("node_id required"));
        }
        let reports = req.changes.into_iter().filter_map(report).collect();
        // Once the script ran, its transitions are decided in Redis and a
        // retried call would not decide them again. The work runs in a task of
        // its own so that a call cancelled meanwhile (the edge stopped waiting)
        // does not abort it between the decision and the broadcast.
        let tracker = self.0.clone();
        let node = req.node_id;
        tokio::spawn(async move { tracker.apply(&node, reports).await })
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "presence apply task failed");
                Status::internal("presence apply failed")
            })?
            .map_err(unavailable)?;
        Ok(Response::new(pb::ApplyReply {}))
    }

    async fn heartbeat(
        &self,
        req: Request<pb::HeartbeatRequest>,
    ) -> Result<Response<pb::HeartbeatReply>, Status> {
        let node = req.into_inner().node_id;
        if node.is_empty() {
            return Err(Status::invalid_argument("node_id required"));
        }
        let resync = self.0.heartbeat(&node).await.map_err(unavailable)?;
        if resync {
            tracing::info!(node, "edge node unknown; asked to resync");
        }
        Ok(Response::new(pb::HeartbeatReply { resync }))
    }

    async fn online_many(
        &self,
        req: Request<pb::OnlineManyRequest>,
    ) -> Result<Response<pb::OnlineManyReply>, Status> {
        let mut ids = req.into_inner().user_ids;
        if ids.len() > MAX_IDS {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_IDS} ids per call"
            )));
        }
        ids.sort_unstable();
        ids.dedup();
        let online_user_ids = self.0.store.online_many(&ids).await.map_err(|err| {
            self.0.metrics.failed("redis");
            unavailable(err)
        })?;
        Ok(Response::new(pb::OnlineManyReply { online_user_ids }))
    }
}
