//! The owners the admin service asks over gRPC: auth (`Accounts`), chat
//! (`ChatAdmin`) and message (`MessageAdmin`). Channels connect lazily (the
//! service starts while its peers are down) and every call has the channel's
//! deadline (`chorus_kit::grpc::channel`).

use chorus_kit::grpc::Channel;
use chorus_proto::auth::v1 as auth;
use chorus_proto::chat::v1 as chat;
use chorus_proto::message::v1 as message;

/// Auth's answers may list every active account (§14.6): room for ~100 000.
const MAX_REPLY_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct Peers {
    pub users: auth::users_client::UsersClient<Channel>,
    pub accounts: auth::accounts_client::AccountsClient<Channel>,
    pub chats: chat::chat_admin_client::ChatAdminClient<Channel>,
    pub messages: message::message_admin_client::MessageAdminClient<Channel>,
}

impl Peers {
    pub fn new(auth_url: &str, chat_url: &str, message_url: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        let channel = |url: &str, what: &str| {
            chorus_kit::grpc::channel(url).with_context(|| format!("{what}_grpc_url"))
        };
        Ok(Self {
            users: auth::users_client::UsersClient::new(channel(auth_url, "auth")?),
            accounts: auth::accounts_client::AccountsClient::new(channel(auth_url, "auth")?)
                .max_decoding_message_size(MAX_REPLY_BYTES),
            chats: chat::chat_admin_client::ChatAdminClient::new(channel(chat_url, "chat")?)
                .max_decoding_message_size(MAX_REPLY_BYTES),
            messages: message::message_admin_client::MessageAdminClient::new(channel(
                message_url,
                "message",
            )?),
        })
    }
}
