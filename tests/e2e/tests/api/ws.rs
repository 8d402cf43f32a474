//! A small WebSocket client for the `/ws` tests: JSON in, JSON or a close code
//! out, with generous timeouts for what must arrive and short ones only for
//! "nothing arrives" checks.

use crate::harness::{Server, ServerBuilder};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long an expected frame may take.
pub const WAIT: Duration = Duration::from_secs(10);
/// A pause after subscribing before a client-originated frame (`typing`); kept
/// although `subscribed` now implies an active subscription (see
/// `ws_cluster::a_typing_sent_right_after_subscribed_is_echoed_on_either_node`).
pub const SETTLE: Duration = Duration::from_millis(300);
/// How long a "receives nothing" check listens.
pub const QUIET: Duration = Duration::from_millis(800);

type Stream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Starts a system for a WebSocket test: once it is ready and its start-up
/// events (the demo group's `chat_created`) went out, so no late event reaches
/// the test's sockets.
pub async fn system(builder: ServerBuilder) -> anyhow::Result<Server> {
    let s = builder.start().await?;
    s.demo_settled().await?;
    Ok(s)
}

/// Waits until at least `count` domain events of `event_type` (e.g.
/// `chat.created`) were fanned out since the start.
pub async fn fanned_out(s: &Server, event_type: &str, count: f64) -> anyhow::Result<()> {
    let series = format!("messenger_fanout_events_total{{type=\"{event_type}\"}}");
    for _ in 0..200 {
        if s.metric(&series).await? >= count {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("fewer than {count} {event_type} events were fanned out")
}

/// Creates a group of the caller and `members` and waits until its
/// `chat_created` went out, so sockets opened afterwards do not get it.
pub async fn quiet_group(
    s: &Server,
    token: &str,
    title: &str,
    members: &[i64],
) -> anyhow::Result<i64> {
    let series = "messenger_fanout_events_total{type=\"chat.created\"}";
    let before = s.metric(series).await?;
    let id = s
        .create_chat(
            token,
            json!({"type": "group", "title": title, "member_ids": members}),
        )
        .await?;
    fanned_out(s, "chat.created", before + 1.0).await?;
    Ok(id)
}

/// What the server sent next: a JSON text frame, or the end of the connection
/// (with the close code when a close frame came).
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    Json(Value),
    Closed(Option<u16>),
}

pub struct Ws {
    stream: Stream,
    /// Frame types this client drops unseen (e.g. `presence` in tests about other events).
    ignored: Vec<&'static str>,
}

/// A refused upgrade: HTTP status and body.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: Value,
}

impl Ws {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        Self::try_connect(url, None)
            .await?
            .map_err(|r| anyhow::anyhow!("upgrade refused: {} {}", r.status, r.body))
    }

    /// Connects with an `Origin` header; `Err(Refused)` when the upgrade is refused.
    pub async fn try_connect(
        url: &str,
        origin: Option<&str>,
    ) -> anyhow::Result<Result<Self, Refused>> {
        let mut request = url.into_client_request()?;
        if let Some(origin) = origin {
            request.headers_mut().insert("Origin", origin.parse()?);
        }
        match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request)).await {
            Err(_) => anyhow::bail!("upgrade of {url} timed out"),
            Ok(Ok((stream, _))) => Ok(Ok(Self {
                stream,
                ignored: Vec::new(),
            })),
            Ok(Err(tungstenite::Error::Http(response))) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .as_deref()
                    .and_then(|b| serde_json::from_slice(b).ok())
                    .unwrap_or(Value::Null);
                Ok(Err(Refused { status, body }))
            }
            Ok(Err(err)) => Err(err.into()),
        }
    }

    /// A client with a tiny socket receive buffer, for "slow reader" tests.
    pub async fn connect_with_small_buffer(url: &str, recv_buffer: u32) -> anyhow::Result<Self> {
        let request = url.into_client_request()?;
        let host = request.uri().host().unwrap_or("127.0.0.1").to_string();
        let port = request.uri().port_u16().unwrap_or(80);
        let addr = tokio::net::lookup_host((host.as_str(), port))
            .await?
            .next()
            .ok_or_else(|| anyhow::anyhow!("no address for {host}"))?;
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.set_recv_buffer_size(recv_buffer)?;
        let tcp = socket.connect(addr).await?;
        let (stream, _) =
            tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(tcp)).await?;
        Ok(Self {
            stream,
            ignored: Vec::new(),
        })
    }

    /// Connects, authenticates and subscribes to `chats` (each answered `subscribed`).
    pub async fn subscribed(url: &str, token: &str, chats: &[i64]) -> anyhow::Result<Self> {
        Self::connect(url)
            .await?
            .auth_and_subscribe(token, chats)
            .await
    }

    /// Like [`Ws::subscribed`], dropping `presence` frames from the start: for
    /// tests about other events, where other users' presence may arrive any time.
    pub async fn subscribed_ignoring_presence(
        url: &str,
        token: &str,
        chats: &[i64],
    ) -> anyhow::Result<Self> {
        Self::connect(url)
            .await?
            .ignoring_presence()
            .auth_and_subscribe(token, chats)
            .await
    }

    async fn auth_and_subscribe(mut self, token: &str, chats: &[i64]) -> anyhow::Result<Self> {
        let ws = &mut self;
        ws.auth(token).await?;
        for chat in chats {
            ws.subscribe(*chat).await?;
        }
        Ok(self)
    }

    /// Drops `presence` frames from now on: for tests about other events, where
    /// presence broadcasts of the users involved may arrive at any time.
    pub fn ignoring_presence(mut self) -> Self {
        self.ignored.push("presence");
        self
    }

    pub async fn send(&mut self, frame: Value) -> anyhow::Result<()> {
        self.send_message(Message::text(frame.to_string())).await
    }

    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.send_message(Message::text(text)).await
    }

    pub async fn send_message(&mut self, message: Message) -> anyhow::Result<()> {
        tokio::time::timeout(WAIT, self.stream.send(message))
            .await
            .map_err(|_| anyhow::anyhow!("send timed out"))??;
        Ok(())
    }

    /// Queues several frames and writes them in one go (a client pipelining).
    pub async fn send_all(&mut self, frames: &[Value]) -> anyhow::Result<()> {
        for frame in frames {
            self.stream.feed(Message::text(frame.to_string())).await?;
        }
        self.stream.flush().await?;
        Ok(())
    }

    /// The next message of any kind, control frames included.
    pub async fn recv_raw(&mut self) -> anyhow::Result<Option<Message>> {
        match tokio::time::timeout(WAIT, self.stream.next()).await {
            Err(_) => anyhow::bail!("nothing received within {WAIT:?}"),
            Ok(None) => Ok(None),
            Ok(Some(Ok(message))) => Ok(Some(message)),
            Ok(Some(Err(_))) => Ok(None),
        }
    }

    /// The next JSON frame or the end of the connection; control frames are skipped.
    pub async fn recv(&mut self) -> anyhow::Result<Inbound> {
        self.recv_within(WAIT)
            .await?
            .ok_or_else(|| anyhow::anyhow!("nothing received within {WAIT:?}"))
    }

    async fn recv_within(&mut self, wait: Duration) -> anyhow::Result<Option<Inbound>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let next = match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return Ok(None),
                Ok(next) => next,
            };
            return Ok(Some(match next {
                None => Inbound::Closed(None),
                Some(Err(err)) => {
                    eprintln!("websocket read error (counted as a close without code): {err}");
                    Inbound::Closed(None)
                }
                Some(Ok(Message::Close(frame))) => {
                    Inbound::Closed(frame.map(|f| u16::from(f.code)))
                }
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(text.as_str())
                        .map_err(|e| anyhow::anyhow!("not JSON: {text}: {e}"))?;
                    if self
                        .ignored
                        .iter()
                        .any(|kind| value["type"].as_str() == Some(kind))
                    {
                        continue;
                    }
                    Inbound::Json(value)
                }
                Some(Ok(Message::Binary(bytes))) => {
                    anyhow::bail!("unexpected binary frame {bytes:?}")
                }
                Some(Ok(_)) => continue,
            }));
        }
    }

    /// The next frame, which must be JSON.
    pub async fn json(&mut self) -> anyhow::Result<Value> {
        match self.recv().await? {
            Inbound::Json(value) => Ok(value),
            Inbound::Closed(code) => {
                anyhow::bail!("connection closed ({code:?}) while a frame was expected")
            }
        }
    }

    /// The next thing must be the end of the connection; returns its close code.
    pub async fn closed(&mut self) -> anyhow::Result<Option<u16>> {
        match self.recv().await? {
            Inbound::Closed(code) => Ok(code),
            Inbound::Json(value) => anyhow::bail!("expected the connection to close, got {value}"),
        }
    }

    /// Skips frames until one matches; fails on close or timeout.
    pub async fn recv_until(&mut self, pred: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv_within(left).await? {
                None => anyhow::bail!("no matching frame within {WAIT:?}"),
                Some(Inbound::Json(value)) if pred(&value) => return Ok(value),
                Some(Inbound::Json(_)) => {}
                Some(Inbound::Closed(code)) => {
                    anyhow::bail!("connection closed ({code:?}) before a matching frame")
                }
            }
        }
    }

    /// Skips frames until one of this `type` arrives.
    pub async fn recv_type(&mut self, kind: &str) -> anyhow::Result<Value> {
        self.recv_until(|v| v["type"] == kind)
            .await
            .map_err(|e| anyhow::anyhow!("waiting for {kind}: {e}"))
    }

    /// Collects frames until one of each of `kinds` arrived (in any order: events
    /// travel different paths); returns them in the order of `kinds`.
    pub async fn recv_each(&mut self, kinds: &[&str]) -> anyhow::Result<Vec<Value>> {
        let mut found: Vec<Option<Value>> = vec![None; kinds.len()];
        while found.iter().any(Option::is_none) {
            let frame = self
                .recv_until(|v| {
                    kinds
                        .iter()
                        .zip(&found)
                        .any(|(kind, f)| f.is_none() && v["type"] == *kind)
                })
                .await
                .map_err(|e| anyhow::anyhow!("waiting for {kinds:?}: {e}"))?;
            if let Some(slot) = kinds
                .iter()
                .zip(found.iter_mut())
                .find_map(|(kind, f)| (f.is_none() && frame["type"] == *kind).then_some(f))
            {
                *slot = Some(frame);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// Skips frames until the connection ends; returns its close code.
    pub async fn closed_eventually(&mut self) -> anyhow::Result<Option<u16>> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv_within(left).await? {
                None => anyhow::bail!("the connection stayed open for {WAIT:?}"),
                Some(Inbound::Closed(code)) => return Ok(code),
                Some(Inbound::Json(_)) => {}
            }
        }
    }

    /// The next JSON frame if one arrives within [`QUIET`]; fails on close.
    pub async fn maybe_json(&mut self) -> anyhow::Result<Option<Value>> {
        self.maybe_json_within(QUIET).await
    }

    /// The next JSON frame if one arrives within `wait`; fails on close.
    pub async fn maybe_json_within(&mut self, wait: Duration) -> anyhow::Result<Option<Value>> {
        match self.recv_within(wait).await? {
            None => Ok(None),
            Some(Inbound::Json(value)) => Ok(Some(value)),
            Some(Inbound::Closed(code)) => anyhow::bail!("connection closed ({code:?})"),
        }
    }

    /// Fails if any frame (or the close) arrives within `wait`.
    pub async fn assert_silent_for(&mut self, wait: Duration) -> anyhow::Result<()> {
        match self.recv_within(wait).await? {
            None => Ok(()),
            Some(inbound) => anyhow::bail!("expected silence, got {inbound:?}"),
        }
    }

    /// Fails if anything arrives within [`QUIET`].
    pub async fn assert_silent(&mut self) -> anyhow::Result<()> {
        self.assert_silent_for(QUIET).await
    }

    /// Sends `auth` and expects `auth_ok` as the very next frame; returns the user id.
    pub async fn auth(&mut self, token: &str) -> anyhow::Result<i64> {
        self.auth_with(json!({"type": "auth", "token": token}))
            .await
    }

    /// `auth` with `active: false` (the connection starts away).
    pub async fn auth_away(&mut self, token: &str) -> anyhow::Result<i64> {
        self.auth_with(json!({"type": "auth", "token": token, "active": false}))
            .await
    }

    async fn auth_with(&mut self, frame: Value) -> anyhow::Result<i64> {
        self.send(frame).await?;
        let reply = self.json().await?;
        anyhow::ensure!(reply["type"] == "auth_ok", "expected auth_ok, got {reply}");
        let user_id = reply["user_id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("auth_ok without an int user_id: {reply}"))?;
        anyhow::ensure!(
            reply == json!({"type": "auth_ok", "user_id": user_id}),
            "auth_ok has extra keys: {reply}"
        );
        Ok(user_id)
    }

    /// Sends `subscribe` and expects `subscribed` as the next frame.
    pub async fn subscribe(&mut self, chat_id: i64) -> anyhow::Result<()> {
        self.send(json!({"type": "subscribe", "chat_id": chat_id}))
            .await?;
        let reply = self.json().await?;
        anyhow::ensure!(
            reply == json!({"type": "subscribed", "chat_id": chat_id}),
            "subscribe {chat_id}: {reply}"
        );
        Ok(())
    }

    /// `ping` answered by `pong`: every frame sent before it was processed.
    pub async fn roundtrip(&mut self) -> anyhow::Result<()> {
        self.send(json!({"type": "ping"})).await?;
        let reply = self.json().await?;
        anyhow::ensure!(
            reply == json!({"type": "pong"}),
            "expected pong, got {reply}"
        );
        Ok(())
    }

    /// Closes the connection from the client side (normal closure).
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(WAIT, self.stream.close(None)).await;
        // Let the server see the close before the test goes on.
        let _ =
            tokio::time::timeout(WAIT, async { while self.stream.next().await.is_some() {} }).await;
    }
}

/// A registered and logged-in user of a test.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub token: String,
    pub username: String,
}

impl Person {
    /// A fresh user named `<prefix><8 hex>` (display name = username).
    pub async fn new(s: &Server, prefix: &str) -> anyhow::Result<Self> {
        let (id, token, _) = s.user(prefix).await?;
        let (_, me) = s
            .call(reqwest::Method::GET, "/me", Some(&token), None)
            .await?;
        let username = me["username"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no username in /me: {me}"))?
            .to_string();
        Ok(Self {
            id,
            token,
            username,
        })
    }

    /// A demo user (alice is a global admin).
    pub async fn demo(s: &Server, username: &str) -> anyhow::Result<Self> {
        let login = s.login(username, "testpass").await?;
        Ok(Self {
            id: login["user_id"].as_i64().unwrap_or_default(),
            token: login["access_token"].as_str().unwrap_or_default().into(),
            username: username.into(),
        })
    }
}

/// `from` types in `chat` until `to` receives a `typing` frame carrying the
/// username (§16.3: omitted only while the node does not know it yet); every
/// frame seen must be the exact typing frame of `who`, with or without it.
pub async fn typing_reaches(
    from: &mut Ws,
    to: &mut Ws,
    chat: i64,
    who: &Person,
) -> anyhow::Result<()> {
    let with_name =
        json!({"type": "typing", "chat_id": chat, "user_id": who.id, "username": who.username});
    let without = json!({"type": "typing", "chat_id": chat, "user_id": who.id});
    // A `subscribed` can precede the node's effective Redis subscription (see
    // ws_cluster::a_typing_sent_right_after_subscribed_is_echoed_on_either_node);
    // this helper is about delivery, not that race, so it lets it settle.
    tokio::time::sleep(SETTLE).await;
    for _ in 0..20 {
        from.send(json!({"type": "typing", "chat_id": chat}))
            .await?;
        let got = to
            .json()
            .await
            .map_err(|e| anyhow::anyhow!("{} typing, the other subscriber: {e}", who.username))?;
        let echo = from
            .json()
            .await
            .map_err(|e| anyhow::anyhow!("{} typing, own socket: {e}", who.username))?;
        assert!(got == with_name || got == without, "{got}");
        assert!(echo == with_name || echo == without, "echo: {echo}");
        if got == with_name {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    anyhow::bail!(
        "the typing frames of {} never carried the username",
        who.username
    )
}

/// An error frame with this text.
pub fn ws_error(message: &str) -> Value {
    json!({"type": "error", "message": message})
}
