//! Generated protobuf types and gRPC stubs, one module per proto package.

pub mod events {
    pub mod v1 {
        tonic::include_proto!("chorus.events.v1");
    }
}

pub mod auth {
    pub mod v1 {
        tonic::include_proto!("chorus.auth.v1");
    }
}

pub mod chat {
    pub mod v1 {
        tonic::include_proto!("chorus.chat.v1");
    }
}

pub mod message {
    pub mod v1 {
        tonic::include_proto!("chorus.message.v1");
    }
}

pub mod presence {
    pub mod v1 {
        tonic::include_proto!("chorus.presence.v1");
    }
}

pub mod media {
    pub mod v1 {
        tonic::include_proto!("chorus.media.v1");
    }
}

pub mod ids;
pub mod vocab;
pub use ids::{ChatId, FileId, MessageId, UserId};
pub use vocab::{ChatType, Role};

/// An event payload and its routing key (DESIGN §2): producers enqueue and
/// consumers bind and dispatch by `E::TYPE`, so the name is written once and a
/// typo is a compile error instead of silently dropped events.
pub trait Event: prost::Message + Default {
    /// The routing key, `<entity>.<past tense>`.
    const TYPE: &'static str;
}

/// Routing keys that refine an event type on the topic exchange, so that a
/// consumer binds only what it needs (the envelope keeps the plain type).
pub mod routing {
    /// A `message.created` whose message carries a file: where files are used
    /// matters to media, and most messages carry none.
    pub const MESSAGE_CREATED_WITH_FILE: &str = "message.created.file";
    /// Every `message.created`, with or without a file (`#` matches zero or
    /// more words).
    pub const MESSAGE_CREATED_ANY: &str = "message.created.#";
}

impl message::v1::MessageCreated {
    /// The routing key this event is published with.
    pub fn routing_key(&self) -> &'static str {
        if self.message.as_ref().is_some_and(|m| m.file_id.is_some()) {
            routing::MESSAGE_CREATED_WITH_FILE
        } else {
            <Self as Event>::TYPE
        }
    }
}

macro_rules! events {
    ($($ty:path => $key:literal,)*) => {
        $(impl Event for $ty {
            const TYPE: &'static str = $key;
        })*
    };
}

events! {
    auth::v1::UserRegistered => "user.registered",
    auth::v1::UserUpdated => "user.updated",
    auth::v1::UserBlocked => "user.blocked",
    auth::v1::UserUnblocked => "user.unblocked",
    auth::v1::UserDeleted => "user.deleted",
    chat::v1::ChatCreated => "chat.created",
    chat::v1::ChatUpdated => "chat.updated",
    chat::v1::ChatDeleted => "chat.deleted",
    chat::v1::MemberJoined => "member.joined",
    chat::v1::MemberLeft => "member.left",
    chat::v1::MemberRoleChanged => "member.role_changed",
    message::v1::MessageCreated => "message.created",
    message::v1::MessageUpdated => "message.updated",
    message::v1::MessageDeleted => "message.deleted",
    message::v1::MessagePinned => "message.pinned",
    message::v1::MessageUnpinned => "message.unpinned",
    message::v1::ReactionChanged => "reaction.changed",
    message::v1::ReceiptRead => "receipt.read",
    presence::v1::UserSeen => "presence.seen",
}
