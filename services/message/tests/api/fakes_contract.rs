//! Issue 17 §6: the fake of this service's `Unread` that the chat tests run
//! against (`chorus_testkit::FakeUnread`) must answer as the real one does.
//! One contract, run against both: this service in process (its own test
//! database, messages sent through its API) and the fake told the same
//! summaries.

use crate::helpers::Harness;
use chorus_proto::message::v1 as pb;
use chorus_testkit::{FakeUnread, MAX_SUMMARY_CHATS};
use pb::unread_client::UnreadClient;
use tonic::transport::Channel;

/// Chat 10: alice "one", bob "two", alice "three". Chat 11: no messages.
/// Chat 12: not known to the message service at all.
struct World {
    alice: i64,
    bob: i64,
}

/// (chat, unread, last message, whether it has a time), by chat id.
type Shown = Vec<(i64, i64, Option<String>, bool)>;

async fn summaries(
    unread: &mut UnreadClient<Channel>,
    user_id: i64,
    chat_ids: Vec<i64>,
) -> Result<Shown, tonic::Status> {
    let reply = unread
        .summaries(pb::SummariesRequest { user_id, chat_ids })
        .await?
        .into_inner();
    let mut shown: Shown = reply
        .summaries
        .into_iter()
        .map(|s| {
            (
                s.chat_id,
                s.unread_count,
                s.last_message,
                s.last_at_micros.is_some(),
            )
        })
        .collect();
    shown.sort_by_key(|s| s.0);
    Ok(shown)
}

async fn unread_contract(
    who: &str,
    mut unread: UnreadClient<Channel>,
    w: &World,
) -> anyhow::Result<()> {
    let three = || Some("three".to_string());
    // One summary per distinct chat; nothing unread and no last message where
    // there are no messages. Bob's own send moved his read position past "one".
    assert_eq!(
        summaries(&mut unread, w.bob, vec![10, 11, 12, 10]).await?,
        [
            (10, 1, three(), true),
            (11, 0, None, false),
            (12, 0, None, false)
        ],
        "{who}"
    );
    // Per user: alice wrote the last message.
    assert_eq!(
        summaries(&mut unread, w.alice, vec![10]).await?,
        [(10, 0, three(), true)],
        "{who}"
    );
    assert_eq!(summaries(&mut unread, w.bob, vec![]).await?, [], "{who}");
    let too_many = summaries(
        &mut unread,
        w.bob,
        (1..=MAX_SUMMARY_CHATS as i64 + 1).collect(),
    )
    .await
    .map_err(|s| s.code())
    .err();
    assert_eq!(too_many, Some(tonic::Code::InvalidArgument), "{who}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unread_fake_answers_as_the_real_message_service() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.chat(10, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    h.chat(11, "group", &[(&h.alice, "owner"), (&h.bob, "member")]);
    for (user, text) in [(&h.alice, "one"), (&h.bob, "two"), (&h.alice, "three")] {
        h.send(10, user, text).await?;
    }
    let w = World {
        alice: h.alice.id,
        bob: h.bob.id,
    };
    let real = UnreadClient::connect(h.message_grpc.clone()).await?;
    unread_contract("real", real, &w).await?;

    let fake = FakeUnread::start().await?;
    let last = |unread_count| pb::ChatSummary {
        chat_id: 10,
        unread_count,
        last_message: Some("three".into()),
        last_at_micros: Some(1_765_000_000_000_000),
    };
    fake.set(w.bob, last(1));
    fake.set(w.alice, last(0));
    let faked = UnreadClient::connect(fake.grpc_url()).await?;
    unread_contract("fake", faked, &w).await?;
    h.stop().await
}
