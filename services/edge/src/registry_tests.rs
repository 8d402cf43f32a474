//! Channel names, payload slicing, and the order of presence transitions as
//! `dispatch` delivers them to local connections.

use super::*;
use tokio::sync::mpsc;

#[test]
fn channels_map_to_their_scope() {
    assert_eq!(target("p:", "p:chat:12"), Some(Target::Chat(12)));
    assert_eq!(target("p:", "p:user:3"), Some(Target::User(3)));
    assert_eq!(target("p:", "p:edge:all"), Some(Target::Broadcast));
    assert_eq!(target("p:", "q:chat:12"), None);
    assert_eq!(target("p:", "p:chat:x"), None);
}

#[test]
fn a_frame_is_sliced_out_of_its_payload_without_copying() {
    let payload = Bytes::from_static(b"#7 {\"type\":\"message\"}");
    let Some(Payload::Message { frame, .. }) = fanout::decode(&payload) else {
        panic!("not a message payload");
    };
    let sliced = slice_text(&payload, frame).map(|u| u.as_str().to_string());
    assert_eq!(sliced.as_deref(), Some("{\"type\":\"message\"}"));
}

/// A registry whose Redis and chat service are never reached: `dispatch`
/// needs neither.
fn registry() -> anyhow::Result<Registry> {
    let subscriber = Client::new(Config::default(), None, None, None);
    let membership = Membership::new(chorus_kit::grpc::channel("http://127.0.0.1:9")?, 1000);
    let metrics = EdgeMetrics::new(&prometheus::Registry::new())?;
    Ok(Registry::new(
        subscriber,
        "p:".into(),
        Arc::new(membership),
        metrics,
    ))
}

/// A local connection of `user_id` (admin or not), subscribed to `chats`.
fn connect(
    registry: &Registry,
    id: u64,
    user_id: i64,
    is_admin: bool,
    chats: &[i64],
) -> mpsc::Receiver<Outbound> {
    let (conn, rx) = Conn::new(id, user_id, is_admin, true, 64);
    let conn = Arc::new(conn);
    let mut inner = registry.lock();
    inner.by_user.entry(user_id).or_default().push(conn.clone());
    for chat in chats {
        inner.by_chat.entry(*chat).or_default().push(conn.clone());
        inner.chats_of.entry(id).or_default().push(*chat);
    }
    rx
}

fn frame(status: &str) -> String {
    format!(r#"{{"type":"presence","user_id":1,"username":"alice","status":"{status}"}}"#)
}

/// The statuses queued so far.
fn statuses(rx: &mut mpsc::Receiver<Outbound>) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(o) = rx.try_recv() {
        let v: serde_json::Value = serde_json::from_str(o.frame.as_str()).unwrap_or_default();
        out.push(v["status"].as_str().unwrap_or_default().to_string());
    }
    out
}

fn dispatch_presence(registry: &Registry, channel: &str, version: u64, status: &str) {
    let payload = fanout::encode_presence(1, version, &frame(status));
    registry.dispatch(channel, Bytes::from(payload));
}

#[tokio::test]
async fn an_older_presence_transition_published_after_a_newer_one_is_not_delivered()
-> anyhow::Result<()> {
    let registry = registry()?;
    let mut bob = connect(&registry, 1, 2, false, &[]);
    // Two presence instances: the newer offline overtook the older online.
    dispatch_presence(&registry, "p:user:2", 20, "offline");
    dispatch_presence(&registry, "p:user:2", 19, "online");
    dispatch_presence(&registry, "p:user:2", 21, "online");
    assert_eq!(statuses(&mut bob), ["offline", "online"]);
    assert_eq!(registry.metrics.presence_stale.get(), 1);
    Ok(())
}

#[tokio::test]
async fn one_transition_reaches_every_contact_and_again_when_re_published() -> anyhow::Result<()> {
    let registry = registry()?;
    let mut bob = connect(&registry, 1, 2, false, &[]);
    let mut carol = connect(&registry, 2, 3, false, &[]);
    dispatch_presence(&registry, "p:user:2", 20, "online");
    dispatch_presence(&registry, "p:user:3", 20, "online");
    // The presence service publishes a transition again when a copy failed.
    dispatch_presence(&registry, "p:user:3", 20, "online");
    assert_eq!(statuses(&mut bob), ["online"]);
    assert_eq!(statuses(&mut carol), ["online", "online"]);
    assert_eq!(registry.metrics.presence_stale.get(), 0);
    Ok(())
}

#[tokio::test]
async fn an_older_presence_control_published_after_a_newer_one_is_not_delivered()
-> anyhow::Result<()> {
    let registry = registry()?;
    let mut admin = connect(&registry, 1, 2, true, &[30]);
    let control = |version, status: &str| {
        let control = Control::Presence {
            user_id: 1,
            version,
            chat_ids: vec![30],
            full: frame(status),
            approx: None,
        };
        Bytes::from(fanout::encode_control(&control))
    };
    registry.dispatch("p:edge:all", control(20, "offline"));
    registry.dispatch("p:edge:all", control(19, "online"));
    // A frame on a user channel and a control share the subject's order.
    dispatch_presence(&registry, "p:user:2", 18, "online");
    registry.dispatch("p:edge:all", control(21, "online"));
    assert_eq!(statuses(&mut admin), ["offline", "online"]);
    assert_eq!(registry.metrics.presence_stale.get(), 2);
    Ok(())
}
