//! CONTRACT §17.4: who receives what, by the subject's `last_seen_visibility`
//! read at broadcast time. Admin filtering is the edge's job: the service
//! hands it both copies.

use crate::helpers::*;
use serde_json::{Value, json};

fn full(user: i64, username: &str, status: &str) -> Value {
    json!({"type": "presence", "user_id": user, "username": username, "status": status})
}

fn approx(user: i64, username: &str, bucket: &str) -> Value {
    json!({
        "type": "presence",
        "user_id": user,
        "username": username,
        "privacy": "approx_only",
        "last_seen_bucket": bucket,
    })
}

/// Carol (3): contacts 4 and 5 (chat also names carol herself, which must not
/// count), member of chats 30 and 31.
fn carol(h: &Harness, visibility: &str) {
    h.peers.user(3, "carol", visibility);
    h.peers.contacts(3, &[4, 3, 5]);
    h.peers.chats(3, &[30, 31]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_sends_the_full_frame_to_each_contact_but_not_the_subject() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    carol(&h, "everyone");
    h.apply("n1", vec![opened("n1:3", 3, true)]).await?;
    let got = h.observer.take(2).await?;
    let got: Vec<(&str, &Value)> = got.iter().map(|r| (r.channel.as_str(), &r.json)).collect();
    let frame = full(3, "carol", "online");
    assert_eq!(got, [("user:4", &frame), ("user:5", &frame)]);

    h.apply("n1", vec![closed("n1:3", 3)]).await?;
    let got = h.observer.take(2).await?;
    let frame = full(3, "carol", "offline");
    assert!(got.iter().all(|r| r.json == frame), "{got:?}");
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_visibility_means_everyone() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    carol(&h, "");
    h.apply("n1", vec![opened("n1:3", 3, true)]).await?;
    let got = h.observer.take(2).await?;
    assert_eq!(got[0].channel, "user:4");
    assert_eq!(got[1].json, full(3, "carol", "online"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approx_only_sends_one_control_with_the_full_and_the_approximate_frame()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    carol(&h, "approx_only");
    h.apply("n1", vec![opened("n1:3", 3, true)]).await?;
    let online = h.observer.next().await?;
    assert_eq!(online.channel, "edge:all");
    assert_eq!(
        online.json,
        json!({
            "op": "presence",
            "chat_ids": [30, 31],
            "full": full(3, "carol", "online"),
            "approx": approx(3, "carol", "online"),
        })
    );

    h.apply("n1", vec![set_away("n1:3", 3)]).await?;
    let offline = h.observer.next().await?;
    assert_eq!(offline.channel, "edge:all");
    assert_eq!(offline.json["full"], full(3, "carol", "offline"));
    assert_eq!(offline.json["approx"], approx(3, "carol", "recently"));
    assert!(offline.json["approx"].get("status").is_none());
    assert!(online.version > 0 && offline.version > online.version);
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_sends_one_control_with_only_the_full_frame_for_admins() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    carol(&h, "nobody");
    h.apply("n1", vec![opened("n1:3", 3, true)]).await?;
    let online = h.observer.next().await?;
    assert_eq!(online.channel, "edge:all");
    assert_eq!(
        online.json,
        json!({
            "op": "presence",
            "chat_ids": [30, 31],
            "full": full(3, "carol", "online"),
            "approx": null,
        })
    );
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_visibility_is_read_when_the_transition_is_broadcast() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    carol(&h, "everyone");
    h.apply("n1", vec![opened("n1:3", 3, true)]).await?;
    assert_eq!(h.observer.take(2).await?.len(), 2);
    h.peers.user(3, "carol", "nobody");
    h.apply("n1", vec![closed("n1:3", 3)]).await?;
    let offline = h.observer.next().await?;
    assert_eq!(offline.channel, "edge:all");
    assert_eq!(offline.json["full"], full(3, "carol", "offline"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_that_failed_on_a_lookup_is_sent_again_once_the_peer_is_back()
-> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        retry_ms: 300,
        ..Default::default()
    })
    .await?;
    h.peers.users_down(true);
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.online(&[1]).await?, [1], "the state is kept");
    let metrics = h.apps[0].metrics.clone();
    let failures = || metrics.failures.with_label_values(&["users"]).get();
    // The first attempt and at least one more fail while auth is down.
    wait_for("a second failed attempt", || async { failures() >= 2 }).await?;
    let pending = h.pending(1).await?;
    assert!(
        pending.as_deref().is_some_and(|p| p.contains(" online ")),
        "{pending:?}"
    );

    h.peers.users_down(false);
    let (user, status, version) = h.next_versioned().await?;
    assert_eq!((user, status.as_str()), (1, "online"));
    assert!(
        pending.is_some_and(|p| p.starts_with(&format!("{version} "))),
        "the version decided at first"
    );
    let rebroadcasts = metrics.rebroadcasts.with_label_values(&["online"]).get();
    assert!(rebroadcasts >= 1, "{rebroadcasts}");
    wait_for("the broadcast is settled", || async {
        h.pending(1).await.is_ok_and(|p| p.is_none())
    })
    .await?;
    h.stop().await
}
