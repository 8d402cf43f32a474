//! The presence service's `OnlineMany` as the other services call it (auth for
//! profiles, chat for the chat list): a page must not hang on presence, so after
//! one second, or on any error, nobody is online (logged), and the client
//! connects lazily so a caller starts while presence is down.

use chorus_kit::grpc::Channel;
use chorus_proto::UserId;
use chorus_proto::presence::v1 as pb;
use std::collections::HashSet;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct PresenceClient {
    client: pb::presence_client::PresenceClient<Channel>,
}

impl PresenceClient {
    pub fn new(url: &str) -> Result<Self, tonic::transport::Error> {
        Ok(Self {
            client: pb::presence_client::PresenceClient::new(chorus_kit::grpc::channel(url)?),
        })
    }

    /// The subset of `ids` that is online now (§17.1); empty when presence
    /// does not answer in time.
    pub async fn online_many(&self, ids: &[UserId]) -> HashSet<UserId> {
        if ids.is_empty() {
            return HashSet::new();
        }
        let request = pb::OnlineManyRequest {
            user_ids: ids.iter().map(|id| id.0).collect(),
        };
        let mut client = self.client.clone();
        let call = client.online_many(chorus_kit::grpc::request(request, DEADLINE));
        match chorus_kit::grpc::within(DEADLINE, call).await {
            Ok(reply) => reply
                .into_inner()
                .online_user_ids
                .into_iter()
                .map(UserId)
                .collect(),
            Err(status) => {
                tracing::warn!(error = %status, "presence OnlineMany failed; nobody online");
                HashSet::new()
            }
        }
    }
}
