//! The fan-out consumer: domain events from RabbitMQ (one queue shared by every
//! edge node, so each event is handled once) become frames PUBLISHed to Redis,
//! where every node with interested connections picks them up.
//!
//! Redelivery after a crash would publish twice; a short-lived Redis marker per
//! event id suppresses that. Marker and PUBLISHes run as one script: one round
//! trip per event, and the marker exists if and only if the frames went out.

use crate::frames::{self, Needs};
use crate::metrics::EdgeMetrics;
use chorus_events::{Envelope, HandleError, StatelessHandler};
use chorus_kit::grpc::Channel;
use chorus_proto::chat::v1::ListUserChatsRequest;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use fred::prelude::*;
use futures_util::future::BoxFuture;

/// How long a handled event id is remembered: longer than any redelivery
/// takes, short enough that the markers stay few.
const SEEN_TTL_SECS: i64 = 600;

/// KEYS[1] the event's marker; ARGV[1] its TTL, then channel/payload pairs.
const PUBLISH_ONCE: &str = r"
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return 0
end
for i = 2, #ARGV, 2 do
  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
end
return 1
";

pub struct FanoutConsumer {
    pub redis: Client,
    pub prefix: String,
    pub chats: MembershipClient<Channel>,
    pub metrics: EdgeMetrics,
}

impl StatelessHandler for FanoutConsumer {
    fn handle<'a>(&'a self, event: &'a Envelope) -> BoxFuture<'a, Result<(), HandleError>> {
        Box::pin(self.fan_out(event))
    }
}

impl FanoutConsumer {
    async fn fan_out(&self, event: &Envelope) -> Result<(), HandleError> {
        let publish = match frames::translate(&self.prefix, event)? {
            Needs::Nothing(publish) => publish,
            Needs::ChatsOf { user_id, frames } => {
                let chats = self
                    .chats
                    .clone()
                    .list_user_chats(ListUserChatsRequest { user_id })
                    .await
                    .map_err(|s| HandleError::Transient(s.to_string()))?
                    .into_inner();
                frames::profile_frames(&self.prefix, &chats.chat_ids, &frames)
            }
        };
        if publish.is_empty() {
            return Ok(());
        }
        let seen = format!("{}edge:seen:{}", self.prefix, event.id);
        let mut args = Vec::with_capacity(1 + 2 * publish.len());
        args.push(SEEN_TTL_SECS.to_string());
        for (channel, payload) in publish {
            args.push(channel);
            args.push(payload);
        }
        let fresh: i64 = self
            .redis
            .eval(PUBLISH_ONCE, vec![seen], args)
            .await
            .map_err(|err| HandleError::Transient(err.to_string()))?;
        if fresh == 0 {
            tracing::debug!(event_id = %event.id, "event already fanned out");
            return Ok(());
        }
        self.metrics
            .fanout_events
            .with_label_values(&[event.r#type.as_str()])
            .inc();
        Ok(())
    }
}
