//! §1.8 "on any server node": two edge nodes — the one inside `chorus all` and a
//! separate `chorus edge` process — deliver chat scope, user scope, typing and
//! presence across nodes; a node killed with SIGKILL takes its users offline;
//! a Redis restart closes sockets with 1012 and clients catch up by `seq`.

use crate::harness::{Server, ServerBuilder};
use crate::nodes::{EdgeNode, PrivateRedis, set_blocked_internally};
use crate::ws::{Inbound, Person, Ws, quiet_group, system, typing_reaches};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Heartbeats every 300 ms, a node declared dead after 2 s of silence, offline
/// announced 1 s after the last active connection went.
const FAST_PRESENCE: [(&str, &str); 3] = [
    ("CHORUS_EDGE__HEARTBEAT_MS", "300"),
    ("CHORUS_PRESENCE__NODE_TTL_MS", "2000"),
    ("CHORUS_PRESENCE__OFFLINE_DEBOUNCE_MS", "1000"),
];

fn clustered() -> ServerBuilder {
    FAST_PRESENCE
        .iter()
        .fold(Server::builder().pin_grpc_ports(), |b, (k, v)| b.env(k, v))
}

/// The system plus a second edge node.
async fn two_nodes() -> anyhow::Result<(Server, EdgeNode)> {
    let s = system(clustered()).await?;
    let node = EdgeNode::start(&s, &FAST_PRESENCE[..1]).await?;
    Ok((s, node))
}

async fn socket(url: &str, p: &Person, chats: &[i64]) -> anyhow::Result<Ws> {
    Ws::subscribed_ignoring_presence(url, &p.token, chats).await
}

/// A connection that is never announced itself (`auth` with `active:false`).
async fn observer(url: &str, p: &Person) -> anyhow::Result<Ws> {
    let mut ws = Ws::connect(url).await?;
    ws.auth_away(&p.token).await?;
    Ok(ws)
}

async fn pair(s: &Server) -> anyhow::Result<(Person, Person, i64)> {
    let a = Person::new(s, "ann").await?;
    let b = Person::new(s, "ben").await?;
    let chat = quiet_group(s, &a.token, "Pair", &[b.id]).await?;
    Ok((a, b, chat))
}

fn presence(p: &Person, status: &str) -> Value {
    json!({"type": "presence", "user_id": p.id, "username": p.username, "status": status})
}

#[tokio::test]
async fn chat_scope_events_reach_subscribers_on_both_nodes() -> anyhow::Result<()> {
    let (s, node) = two_nodes().await?;
    let (a, b, chat) = pair(&s).await?;
    let mut here = socket(&s.ws_url(), &a, &[chat]).await?;
    let mut there = socket(&node.ws_url(), &b, &[chat]).await?;
    let mut there_too = socket(&node.ws_url(), &a, &[chat]).await?;

    let sent = s.send_text(&b.token, chat, "across nodes").await?;
    for ws in [&mut here, &mut there, &mut there_too] {
        let event = ws.recv_type("message").await?;
        assert_eq!(event["id"], sent["id"]);
        assert_eq!(event["seq"], 1);
    }
    node.stop().await;
    s.stop().await
}

#[tokio::test]
async fn user_scope_events_reach_every_connection_on_both_nodes() -> anyhow::Result<()> {
    let (s, node) = two_nodes().await?;
    let a = Person::new(&s, "ann").await?;
    let b = Person::new(&s, "ben").await?;
    let mut b_here = socket(&s.ws_url(), &b, &[]).await?;
    let mut b_there = socket(&node.ws_url(), &b, &[]).await?;

    let chat = s
        .create_chat(
            &a.token,
            json!({"type": "group", "title": "Hi", "member_ids": [b.id]}),
        )
        .await?;
    let expected = json!({"type": "chat_created", "chat_id": chat, "chat_type": "group",
                          "title": "Hi", "created_by": a.id});
    assert_eq!(b_here.json().await?, expected);
    assert_eq!(b_there.json().await?, expected);
    node.stop().await;
    s.stop().await
}

#[tokio::test]
async fn typing_crosses_nodes_in_both_directions() -> anyhow::Result<()> {
    let (s, node) = two_nodes().await?;
    let (a, b, chat) = pair(&s).await?;
    let mut here = socket(&s.ws_url(), &a, &[chat]).await?;
    let mut there = socket(&node.ws_url(), &b, &[chat]).await?;
    typing_reaches(&mut there, &mut here, chat, &b).await?;
    typing_reaches(&mut here, &mut there, chat, &a).await?;
    node.stop().await;
    s.stop().await
}

#[tokio::test]
async fn presence_crosses_nodes() -> anyhow::Result<()> {
    let (s, node) = two_nodes().await?;
    let (a, b, _) = pair(&s).await?;
    let mut watcher = observer(&s.ws_url(), &a).await?;
    let mut subject = Ws::subscribed(&node.ws_url(), &b.token, &[]).await?;
    assert_eq!(watcher.json().await?, presence(&b, "online"));
    subject
        .send(json!({"type": "presence_update", "status": "away"}))
        .await?;
    assert_eq!(watcher.json().await?, presence(&b, "offline"));

    // And the other way round.
    let mut watcher_there = observer(&node.ws_url(), &b).await?;
    let _a_here = Ws::subscribed(&s.ws_url(), &a.token, &[]).await?;
    assert_eq!(watcher_there.json().await?, presence(&a, "online"));
    node.stop().await;
    s.stop().await
}

#[tokio::test]
async fn a_node_killed_with_sigkill_takes_its_users_offline_for_observers_on_the_other_node()
-> anyhow::Result<()> {
    let (s, mut node) = two_nodes().await?;
    let (a, b, _) = pair(&s).await?;
    let mut watcher = observer(&s.ws_url(), &a).await?;
    let _subject = Ws::subscribed(&node.ws_url(), &b.token, &[]).await?;
    assert_eq!(watcher.json().await?, presence(&b, "online"));

    node.kill9();
    assert_eq!(watcher.json().await?, presence(&b, "offline"));
    let (status, profile) = s
        .call(
            Method::GET,
            &format!("/users/{}", b.id),
            Some(&a.token),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["is_online"], false, "{profile}");
    s.stop().await
}

/// Message seqs from `ws` until the connection ends; returns them and the close code.
async fn seqs_until_closed(ws: &mut Ws) -> anyhow::Result<(Vec<i64>, Option<u16>)> {
    let mut seqs = Vec::new();
    loop {
        match ws.recv().await? {
            Inbound::Json(frame) if frame["type"] == "message" => {
                seqs.push(frame["seq"].as_i64().unwrap_or_default())
            }
            Inbound::Json(_) => {}
            Inbound::Closed(code) => return Ok((seqs, code)),
        }
    }
}

#[tokio::test]
async fn after_a_redis_restart_sockets_close_with_1012_and_a_resubscribe_with_after_seq_misses_nothing()
-> anyhow::Result<()> {
    let mut redis = PrivateRedis::start().await?;
    let s = system(Server::builder().redis(&redis.url())).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut ws = socket(&s.ws_url(), &b, &[chat]).await?;
    let mut seqs = Vec::new();
    for i in 1..=3 {
        s.send_text(&a.token, chat, &format!("before {i}")).await?;
        seqs.push(
            ws.recv_type("message").await?["seq"]
                .as_i64()
                .unwrap_or_default(),
        );
    }

    redis.kill();
    for i in 4..=6 {
        s.send_text(&a.token, chat, &format!("while down {i}"))
            .await?;
    }
    redis.restart().await?;

    // Whatever still came live on the old socket counts; then the 1012 close.
    let (live, code) = seqs_until_closed(&mut ws).await?;
    assert_eq!(code, Some(1012));
    seqs.extend(live);

    let mut again = Ws::subscribed_ignoring_presence(&s.ws_url(), &b.token, &[]).await?;
    let last = *seqs.last().unwrap_or(&0);
    again
        .send(json!({"type": "subscribe", "chat_id": chat, "after_seq": last}))
        .await?;
    assert_eq!(
        again.json().await?,
        json!({"type": "subscribed", "chat_id": chat})
    );
    for i in 7..=8 {
        s.send_text(&a.token, chat, &format!("after {i}")).await?;
    }
    while seqs.last() != Some(&8) {
        seqs.push(
            again.recv_type("message").await?["seq"]
                .as_i64()
                .unwrap_or_default(),
        );
    }
    assert_eq!(
        seqs,
        (1..=8).collect::<Vec<_>>(),
        "each message exactly once, in order"
    );
    again.assert_silent().await?;
    s.stop().await
}

/// §2.4: a blocked user's unexpired access tokens stop working everywhere,
/// also after Redis lost its data (a restart without persistence): auth
/// re-asserts the revocation flags from its database when Redis comes back.
#[tokio::test]
async fn a_blocked_user_stays_refused_on_the_socket_after_a_redis_restart() -> anyhow::Result<()> {
    let mut redis = PrivateRedis::start().await?;
    let s = system(Server::builder().redis(&redis.url()).pin_grpc_ports()).await?;
    let b = Person::new(&s, "ben").await?;
    set_blocked_internally(&s, b.id, true).await?;
    let mut control = Ws::connect(&s.ws_url()).await?;
    control
        .send(json!({"type": "auth", "token": b.token}))
        .await?;
    assert_eq!(
        control.json().await?["type"],
        "error",
        "refused before the restart"
    );

    redis.restart().await?;
    // Wait until the system is connected to the new Redis again.
    let mut healthy = false;
    for _ in 0..100 {
        let (status, _) = s.call(Method::GET, "/health", None, None).await?;
        if status == StatusCode::OK {
            healthy = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(healthy, "the system reconnected to Redis");

    let mut ws = Ws::connect(&s.ws_url()).await?;
    ws.send(json!({"type": "auth", "token": b.token})).await?;
    assert_eq!(
        ws.json().await?,
        json!({"type": "error", "message": "Invalid or expired access token"})
    );
    s.stop().await
}

/// §16.2: from `subscribed` on, the connection receives the chat's events,
/// even a frame published the moment after it (the node confirms its Redis
/// subscription with a PING before answering; a SUBSCRIBE alone resolves as
/// soon as it is written).
#[tokio::test]
async fn a_typing_sent_right_after_subscribed_is_echoed_on_either_node() -> anyhow::Result<()> {
    let (s, node) = two_nodes().await?;
    let mut lost = Vec::new();
    for round in 0..15 {
        let (a, b, chat) = pair(&s).await?;
        for (url, who) in [(s.ws_url(), &a), (node.ws_url(), &b)] {
            let mut typist = socket(&url, who, &[chat]).await?;
            typist
                .send(json!({"type": "typing", "chat_id": chat}))
                .await?;
            if typist.maybe_json().await?.is_none() {
                lost.push(format!("round {round} on {url}"));
            }
            typist.close().await;
        }
    }
    assert!(
        lost.is_empty(),
        "first typing after subscribed never echoed: {lost:?}"
    );
    node.stop().await;
    s.stop().await
}
