//! The gRPC clients behind the domain's peer traits: tonic stays here, the
//! domain sees `PeerError`.

use crate::domain::access::ChatMembership;
use crate::error::PeerError;
use chorus_kit::grpc::Channel;
use chorus_proto::chat::v1::ListUserChatsRequest;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use chorus_proto::{ChatId, UserId};
use futures_util::future::BoxFuture;
use std::time::Duration;

/// The chat service's `Membership`.
pub struct GrpcMembership(pub MembershipClient<Channel>);

impl ChatMembership for GrpcMembership {
    fn chats_of(&self, user: UserId) -> BoxFuture<'_, Result<Vec<ChatId>, PeerError>> {
        const DEADLINE: Duration = Duration::from_secs(2);
        let mut client = self.0.clone();
        Box::pin(async move {
            let request =
                chorus_kit::grpc::request(ListUserChatsRequest { user_id: user.0 }, DEADLINE);
            let reply = chorus_kit::grpc::within(DEADLINE, client.list_user_chats(request))
                .await
                .map_err(|status| PeerError(Box::new(status)))?;
            Ok(reply
                .into_inner()
                .chat_ids
                .into_iter()
                .map(ChatId)
                .collect())
        })
    }
}
