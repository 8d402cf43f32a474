//! Everything the connections of one edge node share.

use crate::config::EdgeConfig;
use crate::limits::ConnLimits;
use crate::membership::Membership;
use crate::presence_link::PresenceLink;
use crate::registry::Registry;
use chorus_authn::Verifier;
use chorus_kit::Shutdown;
use chorus_kit::grpc::Channel;
use chorus_proto::auth::v1::users_client::UsersClient;
use chorus_proto::message::v1::history_client::HistoryClient;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Node {
    pub cfg: Arc<EdgeConfig>,
    pub node_id: Arc<str>,
    pub registry: Arc<Registry>,
    pub membership: Arc<Membership>,
    pub verifier: Arc<Verifier>,
    pub presence: PresenceLink,
    pub history: HistoryClient<Channel>,
    pub users: UsersClient<Channel>,
    /// Commands and PUBLISH (the subscriber connection cannot run them).
    pub redis: fred::clients::Client,
    pub shutdown: Shutdown,
    pub limits: Arc<ConnLimits>,
    pub next_id: AtomicU64,
}

impl Node {
    pub fn next_conn_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}
