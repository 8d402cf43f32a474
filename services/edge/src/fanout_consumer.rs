//! The fan-out consumer: domain events from RabbitMQ (one queue shared by every
//! edge node, so each event is handled once) become frames PUBLISHed to Redis,
//! where every node with interested connections picks them up.
//!
//! Redelivery after a crash would publish twice; a short-lived Redis marker per
//! event id suppresses that, and is removed again when publishing fails so the
//! retry is not mistaken for a duplicate.

use crate::frames::{self, Needs};
use crate::metrics::EdgeMetrics;
use chorus_events::{Envelope, HandleError, StatelessHandler};
use chorus_proto::chat::v1::ListUserChatsRequest;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use fred::prelude::*;
use fred::types::{Expiration, SetOptions};
use futures_util::future::BoxFuture;
use tonic::transport::Channel;

/// How long a handled event id is remembered (covers any redelivery).
const SEEN_TTL_SECS: i64 = 3600;

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
        let first: Option<String> = self
            .redis
            .set(&seen, 1, Some(Expiration::EX(SEEN_TTL_SECS)), Some(SetOptions::NX), false)
            .await
            .map_err(transient)?;
        if first.is_none() {
            tracing::debug!(event_id = %event.id, "event already fanned out");
            return Ok(());
        }
        for (channel, payload) in publish {
            if let Err(err) = self.redis.publish::<(), _, _>(channel, payload).await {
                let _ = self.redis.del::<(), _>(&seen).await;
                return Err(transient(err));
            }
        }
        self.metrics.fanout_events.with_label_values(&[event.r#type.as_str()]).inc();
        Ok(())
    }
}

fn transient(err: Error) -> HandleError {
    HandleError::Transient(err.to_string())
}
