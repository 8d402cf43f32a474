//! Edge nodes: heartbeats, resync, the death of a node, and `OnlineMany` (also
//! as auth and chat ask it).

use crate::helpers::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_stops_beating_has_its_users_go_offline() -> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        node_ttl_ms: 800,
        ..Default::default()
    })
    .await?;
    // Alice only on the node that dies; bob on both, so he stays online.
    assert!(h.heartbeat("dying").await?);
    assert!(h.heartbeat("alive").await?);
    h.apply(
        "dying",
        vec![opened("d:1", 1, true), opened("d:2", 2, true)],
    )
    .await?;
    h.apply("alive", vec![opened("a:2", 2, true)]).await?;
    let mut online = vec![h.next_status().await?, h.next_status().await?];
    online.sort();
    assert_eq!(online, [status(1, "online"), status(2, "online")]);

    let client = h.client();
    let beating = tokio::spawn(async move {
        let mut client = client;
        loop {
            let beat = chorus_proto::presence::v1::HeartbeatRequest {
                node_id: "alive".into(),
            };
            if client.heartbeat(beat).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert_eq!(h.next_status().await?, status(1, "offline"));
    assert_eq!(h.online(&[1, 2]).await?, [2]);
    let reaped = h.apps[0].metrics.nodes_reaped.get();
    assert_eq!(reaped, 1);
    h.observer.quiet(h.settle()).await?;
    beating.abort();
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_node_that_comes_back_is_asked_to_resync_and_its_users_return() -> anyhow::Result<()>
{
    let h = Harness::start_with(Opts {
        node_ttl_ms: 500,
        ..Default::default()
    })
    .await?;
    assert!(h.heartbeat("n1").await?, "an unknown node resyncs");
    assert!(!h.heartbeat("n1").await?, "a known one does not");
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    assert_eq!(h.next_status().await?, status(1, "offline"));

    assert!(h.heartbeat("n1").await?, "declared dead: resync");
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    assert!(!h.heartbeat("n1").await?);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_first_seen_in_apply_resyncs_at_its_first_heartbeat() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, false)]).await?;
    assert!(h.heartbeat("n1").await?);
    // The resync re-sends what is already known: nothing changes.
    h.apply("n1", vec![opened("n1:1", 1, false)]).await?;
    assert!(!h.heartbeat("n1").await?);
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_many_answers_who_has_an_active_connection() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply(
        "n1",
        vec![
            opened("n1:1", 1, true),
            opened("n1:2", 2, false),
            opened("n1:3", 3, true),
            set_away("n1:3", 3),
        ],
    )
    .await?;
    assert_eq!(h.online(&[3, 2, 1, 1, 99]).await?, [1]);
    assert!(h.online(&[]).await?.is_empty());
    let too_many = h
        .client()
        .online_many(chorus_proto::presence::v1::OnlineManyRequest {
            user_ids: (1..=10_001).collect(),
        })
        .await;
    assert_eq!(
        too_many.map(|_| ()).map_err(|s| s.code()),
        Err(tonic::Code::InvalidArgument)
    );
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presence_client_reads_online_users_and_sees_nobody_when_presence_is_down()
-> anyhow::Result<()> {
    use chorus_presence_client::PresenceClient;
    use chorus_proto::UserId;
    let h = Harness::start().await?;
    h.apply(
        "n1",
        vec![opened("n1:1", 1, true), opened("n1:2", 2, false)],
    )
    .await?;
    let client = PresenceClient::new(&h.grpc_url)?;
    assert_eq!(
        client.online_many(&[UserId(1), UserId(2)]).await,
        [UserId(1)].into()
    );
    let down = PresenceClient::new("http://127.0.0.1:9")?;
    assert!(down.online_many(&[UserId(1)]).await.is_empty());
    h.stop().await
}
