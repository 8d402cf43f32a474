//! CONTRACT §17.1–§17.3, one rule per test. Alice (1) is the subject; her
//! broadcasts reach bob (2) on `user:2`.

use crate::helpers::*;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_active_connection_broadcasts_online() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    assert_eq!(h.online(&[1, 2]).await?, [1]);
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_away_connection_broadcasts_nothing() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, false)]).await?;
    h.observer.quiet(h.settle()).await?;
    assert!(h.online(&[1]).await?.is_empty());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_away_connection_does_not_cancel_a_pending_offline_timer() -> anyhow::Result<()>
{
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![closed("n1:1", 1), opened("n1:2", 1, false)])
        .await?;
    assert_eq!(h.next_status().await?, status(1, "offline"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_active_connection_broadcasts_nothing_more() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![opened("n1:2", 1, true)]).await?;
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_active_on_an_away_connection_broadcasts_online_when_no_other_is_active()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply(
        "n1",
        vec![opened("n1:1", 1, false), opened("n1:2", 1, false)],
    )
    .await?;
    h.apply("n1", vec![set_active("n1:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![set_active("n1:2", 1)]).await?;
    h.observer.quiet(h.settle()).await?;
    assert_eq!(h.online(&[1]).await?, [1]);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_away_on_the_last_active_connection_broadcasts_offline_after_the_debounce()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true), opened("n1:2", 1, true)])
        .await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![set_away("n1:1", 1)]).await?;
    h.observer.quiet(h.settle()).await?;

    let trigger = Instant::now();
    h.apply("n1", vec![set_away("n1:2", 1)]).await?;
    assert!(h.online(&[1]).await?.is_empty(), "not online at once");
    let offline = h.observer.next().await?;
    assert_eq!(offline.json["status"], "offline");
    assert!(offline.at.duration_since(trigger) >= h.debounce());
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_last_active_connection_broadcasts_offline_after_the_debounce()
-> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    let trigger = Instant::now();
    h.apply("n1", vec![closed("n1:1", 1)]).await?;
    let offline = h.observer.next().await?;
    assert_eq!(offline.json["status"], "offline");
    assert!(offline.at.duration_since(trigger) >= h.debounce());
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_an_away_connection_broadcasts_nothing() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply(
        "n1",
        vec![opened("n1:1", 1, true), opened("n1:2", 1, false)],
    )
    .await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![closed("n1:2", 1)]).await?;
    h.observer.quiet(h.settle()).await?;
    assert_eq!(h.online(&[1]).await?, [1]);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeating_the_current_state_is_a_no_op() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply(
        "n1",
        vec![
            set_active("n1:1", 1),
            opened("n1:1", 1, true),
            set_active("n1:1", 1),
        ],
    )
    .await?;
    h.observer.quiet(h.settle()).await?;

    h.apply("n1", vec![set_away("n1:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "offline"));
    h.apply(
        "n1",
        vec![set_away("n1:1", 1), closed("n1:1", 1), closed("n1:1", 1)],
    )
    .await?;
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_trigger_replaces_the_pending_offline_timer() -> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        debounce_ms: 800,
        ..Default::default()
    })
    .await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![set_away("n1:1", 1)]).await?;
    tokio::time::sleep(h.debounce() / 2).await;
    // Back and away again: the first timer is cancelled, a new one starts now.
    let second = Instant::now();
    h.apply("n1", vec![set_active("n1:1", 1), set_away("n1:1", 1)])
        .await?;
    // Coming back is announced (§17.2); going away again restarts the timer.
    assert_eq!(h.next_status().await?, status(1, "online"));
    let offline = h.observer.next().await?;
    assert_eq!(offline.json["status"], "offline");
    assert!(
        offline.at.duration_since(second) >= h.debounce(),
        "the offline came from the first trigger"
    );
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn going_active_again_within_the_debounce_announces_online_again_without_an_offline()
-> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        debounce_ms: 1000,
        ..Default::default()
    })
    .await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![set_away("n1:1", 1)]).await?;
    h.apply("n1", vec![set_active("n1:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    // The offline timer was cancelled: nothing follows.
    h.observer.quiet(h.settle()).await?;
    assert_eq!(h.online(&[1]).await?, [1]);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_within_the_debounce_announces_online_again_without_an_offline()
-> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        debounce_ms: 1000,
        ..Default::default()
    })
    .await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply("n1", vec![closed("n1:1", 1)]).await?;
    h.apply("n2", vec![opened("n2:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.observer.quiet(h.settle()).await?;

    // A real offline afterwards is still announced, and the next online too.
    h.apply("n2", vec![closed("n2:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "offline"));
    h.apply("n2", vec![opened("n2:2", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_connections_on_two_nodes_is_online_while_any_is_active() -> anyhow::Result<()>
{
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.apply(
        "n2",
        vec![opened("n2:1", 1, true), opened("n2:2", 1, false)],
    )
    .await?;
    h.apply("n1", vec![set_away("n1:1", 1)]).await?;
    h.apply("n2", vec![closed("n2:2", 1)]).await?;
    h.observer.quiet(h.settle()).await?;
    assert_eq!(h.online(&[1]).await?, [1]);

    h.apply("n2", vec![closed("n2:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "offline"));
    assert!(h.online(&[1]).await?.is_empty());
    h.apply("n1", vec![set_active("n1:1", 1)]).await?;
    assert_eq!(h.next_status().await?, status(1, "online"));
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_offline_timer_fires_once_across_several_presence_instances() -> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        instances: 3,
        ..Default::default()
    })
    .await?;
    for user in [1, 2] {
        h.apply("n1", vec![opened(&format!("n1:{user}"), user, true)])
            .await?;
    }
    let mut online = vec![h.next_status().await?, h.next_status().await?];
    online.sort();
    assert_eq!(online, [status(1, "online"), status(2, "online")]);
    h.apply("n1", vec![closed("n1:1", 1), closed("n1:2", 2)])
        .await?;
    let mut offline = vec![h.next_status().await?, h.next_status().await?];
    offline.sort();
    assert_eq!(offline, [status(1, "offline"), status(2, "offline")]);
    h.observer.quiet(h.settle()).await?;
    h.stop().await
}
