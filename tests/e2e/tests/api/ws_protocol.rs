//! §16.1, §16.2, §20.1 and §22 items 38–40, 45: the `/ws` connection itself —
//! upgrade, in-band auth, replies and error texts, control frames, size, origin,
//! rate and idle limits, and a reader too slow for its send queue.

use crate::harness::Server;
use crate::nodes::set_blocked_internally;
use crate::ws::{Inbound, Ws, quiet_group, system, ws_error};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const INVALID_TOKEN: &str = "Invalid or expired access token";

async fn group(s: &Server, token: &str, members: &[i64]) -> anyhow::Result<i64> {
    quiet_group(s, token, "Room", members).await
}

#[tokio::test]
async fn the_upgrade_needs_no_credentials_and_the_server_stays_silent_until_the_client_speaks()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let alice = s.demo_token("alice").await?;

    let mut bare = Ws::connect(&s.ws_url()).await?;
    bare.assert_silent().await?;

    // A `?token=` query parameter is ignored: no auth_ok, and still unauthenticated.
    let mut with_query = Ws::connect(&format!("{}?token={alice}", s.ws_url())).await?;
    with_query.assert_silent().await?;
    with_query.send(json!({"type": "ping"})).await?;
    assert_eq!(with_query.json().await?, ws_error("Not authenticated"));

    s.stop().await
}

#[tokio::test]
async fn auth_ok_comes_first_and_twenty_pipelined_subscribes_are_answered_in_order()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let token = s.demo_token("alice").await?;
    let mut chats = Vec::new();
    for _ in 0..20 {
        chats.push(group(&s, &token, &[]).await?);
    }
    let mut ws = Ws::connect(&s.ws_url()).await?;
    let mut frames = vec![json!({"type": "auth", "token": token})];
    frames.extend(
        chats
            .iter()
            .map(|id| json!({"type": "subscribe", "chat_id": id})),
    );
    ws.send_all(&frames).await?;

    let first = ws.json().await?;
    assert_eq!(first["type"], "auth_ok", "first frame: {first}");
    assert!(first["user_id"].is_i64());
    assert_eq!(first.as_object().map(|o| o.len()), Some(2), "{first}");
    for id in &chats {
        assert_eq!(
            ws.json().await?,
            json!({"type": "subscribed", "chat_id": id})
        );
    }
    s.stop().await
}

#[tokio::test]
async fn a_ping_is_answered_with_pong() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    ws.send(json!({"type": "ping"})).await?;
    assert_eq!(ws.json().await?, json!({"type": "pong"}));
    ws.send(json!({"type": "ping", "active": true})).await?;
    assert_eq!(ws.json().await?, json!({"type": "pong"}));
    s.stop().await
}

#[tokio::test]
async fn unparseable_text_gets_invalid_json_and_the_socket_stays_open() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::connect(&s.ws_url()).await?;
    for text in ["nope", "{\"type\":", "[1,2]", "\"auth\"", ""] {
        ws.send_text(text).await?;
        assert_eq!(ws.json().await?, ws_error("Invalid JSON"), "{text:?}");
    }
    ws.auth(&s.demo_token("bob").await?).await?;
    ws.send_text("not json either").await?;
    assert_eq!(ws.json().await?, ws_error("Invalid JSON"));
    ws.roundtrip().await?;
    s.stop().await
}

#[tokio::test]
async fn every_frame_but_auth_before_authentication_gets_not_authenticated() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::connect(&s.ws_url()).await?;
    for frame in [
        json!({"type": "ping"}),
        json!({"type": "subscribe", "chat_id": 1}),
        json!({"type": "typing", "chat_id": 1}),
        json!({"type": "presence_update", "status": "away"}),
        json!({"type": "x"}),
    ] {
        ws.send(frame.clone()).await?;
        assert_eq!(ws.json().await?, ws_error("Not authenticated"), "{frame}");
    }
    // Still usable: auth works afterwards.
    ws.auth(&s.demo_token("bob").await?).await?;
    s.stop().await
}

#[tokio::test]
async fn an_unknown_type_gets_unknown_message_type_with_its_name() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    ws.send(json!({"type": "x"})).await?;
    assert_eq!(ws.json().await?, ws_error("Unknown message type: x"));
    ws.send(json!({"type": "dance", "chat_id": 1})).await?;
    assert_eq!(ws.json().await?, ws_error("Unknown message type: dance"));
    ws.roundtrip().await?;
    s.stop().await
}

#[tokio::test]
async fn subscribe_and_typing_with_a_chat_id_that_is_not_a_positive_int_get_invalid_chat_id()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    for kind in ["subscribe", "typing"] {
        for chat_id in [json!(0), json!(-1), json!("5")] {
            ws.send(json!({"type": kind, "chat_id": chat_id})).await?;
            assert_eq!(
                ws.json().await?,
                ws_error("Invalid chat_id"),
                "{kind} {chat_id}"
            );
        }
    }
    ws.roundtrip().await?;
    s.stop().await
}

#[tokio::test]
async fn subscribing_to_a_chat_of_others_gets_not_a_member_and_the_socket_stays_open()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let alice = s.demo_token("alice").await?;
    let private = group(&s, &alice, &[]).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    ws.send(json!({"type": "subscribe", "chat_id": private}))
        .await?;
    assert_eq!(ws.json().await?, ws_error("Not a member of this chat"));
    ws.send(json!({"type": "subscribe", "chat_id": 999_999}))
        .await?;
    assert_eq!(ws.json().await?, ws_error("Not a member of this chat"));
    ws.roundtrip().await?;
    // And a chat bob is in still works on the same socket.
    let shared = group(&s, &alice, &[ws_user(&s, "bob").await?]).await?;
    assert_eq!(ws.json().await?["type"], "chat_created");
    ws.subscribe(shared).await?;
    s.stop().await
}

async fn ws_user(s: &Server, username: &str) -> anyhow::Result<i64> {
    let (status, body) = s
        .call(
            Method::GET,
            &format!("/users/by-username/{username}"),
            None,
            None,
        )
        .await?;
    anyhow::ensure!(status == StatusCode::OK, "{username}: {status}");
    body["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no id for {username}"))
}

#[tokio::test]
async fn presence_update_with_another_status_gets_invalid_presence_status() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    for frame in [
        json!({"type": "presence_update", "status": "busy"}),
        json!({"type": "presence_update", "status": "online"}),
        json!({"type": "presence_update"}),
        json!({"type": "presence_update", "status": true}),
    ] {
        ws.send(frame.clone()).await?;
        assert_eq!(
            ws.json().await?,
            ws_error("Invalid presence status"),
            "{frame}"
        );
    }
    ws.roundtrip().await?;
    s.stop().await
}

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap_or_default();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap_or_default()).unwrap_or(Value::Null)
}

/// The access token with `exp` (and `iat`) moved an hour into the past,
/// signed with the system's own development key.
fn expired(s: &Server, access: &str) -> anyhow::Result<String> {
    let pem = s
        .dev_key_pem()
        .ok_or_else(|| anyhow::anyhow!("no development key to sign with"))?;
    let key = jsonwebtoken::EncodingKey::from_ed_pem(pem.as_bytes())?;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    header.kid = jwt_part(access, 0)["kid"].as_str().map(String::from);
    let mut claims = jwt_part(access, 1);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    claims["iat"] = json!(now - 7200);
    claims["exp"] = json!(now - 3600);
    Ok(jsonwebtoken::encode(&header, &claims, &key)?)
}

/// Sends `auth` with `token` on a fresh socket and expects the error frame, then the close.
async fn refused(s: &Server, token: &str) -> anyhow::Result<Option<u16>> {
    let mut ws = Ws::connect(&s.ws_url()).await?;
    ws.send(json!({"type": "auth", "token": token})).await?;
    assert_eq!(
        ws.json().await?,
        ws_error(INVALID_TOKEN),
        "token {token:.20}…"
    );
    ws.closed().await
}

#[tokio::test]
async fn invalid_expired_and_refresh_tokens_get_an_error_frame_and_then_the_close()
-> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let login = s.login("bob", "testpass").await?;
    let access = login["access_token"].as_str().unwrap_or_default();
    let refresh = login["refresh_token"].as_str().unwrap_or_default();

    assert_eq!(refused(&s, "garbage").await?, Some(1008), "garbage");
    assert_eq!(refused(&s, "").await?, Some(1008), "empty");
    assert_eq!(refused(&s, refresh).await?, Some(1008), "refresh token");
    assert_eq!(
        refused(&s, &expired(&s, access)?).await?,
        Some(1008),
        "expired token"
    );
    // A token that is missing entirely is refused the same way.
    let mut ws = Ws::connect(&s.ws_url()).await?;
    ws.send(json!({"type": "auth"})).await?;
    assert_eq!(ws.json().await?, ws_error(INVALID_TOKEN));
    assert_eq!(ws.closed().await?, Some(1008));
    // Control: the untouched token works.
    Ws::subscribed(&s.ws_url(), access, &[]).await?;
    s.stop().await
}

#[tokio::test]
async fn a_blocked_users_token_gets_an_error_frame_and_then_the_close() -> anyhow::Result<()> {
    let s = system(Server::builder().pin_grpc_ports()).await?;
    let (id, token, _) = s.user("blk").await?;
    Ws::subscribed(&s.ws_url(), &token, &[])
        .await?
        .close()
        .await;
    set_blocked_internally(&s, id, true).await?;
    let (status, _) = s.call(Method::GET, "/me", Some(&token), None).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the block took effect");

    assert_eq!(refused(&s, &token).await?, Some(1008));
    s.stop().await
}

#[tokio::test]
async fn a_protocol_ping_is_answered_with_a_pong_carrying_the_same_payload() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::connect(&s.ws_url()).await?;
    ws.send_message(Message::Ping(b"before-auth".to_vec().into()))
        .await?;
    let pong = ws.recv_raw().await?;
    assert_eq!(pong, Some(Message::Pong(b"before-auth".to_vec().into())));

    ws.auth(&s.demo_token("bob").await?).await?;
    ws.send_message(Message::Ping(b"after".to_vec().into()))
        .await?;
    assert_eq!(
        ws.recv_raw().await?,
        Some(Message::Pong(b"after".to_vec().into()))
    );
    s.stop().await
}

#[tokio::test]
async fn binary_frames_are_ignored() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::connect(&s.ws_url()).await?;
    // Not even "Not authenticated": binary frames are not looked at.
    ws.send_message(Message::Binary(b"{\"type\":\"ping\"}".to_vec().into()))
        .await?;
    ws.assert_silent().await?;
    ws.auth(&s.demo_token("bob").await?).await?;
    ws.send_message(Message::Binary(vec![0, 1, 2, 255].into()))
        .await?;
    ws.roundtrip().await?;
    s.stop().await
}

#[tokio::test]
async fn a_frame_over_64_kib_closes_the_connection_with_1009() -> anyhow::Result<()> {
    let s = system(Server::builder()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    // Control: a frame a little under the limit is fine.
    let under = json!({"type": "ping", "pad": "x".repeat(60 * 1024)});
    ws.send(under).await?;
    assert_eq!(ws.json().await?, json!({"type": "pong"}));

    let over = json!({"type": "ping", "pad": "x".repeat(64 * 1024)});
    ws.send(over).await?;
    assert_eq!(ws.closed().await?, Some(1009));
    s.stop().await
}

#[tokio::test]
async fn with_an_origin_list_listed_origins_and_requests_without_origin_may_upgrade()
-> anyhow::Result<()> {
    let s = system(Server::builder().env(
        "CHORUS_EDGE__ALLOWED_ORIGINS",
        r#"["http://good.example","https://app.example"]"#,
    ))
    .await?;
    let token = s.demo_token("bob").await?;
    for origin in [
        Some("http://good.example"),
        Some("https://app.example"),
        None,
    ] {
        let mut ws = Ws::try_connect(&s.ws_url(), origin)
            .await?
            .map_err(|r| anyhow::anyhow!("{origin:?} refused: {} {}", r.status, r.body))?;
        ws.auth(&token).await?;
        ws.roundtrip().await?;
    }
    s.stop().await
}

#[tokio::test]
async fn with_an_origin_list_other_origins_get_403_json() -> anyhow::Result<()> {
    let s =
        system(Server::builder().env("CHORUS_EDGE__ALLOWED_ORIGINS", r#"["http://good.example"]"#))
            .await?;
    for origin in [
        "http://evil.example",
        "http://good.example.evil.example",
        "null",
    ] {
        let Err(refused) = Ws::try_connect(&s.ws_url(), Some(origin)).await? else {
            anyhow::bail!("{origin} was allowed to upgrade");
        };
        assert_eq!(refused.status, 403, "{origin}");
        assert!(
            refused.body["error"].is_string(),
            "{origin}: JSON error body, got {}",
            refused.body
        );
    }
    s.stop().await
}

/// Flood limits for the rate tests: a burst of 5 frames, 1 more per second,
/// closed after 10 refused frames in a row.
fn flood_limits() -> crate::harness::ServerBuilder {
    Server::builder()
        .env("CHORUS_EDGE__RATE_PER_SEC", 1)
        .env("CHORUS_EDGE__RATE_BURST", 5)
        .env("CHORUS_EDGE__FLOOD_CLOSE_AFTER", 10)
}

/// Reads until the close: (pongs, error frames, close code); error frames
/// must all come after the pongs.
async fn flood_outcome(ws: &mut Ws) -> anyhow::Result<(usize, usize, Option<u16>)> {
    let (mut pongs, mut errors) = (0, 0);
    loop {
        match ws.recv().await? {
            Inbound::Json(frame) if frame == json!({"type": "pong"}) => {
                assert_eq!(errors, 0, "a pong after the refusals began");
                pongs += 1;
            }
            Inbound::Json(frame) => {
                assert_eq!(frame["type"], "error", "{frame}");
                assert!(frame["message"].is_string(), "{frame}");
                errors += 1;
            }
            Inbound::Closed(code) => return Ok((pongs, errors, code)),
        }
    }
}

#[tokio::test]
async fn frames_over_the_rate_get_error_frames_and_ten_in_a_row_close_with_1008()
-> anyhow::Result<()> {
    let s = system(flood_limits()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    // auth took 1 of the 5; 4 pings pass, the next 10 are refused and the
    // 10th closes. Exactly that many are sent, so none is left unread when the
    // server closes; one more at a time if the bucket refilled meanwhile.
    let burst: Vec<Value> = (0..14).map(|_| json!({"type": "ping"})).collect();
    ws.send_all(&burst).await?;
    let (mut pongs, mut errors, mut sent) = (0, 0, 14);
    let code = loop {
        match ws.recv().await? {
            Inbound::Json(frame) if frame == json!({"type": "pong"}) => {
                assert_eq!(errors, 0, "a pong after the refusals began");
                pongs += 1;
            }
            Inbound::Json(frame) => {
                assert_eq!(frame["type"], "error", "{frame}");
                assert!(frame["message"].is_string(), "{frame}");
                errors += 1;
            }
            Inbound::Closed(code) => break code,
        }
        if pongs + errors == sent {
            ws.send(json!({"type": "ping"})).await?;
            sent += 1;
        }
    };
    assert!(pongs >= 4, "the burst is served: {pongs} pongs");
    assert_eq!(
        errors, 9,
        "every refused frame but the closing one gets an error frame"
    );
    assert_eq!(code, Some(1008));
    s.stop().await
}

/// §20.1 "persistent flooding closes the connection with code 1008" also for
/// a client that still has frames in flight: the server must not close TCP
/// under unread input (a reset would swallow the error frames and the close;
/// RFC 6455 §7.1.1). Regression test: failed intermittently before a03e515.
#[tokio::test]
async fn a_client_that_keeps_flooding_still_receives_the_1008_close() -> anyhow::Result<()> {
    let s = system(flood_limits()).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    let flood: Vec<Value> = (0..60).map(|_| json!({"type": "ping"})).collect();
    ws.send_all(&flood).await?;
    let (pongs, errors, code) = flood_outcome(&mut ws).await?;
    assert!(pongs >= 1, "the burst was served first");
    assert!(
        errors >= 1,
        "refused frames get an error frame first ({pongs} pongs, close {code:?})"
    );
    assert_eq!(code, Some(1008));
    s.stop().await
}

#[tokio::test]
async fn a_connection_silent_for_longer_than_the_idle_timeout_is_closed() -> anyhow::Result<()> {
    let s = system(Server::builder().env("CHORUS_EDGE__IDLE_TIMEOUT_SECS", 2)).await?;
    let mut authed = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    let mut anonymous = Ws::connect(&s.ws_url()).await?;
    assert_eq!(authed.closed().await?, Some(1000));
    assert_eq!(anonymous.closed().await?, Some(1000));
    s.stop().await
}

#[tokio::test]
async fn client_pings_keep_a_connection_open_past_the_idle_timeout() -> anyhow::Result<()> {
    let s = system(Server::builder().env("CHORUS_EDGE__IDLE_TIMEOUT_SECS", 2)).await?;
    let mut ws = Ws::subscribed(&s.ws_url(), &s.demo_token("bob").await?, &[]).await?;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        ws.roundtrip().await?;
    }
    s.stop().await
}

/// Sends messages of `content` to `chat`, four at a time, until `stop` says
/// so after a batch (at most `max_batches`); returns their ids.
async fn send_batches(
    s: &Server,
    token: &str,
    chat: i64,
    content: &str,
    max_batches: usize,
    mut stop: impl AsyncFnMut() -> anyhow::Result<bool>,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for _ in 0..max_batches {
        let batch = (0..4).map(|_| s.send_text(token, chat, content));
        for reply in futures_util::future::join_all(batch).await {
            ids.push(
                reply?["id"]
                    .as_i64()
                    .ok_or_else(|| anyhow::anyhow!("no id"))?,
            );
        }
        if stop().await? {
            return Ok(ids);
        }
    }
    anyhow::bail!("still not stopped after {} messages", ids.len())
}

#[tokio::test]
async fn a_reader_too_slow_for_its_send_queue_is_closed_with_1013_while_others_get_everything()
-> anyhow::Result<()> {
    let s = system(Server::builder().env("CHORUS_EDGE__SEND_QUEUE_FRAMES", 32)).await?;
    let (_, alice, _) = s.user("slow").await?;
    let (bob_id, bob, _) = s.user("fast").await?;
    let chat = group(&s, &alice, &[bob_id]).await?;
    let mut fast = Ws::subscribed_ignoring_presence(&s.ws_url(), &bob, &[chat]).await?;
    let mut slow = Ws::connect_with_small_buffer(&s.ws_url(), 4096)
        .await?
        .ignoring_presence();
    slow.auth(&alice).await?;
    slow.subscribe(chat).await?;

    // The other subscriber reads everything until the final "the end".
    let fast_reader = tokio::spawn(async move {
        let mut got = Vec::new();
        loop {
            let frame = fast.recv_type("message").await?;
            if frame["content"] == "the end" {
                return anyhow::Ok(got);
            }
            got.push((
                frame["id"].as_i64().unwrap_or_default(),
                frame["seq"].as_i64().unwrap_or_default(),
            ));
        }
    });

    // The slow socket is not read from now on; ~10 KB frames fill its buffers
    // until the server gives up on it.
    let overflows = "messenger_ws_send_queue_overflows_total";
    let before = s.metric(overflows).await?;
    let content = "z".repeat(10_000);
    let sent = send_batches(&s, &alice, chat, &content, 500, async || {
        Ok(s.metric(overflows).await? > before)
    })
    .await?;

    eprintln!("{} messages until the first overflow", sent.len());
    // Reading again, the slow client drains what was buffered, then the close.
    let code = slow.closed_eventually().await?;
    assert_eq!(code, Some(1013), "after {} messages", sent.len());

    s.send_text(&alice, chat, "the end").await?;
    let got = fast_reader.await??;
    let ids: std::collections::BTreeSet<i64> = got.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), got.len(), "no duplicates");
    assert_eq!(ids, sent.iter().copied().collect(), "every message");
    let seqs: Vec<i64> = got.iter().map(|(_, seq)| *seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "in seq order: {seqs:?}"
    );
    s.stop().await
}
