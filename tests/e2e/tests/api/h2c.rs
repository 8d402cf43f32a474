//! A minimal gRPC-over-cleartext-HTTP/2 client for one unary call, so a test can
//! reach an internal service (auth's `Accounts`) without generated code. It
//! sends the request and waits for the end of the response stream; callers
//! check the effect over the public API (the trailers are not decoded).

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const DATA: u8 = 0x0;
const HEADERS: u8 = 0x1;
const RST_STREAM: u8 = 0x3;
const SETTINGS: u8 = 0x4;
const PING: u8 = 0x6;
const GOAWAY: u8 = 0x7;
const END_STREAM: u8 = 0x1;
const ACK: u8 = 0x1;
const END_HEADERS: u8 = 0x4;

fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u32;
    let mut out = vec![(len >> 16) as u8, (len >> 8) as u8, len as u8, kind, flags];
    out.extend_from_slice(&stream.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// An HPACK string literal without Huffman coding (all our strings are < 127 bytes).
fn hpack_str(out: &mut Vec<u8>, s: &str) {
    out.push(s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Protobuf encoding of `{ int64 field 1; bool field 2 }` (e.g. `SetBlockedRequest`).
pub fn int64_bool_message(first: i64, second: bool) -> Vec<u8> {
    let mut out = vec![0x08];
    varint(&mut out, first as u64);
    if second {
        out.extend_from_slice(&[0x10, 0x01]);
    }
    out
}

/// Calls `path` (e.g. `/chorus.auth.v1.Accounts/SetBlocked`) on `127.0.0.1:port`
/// with `message` (protobuf bytes) and waits until the server ends the stream.
pub async fn unary(port: u16, path: &str, message: &[u8]) -> anyhow::Result<()> {
    tokio::time::timeout(Duration::from_secs(10), call(port, path, message))
        .await
        .map_err(|_| anyhow::anyhow!("gRPC call {path} timed out"))?
}

async fn call(port: u16, path: &str, message: &[u8]) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut headers = vec![0x83, 0x86]; // :method POST, :scheme http
    headers.push(0x04); // :path, literal without indexing
    hpack_str(&mut headers, path);
    headers.push(0x01); // :authority
    hpack_str(&mut headers, &format!("127.0.0.1:{port}"));
    headers.extend_from_slice(&[0x0f, 0x10]); // content-type (static index 31)
    hpack_str(&mut headers, "application/grpc");
    headers.push(0x00); // te: trailers (new name)
    hpack_str(&mut headers, "te");
    hpack_str(&mut headers, "trailers");
    let mut body = vec![0];
    body.extend_from_slice(&(message.len() as u32).to_be_bytes());
    body.extend_from_slice(message);

    let mut out = PREFACE.to_vec();
    out.extend(frame(SETTINGS, 0, 0, &[]));
    out.extend(frame(HEADERS, END_HEADERS, 1, &headers));
    out.extend(frame(DATA, END_STREAM, 1, &body));
    stream.write_all(&out).await?;

    loop {
        let mut head = [0u8; 9];
        stream.read_exact(&mut head).await?;
        let len = (usize::from(head[0]) << 16) | (usize::from(head[1]) << 8) | usize::from(head[2]);
        let (kind, flags) = (head[3], head[4]);
        let id = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
        let mut payload = vec![0u8; len];
        stream.read_exact(&mut payload).await?;
        match kind {
            SETTINGS if flags & ACK == 0 => stream.write_all(&frame(SETTINGS, ACK, 0, &[])).await?,
            PING if flags & ACK == 0 => stream.write_all(&frame(PING, ACK, 0, &payload)).await?,
            RST_STREAM if id == 1 => anyhow::bail!("gRPC call {path}: stream reset"),
            GOAWAY => anyhow::bail!("gRPC call {path}: connection refused (GOAWAY)"),
            HEADERS | DATA if id == 1 && flags & END_STREAM != 0 => return Ok(()),
            _ => {}
        }
    }
}
