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
