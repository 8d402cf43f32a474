//! §17 and §22 items 43–44: when `online`/`offline` are broadcast, to whom, in
//! which payload, and how presence shows in profiles and the chat list.
//!
//! Observers authenticate with `active:false`, so that they are never announced
//! themselves; only the subject of each test changes presence.

use crate::harness::{Server, ServerBuilder, is_contract_ts};
use crate::ws::{Person, Ws, quiet_group, system};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// Most tests use a 1 s offline debounce; one keeps the default 5 s.
const DEBOUNCE: Duration = Duration::from_millis(1000);

fn short_debounce() -> ServerBuilder {
    Server::builder().env("CHORUS_PRESENCE__OFFLINE_DEBOUNCE_MS", DEBOUNCE.as_millis())
}

/// Longer than the debounce plus the presence service's timer tick.
fn past_debounce() -> Duration {
    DEBOUNCE * 2 + Duration::from_millis(500)
}

fn full(p: &Person, status: &str) -> Value {
    json!({"type": "presence", "user_id": p.id, "username": p.username, "status": status})
}

fn approx(p: &Person, bucket: &str) -> Value {
    json!({"type": "presence", "user_id": p.id, "username": p.username,
           "privacy": "approx_only", "last_seen_bucket": bucket})
}

/// A connection that never announces its own user: `auth` with `active:false`.
async fn observer(s: &Server, p: &Person, chats: &[i64]) -> anyhow::Result<Ws> {
    let mut ws = Ws::connect(&s.ws_url()).await?;
    ws.auth_away(&p.token).await?;
    for chat in chats {
        ws.subscribe(*chat).await?;
    }
    Ok(ws)
}

/// The subject's connection, active (the default of `auth`).
async fn active(s: &Server, p: &Person, chats: &[i64]) -> anyhow::Result<Ws> {
    Ws::subscribed(&s.ws_url(), &p.token, chats).await
}

async fn status_update(ws: &mut Ws, status: &str) -> anyhow::Result<()> {
    ws.send(json!({"type": "presence_update", "status": status}))
        .await?;
    // No reply to presence_update: a pong proves it was processed.
    ws.send(json!({"type": "ping"})).await?;
    ws.recv_until(|v| *v == json!({"type": "pong"})).await?;
    Ok(())
}

/// A subject and an observer sharing one group.
async fn subject_and_observer(s: &Server) -> anyhow::Result<(Person, Person, i64)> {
    let subject = Person::new(s, "sub").await?;
    let watcher = Person::new(s, "obs").await?;
    let chat = quiet_group(s, &watcher.token, "Shared", &[subject.id]).await?;
    Ok((subject, watcher, chat))
}

async fn set_visibility(s: &Server, p: &Person, visibility: &str) -> anyhow::Result<()> {
    let (status, body) = s
        .call(
            Method::PUT,
            "/settings",
            Some(&p.token),
            Some(json!({"last_seen_visibility": visibility})),
        )
        .await?;
    anyhow::ensure!(status == StatusCode::NO_CONTENT, "{status} {body}");
    Ok(())
}

#[tokio::test]
async fn an_active_auth_announces_online_to_every_co_member_without_any_subscription()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let _ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    s.stop().await
}

#[tokio::test]
async fn an_auth_with_active_false_broadcasts_nothing() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, chat) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[chat]).await?;
    let mut ws = observer(&s, &subject, &[chat]).await?;
    o.assert_silent().await?;
    // Control: becoming active is announced.
    status_update(&mut ws, "active").await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    s.stop().await
}

/// The one test with the default 5 s debounce (§16.4, D13).
#[tokio::test]
async fn going_away_announces_offline_only_after_the_five_second_debounce() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));

    status_update(&mut ws, "away").await?;
    o.assert_silent_for(Duration::from_secs(3)).await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    s.stop().await
}

#[tokio::test]
async fn repeating_the_current_state_broadcasts_nothing() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));

    status_update(&mut ws, "active").await?;
    o.assert_silent_for(past_debounce()).await?;
    status_update(&mut ws, "away").await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    status_update(&mut ws, "away").await?;
    o.assert_silent_for(past_debounce()).await?;
    s.stop().await
}

#[tokio::test]
async fn closing_an_away_connection_broadcasts_nothing() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    status_update(&mut ws, "away").await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));

    ws.close().await;
    o.assert_silent_for(past_debounce()).await?;
    s.stop().await
}

#[tokio::test]
async fn closing_the_last_active_connection_announces_offline_after_the_debounce()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    ws.close().await;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    s.stop().await
}

#[tokio::test]
async fn a_user_with_two_connections_is_online_while_either_is_active() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let mut first = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    let mut second = active(&s, &subject, &[]).await?;

    status_update(&mut first, "away").await?;
    o.assert_silent_for(past_debounce()).await?; // the second one is still active
    status_update(&mut second, "away").await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    status_update(&mut first, "active").await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    // Closing the away one changes nothing; closing the active one goes offline.
    second.close().await;
    o.assert_silent_for(past_debounce()).await?;
    first.close().await;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    s.stop().await
}

#[tokio::test]
async fn reconnecting_within_the_debounce_announces_online_again_without_an_offline()
-> anyhow::Result<()> {
    let s = system(Server::builder().env("CHORUS_PRESENCE__OFFLINE_DEBOUNCE_MS", 3000)).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));

    ws.close().await;
    let _again = active(&s, &subject, &[]).await?;
    assert_eq!(
        o.json().await?,
        full(&subject, "online"),
        "no offline in between"
    );
    o.assert_silent_for(Duration::from_secs(4)).await?; // and none later
    s.stop().await
}

#[tokio::test]
async fn an_activity_ping_on_an_away_connection_announces_online() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = observer(&s, &subject, &[]).await?;
    ws.send(json!({"type": "ping"})).await?;
    assert_eq!(ws.json().await?, json!({"type": "pong"}));
    o.assert_silent().await?; // a plain ping is no activity

    ws.send(json!({"type": "ping", "active": true})).await?;
    assert_eq!(ws.json().await?, json!({"type": "pong"}));
    assert_eq!(o.json().await?, full(&subject, "online"));
    s.stop().await
}

#[tokio::test]
async fn with_visibility_everyone_each_connection_gets_one_full_copy_despite_several_shared_chats()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, first) = subject_and_observer(&s).await?;
    let second = quiet_group(&s, &subject.token, "Also shared", &[watcher.id]).await?;
    let mut subscribed = observer(&s, &watcher, &[first, second]).await?;
    let mut plain = observer(&s, &watcher, &[]).await?;

    let mut ws = active(&s, &subject, &[first]).await?;
    for o in [&mut subscribed, &mut plain] {
        assert_eq!(o.json().await?, full(&subject, "online"));
    }
    status_update(&mut ws, "away").await?;
    for o in [&mut subscribed, &mut plain] {
        assert_eq!(o.json().await?, full(&subject, "offline"), "one copy only");
    }
    s.stop().await
}

#[tokio::test]
async fn with_visibility_approx_only_subscribed_connections_get_the_approximate_payload_and_admins_the_full_one()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, first) = subject_and_observer(&s).await?;
    let admin = Person::demo(&s, "alice").await?;
    let second = quiet_group(&s, &admin.token, "With admin", &[subject.id, watcher.id]).await?;
    set_visibility(&s, &subject, "approx_only").await?;
    let mut twice_subscribed = observer(&s, &watcher, &[first, second]).await?;
    let mut unsubscribed = observer(&s, &watcher, &[]).await?;
    let mut admin_ws = observer(&s, &admin, &[second]).await?;

    let mut ws = active(&s, &subject, &[first]).await?;
    let online = approx(&subject, "online");
    assert!(online.get("status").is_none());
    assert_eq!(twice_subscribed.json().await?, online);
    assert_eq!(admin_ws.json().await?, full(&subject, "online"));

    status_update(&mut ws, "away").await?;
    assert_eq!(twice_subscribed.json().await?, approx(&subject, "recently"));
    assert_eq!(admin_ws.json().await?, full(&subject, "offline"));
    // The subject's own subscribed connection is in the audience too.
    ws.recv_until(|v| *v == approx(&subject, "recently"))
        .await?;
    // One copy per connection, and none without a subscription.
    twice_subscribed.assert_silent().await?;
    unsubscribed.assert_silent().await?;
    s.stop().await
}

#[tokio::test]
async fn with_visibility_nobody_only_subscribed_admin_connections_get_the_full_payload()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let admin = Person::demo(&s, "alice").await?;
    let chat = quiet_group(&s, &admin.token, "With admin", &[subject.id, watcher.id]).await?;
    set_visibility(&s, &subject, "nobody").await?;
    let mut member = observer(&s, &watcher, &[chat]).await?;
    let mut admin_subscribed = observer(&s, &admin, &[chat]).await?;
    let mut admin_elsewhere = observer(&s, &admin, &[]).await?;

    let mut ws = active(&s, &subject, &[]).await?;
    assert_eq!(admin_subscribed.json().await?, full(&subject, "online"));
    status_update(&mut ws, "away").await?;
    assert_eq!(admin_subscribed.json().await?, full(&subject, "offline"));
    member.assert_silent().await?;
    admin_elsewhere.assert_silent().await?;
    s.stop().await
}

async fn is_online(s: &Server, viewer: &Person, target: &Person) -> anyhow::Result<Value> {
    let (status, profile) = s
        .call(
            Method::GET,
            &format!("/users/{}", target.id),
            Some(&viewer.token),
            None,
        )
        .await?;
    anyhow::ensure!(status == StatusCode::OK, "{status} {profile}");
    Ok(profile["is_online"].clone())
}

async fn other_is_online(s: &Server, viewer: &Person, direct: i64) -> anyhow::Result<Value> {
    let (_, chats) = s
        .call(Method::GET, "/chats", Some(&viewer.token), None)
        .await?;
    let chat = chats
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == direct)
        .ok_or_else(|| anyhow::anyhow!("direct chat {direct} not listed: {chats}"))?;
    Ok(chat["other_is_online"].clone())
}

#[tokio::test]
async fn is_online_in_profiles_and_other_is_online_in_the_chat_list_follow_presence()
-> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let subject = Person::new(&s, "sub").await?;
    let watcher = Person::new(&s, "obs").await?;
    let series = "messenger_fanout_events_total{type=\"chat.created\"}";
    let before = s.metric(series).await?;
    let direct = s
        .create_chat(
            &watcher.token,
            json!({"type": "direct", "member_ids": [subject.id]}),
        )
        .await?;
    crate::ws::fanned_out(&s, "chat.created", before + 1.0).await?;
    assert_eq!(is_online(&s, &watcher, &subject).await?, false);
    assert_eq!(other_is_online(&s, &watcher, direct).await?, false);

    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = active(&s, &subject, &[]).await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    assert_eq!(is_online(&s, &watcher, &subject).await?, true);
    assert_eq!(other_is_online(&s, &watcher, direct).await?, true);
    // An away connection does not count as online.
    status_update(&mut ws, "away").await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    assert_eq!(is_online(&s, &watcher, &subject).await?, false);
    assert_eq!(other_is_online(&s, &watcher, direct).await?, false);

    // Online again, then hidden: `nobody` hides it from members in the list too,
    // not from a global admin (§7.3).
    status_update(&mut ws, "active").await?;
    assert_eq!(o.json().await?, full(&subject, "online"));
    assert_eq!(other_is_online(&s, &watcher, direct).await?, true);
    let admin = Person::demo(&s, "alice").await?;
    let admins_direct = s
        .create_chat(
            &admin.token,
            json!({"type": "direct", "member_ids": [subject.id]}),
        )
        .await?;
    set_visibility(&s, &subject, "nobody").await?;
    assert_eq!(other_is_online(&s, &watcher, direct).await?, false);
    assert_eq!(other_is_online(&s, &admin, admins_direct).await?, true);
    s.stop().await
}

async fn last_activity(s: &Server, p: &Person) -> anyhow::Result<Value> {
    let (_, me) = s
        .call(
            Method::GET,
            &format!("/users/{}", p.id),
            Some(&p.token),
            None,
        )
        .await?;
    Ok(me["last_activity"].clone())
}

/// Polls the user's own profile until `last_activity` is later than `after`.
async fn last_activity_after(s: &Server, p: &Person, after: &Value) -> anyhow::Result<Value> {
    for _ in 0..100 {
        let now = last_activity(s, p).await?;
        if now.as_str() > after.as_str() {
            assert!(is_contract_ts(&now), "{now}");
            return Ok(now);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("last_activity stayed at {after}")
}

#[tokio::test]
async fn an_auth_and_an_offline_broadcast_each_set_last_activity() -> anyhow::Result<()> {
    let s = system(short_debounce()).await?;
    let (subject, watcher, _) = subject_and_observer(&s).await?;
    let at_login = last_activity(&s, &subject).await?;
    assert!(is_contract_ts(&at_login), "login sets it: {at_login}");
    tokio::time::sleep(Duration::from_millis(50)).await;

    let mut o = observer(&s, &watcher, &[]).await?;
    let mut ws = active(&s, &subject, &[]).await?;
    let at_auth = last_activity_after(&s, &subject, &at_login).await?;

    assert_eq!(o.json().await?, full(&subject, "online"));
    status_update(&mut ws, "away").await?;
    assert_eq!(o.json().await?, full(&subject, "offline"));
    last_activity_after(&s, &subject, &at_auth).await?;
    s.stop().await
}
