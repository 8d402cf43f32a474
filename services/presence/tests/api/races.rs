//! Issue 17 §5: a transition decided in Redis reaches its audience even when
//! the call that decided it is gone, and every transition carries a version
//! that rises per user, whichever instance decided it.

use crate::helpers::*;
use chorus_proto::presence::v1 as pb;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_apply_still_broadcasts_the_online_it_decided() -> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        redis_gate: true,
        ..Default::default()
    })
    .await?;
    // Bob first, so the scripts are loaded and alice's change is one EVALSHA.
    h.apply("n1", vec![opened("n1:2", 2, true)]).await?;
    assert_eq!(h.next_status().await?, status(2, "online"));
    let gate = h.gate.as_ref().ok_or_else(|| anyhow::anyhow!("no gate"))?;

    // Redis hangs: the script is sent, its answer does not come back, and the
    // server gives up on the call (dropping its handler) at the deadline.
    gate.stall();
    let mut request = tonic::Request::new(pb::ApplyRequest {
        node_id: "n1".into(),
        changes: vec![opened("n1:1", 1, true)],
    });
    request.set_timeout(Duration::from_millis(300));
    let cancelled = h.client().apply(request).await;
    assert!(cancelled.is_err(), "{cancelled:?}");
    gate.open();

    // The script ran once Redis answered again: alice is online, and so she
    // is announced, though the call that decided it is gone.
    assert_eq!(h.next_status().await?, status(1, "online"));
    assert_eq!(h.online(&[1, 2]).await?, [1, 2]);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transition_of_a_user_has_a_higher_version_whichever_instance_decided_it()
-> anyhow::Result<()> {
    let h = Harness::start_with(Opts {
        instances: 2,
        ..Default::default()
    })
    .await?;
    let mut seen = Vec::new();
    for instance in [0, 1, 1, 0] {
        let conn = format!("n1:{instance}");
        h.apply_on(instance, "n1", vec![opened(&conn, 1, true)])
            .await?;
        seen.push(h.next_versioned().await?);
        h.apply_on(instance, "n1", vec![closed(&conn, 1)]).await?;
        seen.push(h.next_versioned().await?);
    }
    let statuses: Vec<&str> = seen.iter().map(|(_, s, _)| s.as_str()).collect();
    assert_eq!(statuses, ["online", "offline"].repeat(4));
    let versions: Vec<u64> = seen.iter().map(|(_, _, v)| *v).collect();
    assert!(versions[0] > 0, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_keep_rising_after_redis_forgot_them() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.apply("n1", vec![opened("n1:1", 1, true)]).await?;
    let (_, _, first) = h.next_versioned().await?;
    h.apply("n1", vec![closed("n1:1", 1)]).await?;
    let (_, _, second) = h.next_versioned().await?;
    // As after a Redis restart: the user's last version is gone.
    h.forget_version(1).await?;
    h.apply("n1", vec![opened("n1:2", 1, true)]).await?;
    let (user, status, third) = h.next_versioned().await?;
    assert_eq!((user, status.as_str()), (1, "online"));
    assert!(first < second && second < third, "{first} {second} {third}");
    h.stop().await
}
