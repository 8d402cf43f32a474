//! §16.3 and §1.8: every event frame, triggered over HTTP, reaches exactly its
//! scope — chat scope only subscribed connections (the author's own included),
//! user scope every connection of the user; §16.2 leaving ends a subscription;
//! §2.4 blocking closes sockets; DESIGN §3 catch-up by `seq`.

use crate::harness::{Server, is_contract_ts};
use crate::nodes::set_blocked_internally;
use crate::ws::{Person, Ws, quiet_group, system, typing_reaches};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A socket of `p`, authenticated and subscribed to `chats`, blind to presence.
async fn socket(s: &Server, p: &Person, chats: &[i64]) -> anyhow::Result<Ws> {
    Ws::subscribed_ignoring_presence(&s.ws_url(), &p.token, chats).await
}

async fn ok(
    s: &Server,
    method: Method,
    path: &str,
    p: &Person,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let (status, reply) = s.call(method.clone(), path, Some(&p.token), body).await?;
    anyhow::ensure!(status.is_success(), "{method} {path}: {status} {reply}");
    Ok(reply)
}

async fn send(s: &Server, p: &Person, chat: i64, body: Value) -> anyhow::Result<Value> {
    ok(
        s,
        Method::POST,
        &format!("/chats/{chat}/messages"),
        p,
        Some(body),
    )
    .await
}

/// Two users and their shared group.
async fn pair(s: &Server) -> anyhow::Result<(Person, Person, i64)> {
    let a = Person::new(s, "ann").await?;
    let b = Person::new(s, "ben").await?;
    let chat = quiet_group(s, &a.token, "Pair", &[b.id]).await?;
    Ok((a, b, chat))
}

#[tokio::test]
async fn a_message_event_carries_the_whole_message_with_seq_also_to_the_senders_socket()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut sender = socket(&s, &a, &[chat]).await?;
    let mut other = socket(&s, &b, &[chat]).await?;

    let sent = send(&s, &a, chat, json!({"content": "hi"})).await?;
    let from_other = other.recv_type("message").await?;
    let from_sender = sender.recv_type("message").await?;
    assert_eq!(from_sender, from_other);
    for key in [
        "id",
        "chat_id",
        "sender_id",
        "content",
        "message_type",
        "created_at",
    ] {
        assert_eq!(from_other[key], sent[key], "{key}");
    }
    assert_eq!(from_other["type"], "message");
    assert_eq!(from_other["seq"], 1, "first message of the chat");
    assert!(is_contract_ts(&from_other["created_at"]));
    assert!(
        from_other
            .get("reply_to_message_id")
            .is_none_or(Value::is_null),
        "no reply key for a plain message: {from_other}"
    );
    // Every key of the listed message is in the event, with the same value.
    let listed = ok(
        &s,
        Method::GET,
        &format!("/chats/{chat}/messages"),
        &b,
        None,
    )
    .await?;
    for (key, value) in listed[0].as_object().into_iter().flatten() {
        assert_eq!(&from_other[key], value, "{key} in {from_other}");
    }

    let reply = send(
        &s,
        &b,
        chat,
        json!({"content": "re", "reply_to_message_id": sent["id"]}),
    )
    .await?;
    let event = sender.recv_type("message").await?;
    assert_eq!(event["id"], reply["id"]);
    assert_eq!(event["reply_to_message_id"], sent["id"]);
    assert_eq!(event["seq"], 2);
    s.stop().await
}

#[tokio::test]
async fn forwarded_copies_arrive_as_message_events_with_their_attribution() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, source) = pair(&s).await?;
    let target = quiet_group(&s, &b.token, "Target", &[a.id]).await?;
    let m1 = send(&s, &a, source, json!({"content": "one"})).await?;
    let m2 = send(&s, &a, source, json!({"content": "two"})).await?;
    let mut watcher = socket(&s, &a, &[target]).await?;

    let copies = ok(
        &s,
        Method::POST,
        &format!("/chats/{target}/messages/forward"),
        &b,
        Some(json!({"from_chat_id": source, "message_ids": [m2["id"], m1["id"]]})),
    )
    .await?;
    for (copy, original) in copies.as_array().into_iter().flatten().zip([&m1, &m2]) {
        let event = watcher.recv_type("message").await?;
        assert_eq!(event["id"], copy["id"]);
        assert_eq!(event["chat_id"], target);
        assert_eq!(event["sender_id"], b.id);
        assert_eq!(event["content"], original["content"]);
        assert_eq!(event["forwarded_from_chat_id"], source);
        assert_eq!(event["forwarded_from_message_id"], original["id"]);
        assert_eq!(event["forwarded_from_user_id"], a.id);
        assert_eq!(event["forwarded_from_display_name"], a.username.as_str());
        assert!(is_contract_ts(&event["created_at"]));
    }
    s.stop().await
}

#[tokio::test]
async fn typing_reaches_every_subscriber_including_the_typists_own_socket() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut typist = socket(&s, &a, &[chat]).await?;
    let mut other = socket(&s, &b, &[chat]).await?;
    // Both the other subscriber and the typist's own socket get each frame.
    typing_reaches(&mut typist, &mut other, chat, &a).await?;
    s.stop().await
}

#[tokio::test]
async fn typing_from_a_non_member_is_dropped_silently() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let outsider = Person::new(&s, "out").await?;
    let mut member = socket(&s, &a, &[chat]).await?;
    let mut stranger = socket(&s, &outsider, &[]).await?;
    let mut typist = socket(&s, &b, &[chat]).await?;
    tokio::time::sleep(crate::ws::SETTLE).await;

    stranger
        .send(json!({"type": "typing", "chat_id": chat}))
        .await?;
    stranger.roundtrip().await?; // no error came before the pong
    typist
        .send(json!({"type": "typing", "chat_id": chat}))
        .await?;
    let first = member.json().await?;
    assert_eq!(
        first["user_id"], b.id,
        "the outsider's typing never arrived: {first}"
    );
    s.stop().await
}

#[tokio::test]
async fn reaction_toggles_arrive_as_reaction_events() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &a, &[chat]).await?;
    let m = send(&s, &a, chat, json!({"content": "react to me"})).await?;
    watcher.recv_type("message").await?;
    let path = format!("/chats/{chat}/messages/{}/reactions", m["id"]);
    for action in ["added", "removed"] {
        ok(&s, Method::POST, &path, &b, Some(json!({"emoji": "👍"}))).await?;
        assert_eq!(
            watcher.json().await?,
            json!({"type": "reaction", "chat_id": chat, "message_id": m["id"], "user_id": b.id,
                   "emoji": "👍", "action": action})
        );
    }
    s.stop().await
}

#[tokio::test]
async fn deleting_for_everyone_sends_message_deleted_and_deleting_for_me_sends_nothing()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &b, &[chat]).await?;
    let mine = send(&s, &a, chat, json!({"content": "hide for me"})).await?;
    let gone = send(&s, &a, chat, json!({"content": "gone"})).await?;
    watcher.recv_type("message").await?;
    watcher.recv_type("message").await?;

    let path = |m: &Value| format!("/chats/{chat}/messages/{}", m["id"]);
    ok(&s, Method::DELETE, &path(&mine), &a, None).await?;
    ok(
        &s,
        Method::DELETE,
        &path(&gone),
        &a,
        Some(json!({"for_everyone": true})),
    )
    .await?;
    assert_eq!(
        watcher.json().await?,
        json!({"type": "message_deleted", "chat_id": chat, "message_id": gone["id"],
               "deleted_by": a.id, "for_everyone": true}),
        "the delete-for-me before it sent nothing"
    );
    s.stop().await
}

#[tokio::test]
async fn an_edit_arrives_as_message_updated_with_the_new_content_and_time() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &b, &[chat]).await?;
    let m = send(&s, &a, chat, json!({"content": "typo"})).await?;
    watcher.recv_type("message").await?;
    let edited = ok(
        &s,
        Method::PUT,
        &format!("/chats/{chat}/messages/{}", m["id"]),
        &a,
        Some(json!({"content": "fixed"})),
    )
    .await?;
    let event = watcher.json().await?;
    assert_eq!(
        event,
        json!({"type": "message_updated", "chat_id": chat, "message_id": m["id"],
               "content": "fixed", "updated_at": edited["updated_at"]})
    );
    assert!(is_contract_ts(&event["updated_at"]), "{event}");
    s.stop().await
}

#[tokio::test]
async fn pinning_and_unpinning_arrive_as_message_pinned_with_the_message_and_message_unpinned()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &a, &[chat]).await?;
    let m = send(&s, &a, chat, json!({"content": "pin me"})).await?;
    watcher.recv_type("message").await?;
    let pin = format!("/chats/{chat}/messages/{}/pin", m["id"]);

    let pinned = ok(&s, Method::POST, &pin, &b, None).await?;
    let event = watcher.json().await?;
    assert_eq!(
        event,
        json!({"type": "message_pinned", "chat_id": chat, "message_id": m["id"],
               "pinned_by": b.id, "message": pinned["message"]})
    );
    assert_eq!(event["message"]["content"], "pin me");

    ok(&s, Method::DELETE, &pin, &b, None).await?;
    assert_eq!(
        watcher.json().await?,
        json!({"type": "message_unpinned", "chat_id": chat, "message_id": m["id"]})
    );
    s.stop().await
}

#[tokio::test]
async fn marking_read_sends_a_read_receipt() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &a, &[chat]).await?;
    let m = send(&s, &a, chat, json!({"content": "read me"})).await?;
    watcher.recv_type("message").await?;
    ok(&s, Method::POST, &format!("/chats/{chat}/read"), &b, None).await?;
    assert_eq!(
        watcher.json().await?,
        json!({"type": "read_receipt", "chat_id": chat, "user_id": b.id, "last_read_msg_id": m["id"]})
    );
    s.stop().await
}

#[tokio::test]
async fn chat_created_reaches_every_connection_of_the_creator_and_the_members_unsubscribed()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let a = Person::new(&s, "ann").await?;
    let b = Person::new(&s, "ben").await?;
    let mut a1 = socket(&s, &a, &[]).await?;
    let mut a2 = socket(&s, &a, &[]).await?;
    let mut b1 = socket(&s, &b, &[]).await?;

    let chat = s
        .create_chat(
            &a.token,
            json!({"type": "group", "title": "Team", "member_ids": [b.id]}),
        )
        .await?;
    let expected = json!({"type": "chat_created", "chat_id": chat, "chat_type": "group",
                          "title": "Team", "created_by": a.id});
    for ws in [&mut a1, &mut a2, &mut b1] {
        assert_eq!(ws.json().await?, expected);
    }

    let direct = s
        .create_chat(&b.token, json!({"type": "direct", "member_ids": [a.id]}))
        .await?;
    let expected = json!({"type": "chat_created", "chat_id": direct, "chat_type": "direct",
                          "title": "", "created_by": b.id});
    assert_eq!(a1.json().await?, expected);
    assert_eq!(b1.json().await?, expected);
    s.stop().await
}

/// Creates an invite to `chat` (as its owner `owner`) and lets `joiner` join.
async fn join(s: &Server, owner: &Person, joiner: &Person, chat: i64) -> anyhow::Result<()> {
    let invite = ok(
        s,
        Method::POST,
        &format!("/chats/{chat}/invites"),
        owner,
        None,
    )
    .await?;
    let token = invite["token"].as_str().unwrap_or_default();
    let joined = ok(
        s,
        Method::POST,
        &format!("/invites/{token}/join"),
        joiner,
        None,
    )
    .await?;
    anyhow::ensure!(joined["already_member"] == false, "{joined}");
    Ok(())
}

#[tokio::test]
async fn joining_by_invite_sends_chat_member_joined_to_the_chat() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, _, chat) = pair(&s).await?;
    let c = Person::new(&s, "cat").await?;
    let mut member = socket(&s, &a, &[chat]).await?;

    join(&s, &a, &c, chat).await?;
    assert_eq!(
        member.json().await?,
        json!({"type": "chat_member_joined", "chat_id": chat, "user_id": c.id,
               "username": c.username, "display_name": c.username})
    );
    s.stop().await
}

/// §8.5 / §16.3: the joiner's `chat_created` names the joiner as `created_by`
/// (regression test: the owner's id was sent before a03e515).
#[tokio::test]
async fn joining_by_invite_sends_the_joiner_chat_created_naming_the_joiner_as_created_by()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, _, chat) = pair(&s).await?;
    let c = Person::new(&s, "cat").await?;
    let mut joiner = socket(&s, &c, &[]).await?;

    join(&s, &a, &c, chat).await?;
    assert_eq!(
        joiner.json().await?,
        json!({"type": "chat_created", "chat_id": chat, "chat_type": "group", "created_by": c.id})
    );
    s.stop().await
}

/// §8.5: `chat_type` is the literal `group` even for channels (regression
/// test: `channel` was sent before a03e515).
#[tokio::test]
async fn joining_a_channel_by_invite_sends_chat_created_with_the_literal_chat_type_group()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let a = Person::new(&s, "ann").await?;
    let c = Person::new(&s, "cat").await?;
    let series = "messenger_fanout_events_total{type=\"chat.created\"}";
    let before = s.metric(series).await?;
    let channel = s
        .create_chat(&a.token, json!({"type": "channel", "title": "News"}))
        .await?;
    crate::ws::fanned_out(&s, "chat.created", before + 1.0).await?;
    let mut joiner = socket(&s, &c, &[]).await?;

    join(&s, &a, &c, channel).await?;
    assert_eq!(
        joiner.json().await?,
        json!({"type": "chat_created", "chat_id": channel, "chat_type": "group", "created_by": c.id}),
        "§8.5: `chat_type` is the literal `group` even for channels"
    );
    s.stop().await
}

#[tokio::test]
async fn updating_a_chat_sends_chat_updated_with_its_stored_title_and_description()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut watcher = socket(&s, &b, &[chat]).await?;
    ok(
        &s,
        Method::PATCH,
        &format!("/chats/{chat}"),
        &a,
        Some(json!({"title": "Renamed"})),
    )
    .await?;
    assert_eq!(
        watcher.json().await?,
        json!({"type": "chat_updated", "chat_id": chat, "title": "Renamed", "description": ""}),
        "description is stored as \"\" and so included"
    );
    ok(
        &s,
        Method::PATCH,
        &format!("/chats/{chat}"),
        &a,
        Some(json!({"description": "About"})),
    )
    .await?;
    assert_eq!(
        watcher.json().await?,
        json!({"type": "chat_updated", "chat_id": chat, "title": "Renamed", "description": "About"})
    );
    s.stop().await
}

#[tokio::test]
async fn deleting_a_chat_sends_chat_deleted_to_every_connection_of_every_former_member()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut owner = socket(&s, &a, &[chat]).await?;
    let mut subscribed = socket(&s, &b, &[chat]).await?;
    let mut unsubscribed = socket(&s, &b, &[]).await?;

    ok(&s, Method::DELETE, &format!("/chats/{chat}"), &a, None).await?;
    let expected = json!({"type": "chat_deleted", "chat_id": chat, "deleted_by": a.id});
    for ws in [&mut owner, &mut subscribed, &mut unsubscribed] {
        assert_eq!(ws.json().await?, expected);
    }
    s.stop().await
}

#[tokio::test]
async fn leaving_sends_chat_member_left_to_the_chat_and_to_every_connection_of_the_leaver()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut member = socket(&s, &a, &[chat]).await?;
    let mut leaver_subscribed = socket(&s, &b, &[chat]).await?;
    let mut leaver_elsewhere = socket(&s, &b, &[]).await?;

    ok(
        &s,
        Method::DELETE,
        &format!("/chats/{chat}/leave"),
        &b,
        None,
    )
    .await?;
    let expected = json!({"type": "chat_member_left", "chat_id": chat, "user_id": b.id});
    assert_eq!(member.json().await?, expected);
    assert_eq!(leaver_elsewhere.json().await?, expected);
    assert_eq!(leaver_subscribed.json().await?, expected);
    s.stop().await
}

#[tokio::test]
async fn after_leaving_the_leavers_subscribed_socket_gets_no_more_events_of_that_chat()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut member = socket(&s, &a, &[chat]).await?;
    let mut leaver = socket(&s, &b, &[chat]).await?;
    ok(
        &s,
        Method::DELETE,
        &format!("/chats/{chat}/leave"),
        &b,
        None,
    )
    .await?;
    member.recv_type("chat_member_left").await?;
    leaver.recv_type("chat_member_left").await?;

    send(&s, &a, chat, json!({"content": "after you left"})).await?;
    member
        .send(json!({"type": "typing", "chat_id": chat}))
        .await?;
    member.recv_each(&["message", "typing"]).await?;
    // §7.10: the leaver may get chat_member_left a second time, nothing else.
    loop {
        match leaver.maybe_json().await? {
            None => break,
            Some(frame) => assert_eq!(frame["type"], "chat_member_left", "{frame}"),
        }
    }
    s.stop().await
}

#[tokio::test]
async fn a_display_name_change_sends_user_profile_updated_to_each_chat_of_the_user()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, first) = pair(&s).await?;
    let c = Person::new(&s, "cat").await?;
    let second = quiet_group(&s, &c.token, "Second", &[b.id]).await?;
    let mut in_first = socket(&s, &a, &[first]).await?;
    let mut in_second = socket(&s, &c, &[second]).await?;

    ok(
        &s,
        Method::PUT,
        &format!("/users/{}", b.id),
        &b,
        Some(json!({"display_name": "Benjamin", "bio": ""})),
    )
    .await?;
    let expected =
        json!({"type": "user_profile_updated", "user_id": b.id, "display_name": "Benjamin"});
    assert_eq!(in_first.json().await?, expected);
    assert_eq!(in_second.json().await?, expected);
    s.stop().await
}

#[tokio::test]
async fn chat_scope_events_never_reach_connections_that_did_not_subscribe() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut subscribed = socket(&s, &a, &[chat]).await?;
    let mut unsubscribed = socket(&s, &a, &[]).await?;
    let mut typist = socket(&s, &b, &[chat]).await?;

    let m = send(&s, &b, chat, json!({"content": "only for subscribers"})).await?;
    typist
        .send(json!({"type": "typing", "chat_id": chat}))
        .await?;
    ok(
        &s,
        Method::POST,
        &format!("/chats/{chat}/messages/{}/reactions", m["id"]),
        &b,
        Some(json!({"emoji": "🔥"})),
    )
    .await?;
    subscribed
        .recv_each(&["message", "typing", "reaction"])
        .await?;
    unsubscribed.assert_silent().await?;
    // The unsubscribed socket is alive: user-scope events still reach it.
    quiet_group(&s, &b.token, "Again", &[a.id]).await?;
    assert_eq!(
        unsubscribed.recv_type("chat_created").await?["created_by"],
        b.id
    );
    s.stop().await
}

#[tokio::test]
async fn blocking_a_user_closes_their_open_sockets_promptly() -> anyhow::Result<()> {
    let s = system(Server::builder().pin_grpc_ports()).await?;
    let (a, b, chat) = pair(&s).await?;
    let mut first = socket(&s, &b, &[chat]).await?;
    let mut second = socket(&s, &b, &[]).await?;
    let mut bystander = socket(&s, &a, &[chat]).await?;

    set_blocked_internally(&s, b.id, true).await?;
    assert_eq!(first.closed_eventually().await?, Some(1008));
    assert_eq!(second.closed_eventually().await?, Some(1008));
    bystander.roundtrip().await?;
    s.stop().await
}

#[tokio::test]
async fn subscribe_with_after_seq_replays_missed_messages_in_order_then_live_ones_without_duplicates()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (a, b, chat) = pair(&s).await?;
    for i in 1..=5 {
        send(&s, &a, chat, json!({"content": format!("old {i}")})).await?;
    }
    let mut late = socket(&s, &b, &[]).await?;

    // Messages 6..=25 are sent while the subscription with after_seq=2 starts.
    let sender = {
        let (base, token) = (s.base.clone(), a.token.clone());
        let http = s.http.clone();
        tokio::spawn(async move {
            for i in 6..=25 {
                let res = http
                    .post(format!("{base}/chats/{chat}/messages"))
                    .bearer_auth(&token)
                    .json(&json!({"content": format!("new {i}")}))
                    .send()
                    .await?;
                anyhow::ensure!(res.status() == StatusCode::CREATED);
            }
            anyhow::Ok(())
        })
    };
    late.send(json!({"type": "subscribe", "chat_id": chat, "after_seq": 2}))
        .await?;
    assert_eq!(
        late.json().await?,
        json!({"type": "subscribed", "chat_id": chat})
    );
    let mut seqs = Vec::new();
    while seqs.last() != Some(&25) {
        let frame = late.json().await?;
        assert_eq!(frame["type"], "message", "{frame}");
        seqs.push(frame["seq"].as_i64().unwrap_or_default());
    }
    sender.await??;
    assert_eq!(
        seqs,
        (3..=25).collect::<Vec<_>>(),
        "each missed and live message once, in seq order"
    );
    late.assert_silent().await?;
    s.stop().await
}

/// Issue 17 §5: a replay stopped at the node's limit says so, with the last seq
/// it covered, so the client fetches the rest over HTTP instead of believing it
/// is up to date.
#[tokio::test]
async fn a_replay_cut_at_the_limit_is_followed_by_a_truncation_marker() -> anyhow::Result<()> {
    let s = system(Server::builder().env("CHORUS_EDGE__CATCH_UP_MAX", 3)).await?;
    let (a, b, chat) = pair(&s).await?;
    for i in 1..=8 {
        send(&s, &a, chat, json!({"content": format!("missed {i}")})).await?;
    }
    let mut late = socket(&s, &b, &[]).await?;
    late.send(json!({"type": "subscribe", "chat_id": chat, "after_seq": 0}))
        .await?;
    assert_eq!(
        late.json().await?,
        json!({"type": "subscribed", "chat_id": chat})
    );
    let mut seqs = Vec::new();
    let marker = loop {
        let frame = late.json().await?;
        if frame["type"] != "message" {
            break frame;
        }
        seqs.push(frame["seq"].as_i64().unwrap_or_default());
    };
    assert_eq!(seqs, vec![1, 2, 3], "the limit, in order");
    let last = 3;
    assert_eq!(
        marker,
        json!({"type": "catch_up_truncated", "chat_id": chat, "last_seq": last})
    );
    // The rest is there over HTTP, after the marker's seq.
    let rest = ok(
        &s,
        Method::GET,
        &format!("/chats/{chat}/messages?after_seq={last}"),
        &b,
        None,
    )
    .await?;
    assert_eq!(rest.as_array().map(Vec::len), Some(8 - seqs.len()));

    // A replay that fits sends no marker.
    let mut fits = socket(&s, &b, &[]).await?;
    fits.send(json!({"type": "subscribe", "chat_id": chat, "after_seq": 6}))
        .await?;
    fits.json().await?;
    assert_eq!(fits.json().await?["seq"], 7);
    assert_eq!(fits.json().await?["seq"], 8);
    fits.assert_silent().await?;
    s.stop().await
}
