//! The WebSocket edge (CONTRACT §16, §1.8): `/ws` connections with in-band
//! auth, subscriptions checked against the chat service, catch-up by `seq`
//! from the message service, and the fan-out of domain events. Events reach
//! every node through Redis pub/sub (`chorus_events::fanout`); the edge owns
//! no database.

mod app;
mod catchup;
mod config;
mod conn_handle;
mod dedup;
mod fanout_consumer;
mod frames;
mod http;
mod limits;
mod membership;
mod metrics;
mod node;
mod presence_link;
mod presence_order;
mod protocol;
mod rate;
mod realtime;
mod registry;
mod session;
pub mod wire;

pub use app::App;
pub use config::EdgeConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = http::routes().split_for_parts().1;
    // The `message` frames carry the message service's `Message` object. In
    // `chorus all` its full schema comes from that service's part (a merge keeps
    // the first definition); alone, the edge describes it as an opaque object so
    // its document has no dangling reference.
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .schemas
        .entry("Message".into())
        .or_insert_with(|| {
            ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The enriched message object (CONTRACT §9.2), as the message service documents it.",
            ))
            .into()
        });
    doc
}
