//! Chorus benchmarks. They print figures; they are never part of `make test`.
//!
//!   chorus-bench login  [URL] [TOTAL] [CONCURRENCY] [PID]  login latency and logins/s; with
//!                        PID, the server's RSS before, at peak and 5 s after (argon2 memory)
//!   chorus-bench me     [URL] [SECONDS] [CONCURRENCY] GET /me requests/s and latency
//!   chorus-bench verify [ITERATIONS]                  cost of one access-token verification
//!   chorus-bench send   [URL] [SECONDS] [CONCURRENCY] [many|one]  durable sends/s and latency
//!   chorus-bench bigchat URL DATABASE_URL [MESSAGES] [SECONDS] [CONCURRENCY]
//!                        history-page and search latency over one huge chat
//!   chorus-bench chats  [URL] [CHATS] [SECONDS] [CONCURRENCY]  GET /chats for a user in many chats
//!   chorus-bench admin-stats URL DATABASE_URL [USERS=100000] [MESSAGES=10000000] [SECONDS=10]
//!                        [CONCURRENCY=4] [PID]  GET /admin-api/stats latency over that much data
//!                        (seeded straight into the auth and message schemas; PID: chorus CPU)
//!   chorus-bench ws-idle URL PID [CONNECTIONS=10000]
//!                        server memory (RSS of PID) per idle authenticated, subscribed WebSocket
//!   chorus-bench ws-fanout URL PID REDIS_URL PREFIX [SUBSCRIBERS=1000] [SECONDS=10] [RATE]
//!                        frames PUBLISHed into one chat's Redis channel → SUBSCRIBERS sockets:
//!                        deliveries/s and per server CPU-second (no RATE: as fast as they keep up)
//!   chorus-bench ws-latency URL [RATE=200] [SECONDS=10] [GROUP_SIZE=10] [GROUPS=20]
//!                        send→deliver latency through the whole pipeline (POST … → socket)
//!   chorus-bench pipeline URL [SECONDS=10] [GROUP_SIZE=10] [GROUPS=20] [RATES=200,400,…,2000]
//!                        the rate ladder of ws-latency up to the knee, with the CPU per
//!                        message of chorus, PostgreSQL, RabbitMQ and Redis (from /proc;
//!                        BENCH_ROOTS=chorus=PID,postgres=PID,… limits each to one process
//!                        tree). scripts/bench-pipeline.sh (make bench-pipeline) runs it
//!                        against a release chorus all on private servers.
//!
//!   chorus-bench upload URL PID [MIB=50] [N=3]   upload MB/s and server peak RSS while it streams
//!   chorus-bench presign [N=100000]               cost of one presigned URL (one core)
//!   chorus-bench files-many URL GRPC_URL [IDS=50] [SECONDS=5] [CONCURRENCY=8]
//!                        Files.GetMany latency for IDS files (the media gRPC address:
//!                        start `chorus all` with CHORUS_MEDIA__GRPC_ADDR=127.0.0.1:50054)
//!
//! URL defaults to http://127.0.0.1:8080, a system started with `make run`
//! (demo user bob / testpass). The `ws-*` commands need the demo data; PID is the
//! server process (`chorus all`), PREFIX its `CHORUS__REDIS__PREFIX` (default `chorus:`).

mod admin;
mod media;
mod messaging;
mod pipeline;
mod procs;
mod realtime;
mod ws;

use anyhow::Context;
use base64::Engine;
use chorus_authn::{Claims, PublicKey, StaticKeySource, TokenType, Verifier, VerifierConfig};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn report(name: &str, hist: &Histogram<u64>, elapsed: Duration) {
    let n = hist.len();
    println!(
        "{name}: {n} requests in {:.2} s = {:.0}/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        hist.value_at_quantile(0.5) as f64 / 1000.0,
        hist.value_at_quantile(0.99) as f64 / 1000.0,
        hist.max() as f64 / 1000.0,
    );
}

async fn login(http: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let res = http
        .post(format!("{url}/auth/login"))
        .json(&json!({"username": "bob", "password": "testpass"}))
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "login answered {}", res.status());
    Ok(res.json().await?)
}

/// Runs `total` calls of `op` on `concurrency` workers and returns the latency histogram (µs).
async fn drive<F, Fut>(
    total: usize,
    concurrency: usize,
    deadline: Option<Instant>,
    op: F,
) -> anyhow::Result<(Histogram<u64>, Duration)>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let remaining = Arc::new(std::sync::atomic::AtomicUsize::new(total));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (op, remaining) = (op.clone(), remaining.clone());
        workers.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3)?;
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                if remaining
                    .fetch_update(
                        std::sync::atomic::Ordering::AcqRel,
                        std::sync::atomic::Ordering::Acquire,
                        |r| r.checked_sub(1),
                    )
                    .is_err()
                {
                    break;
                }
                let t = Instant::now();
                op().await?;
                hist.record(t.elapsed().as_micros() as u64)?;
            }
            Ok::<_, anyhow::Error>(hist)
        }));
    }
    let mut all = Histogram::<u64>::new(3)?;
    for w in workers {
        all.add(w.await??)?;
    }
    Ok((all, start.elapsed()))
}

fn verify_cost(iterations: u32) -> anyhow::Result<()> {
    let seed: [u8; 32] = *uuid::Uuid::new_v4()
        .as_bytes()
        .repeat(2)
        .first_chunk()
        .context("seed")?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let pem = signing.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)?;
    let x =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes());
    let keys = vec![PublicKey {
        kid: "k1".into(),
        x,
    }];
    let verifier = Verifier::new(
        &VerifierConfig::default(),
        Arc::new(StaticKeySource(keys.clone())),
        None,
    );
    verifier.set_keys(&keys);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let claims = Claims {
        sub: "42".into(),
        token_type: TokenType::Access,
        iat: now,
        exp: now + 3600,
        is_admin: false,
        iss: "chorus".into(),
        aud: "chorus".into(),
        jti: "j".into(),
        sid: None,
    };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    header.kid = Some("k1".into());
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_pem(pem.as_bytes())?,
    )?;
    let start = Instant::now();
    for _ in 0..iterations {
        verifier
            .verify_known(&token)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!(
        "verify: {iterations} access-token verifications, {per:.1} µs each (signature + claims, one core)"
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let http = reqwest::Client::new();
    match args.get(1).map(String::as_str) {
        Some("login") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let (total, concurrency) = (arg(&args, 3, 200usize), arg(&args, 4, 8usize));
            let pid = arg(&args, 5, 0u32);
            let before = media::rss_kib(pid).unwrap_or_default();
            let (peak, sampling) = media::sample_peak_rss(pid, before);
            let (h, u) = (http.clone(), url.clone());
            let (hist, elapsed) = drive(total, concurrency, None, move || {
                let (h, u) = (h.clone(), u.clone());
                async move { login(&h, &u).await.map(|_| ()) }
            })
            .await?;
            sampling.abort();
            report(
                &format!("login (argon2id, {concurrency} concurrent)"),
                &hist,
                elapsed,
            );
            if pid != 0 {
                tokio::time::sleep(Duration::from_secs(5)).await;
                let mib = |kib: u64| kib as f64 / 1024.0;
                println!(
                    "server RSS: {:.1} MiB before, peak {:.1} MiB, {:.1} MiB 5 s after",
                    mib(before),
                    mib(peak.load(std::sync::atomic::Ordering::Relaxed)),
                    mib(media::rss_kib(pid).unwrap_or_default()),
                );
            }
        }
        Some("upload") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let pid = arg(&args, 3, 0u32);
            media::upload(&url, pid, arg(&args, 4, 50usize), arg(&args, 5, 3usize)).await?;
        }
        Some("presign") => media::presign(arg(&args, 2, 100_000u32)),
        Some("files-many") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let grpc = arg(&args, 3, "http://127.0.0.1:50054".to_string());
            media::files_many(
                &url,
                &grpc,
                arg(&args, 4, 50usize),
                arg(&args, 5, 5u64),
                arg(&args, 6, 8usize),
            )
            .await?;
        }
        Some("me") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let (secs, concurrency) = (arg(&args, 3, 10u64), arg(&args, 4, 32usize));
            let token = login(&http, &url).await?["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let deadline = Instant::now() + Duration::from_secs(secs);
            let (h, u) = (http.clone(), url.clone());
            let (hist, elapsed) = drive(usize::MAX, concurrency, Some(deadline), move || {
                let (h, u, t) = (h.clone(), u.clone(), token.clone());
                async move {
                    let res = h.get(format!("{u}/me")).bearer_auth(t).send().await?;
                    anyhow::ensure!(
                        res.status().is_success(),
                        "GET /me answered {}",
                        res.status()
                    );
                    res.bytes().await?;
                    Ok(())
                }
            })
            .await?;
            report(
                &format!("GET /me ({concurrency} concurrent)"),
                &hist,
                elapsed,
            );
        }
        Some("verify") => verify_cost(arg(&args, 2, 20_000u32))?,
        Some("send") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let one = args.get(5).is_some_and(|m| m == "one");
            messaging::send(&url, arg(&args, 3, 10), arg(&args, 4, 50), one).await?;
        }
        Some("bigchat") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let db = arg(
                &args,
                3,
                "postgres://postgres@127.0.0.1:5432/chorus".to_string(),
            );
            messaging::bigchat(
                &url,
                &db,
                arg(&args, 4, 1_000_000),
                arg(&args, 5, 5),
                arg(&args, 6, 8),
            )
            .await?;
        }
        Some("admin-stats") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let db = arg(
                &args,
                3,
                "postgres://postgres@127.0.0.1:5432/chorus".to_string(),
            );
            admin::stats(
                &url,
                &db,
                arg(&args, 4, 100_000),
                arg(&args, 5, 10_000_000),
                arg(&args, 6, 10),
                arg(&args, 7, 4),
                args.get(8).and_then(|p| p.parse().ok()),
            )
            .await?;
        }
        Some("chats") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            messaging::chats(&url, arg(&args, 3, 500), arg(&args, 4, 5), arg(&args, 5, 8)).await?;
        }
        Some("ws-idle") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let pid = args
                .get(3)
                .and_then(|p| p.parse().ok())
                .context("PID required")?;
            realtime::idle(&url, pid, arg(&args, 4, 10_000)).await?;
        }
        Some("ws-fanout") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let pid = args
                .get(3)
                .and_then(|p| p.parse().ok())
                .context("PID required")?;
            let redis = arg(&args, 4, "redis://127.0.0.1:6379".to_string());
            let prefix = arg(&args, 5, "chorus:".to_string());
            let rate = args.get(8).and_then(|r| r.parse().ok());
            realtime::fanout(
                &url,
                pid,
                &redis,
                &prefix,
                arg(&args, 6, 1000),
                arg(&args, 7, 10),
                rate,
            )
            .await?;
        }
        Some("ws-latency") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            pipeline::latency(
                &url,
                arg(&args, 3, 200.0),
                arg(&args, 4, 10),
                arg(&args, 5, 10),
                arg(&args, 6, 20),
            )
            .await?;
        }
        Some("pipeline") => {
            let url = arg(&args, 2, "http://127.0.0.1:8080".to_string());
            let list = |i: usize| -> Option<Vec<String>> {
                let a = args.get(i)?;
                Some(a.split(',').map(str::to_owned).collect())
            };
            let rates = list(6)
                .map(|r| {
                    r.iter()
                        .map(|x| x.parse::<f64>())
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()
                .context("RATES: comma-separated numbers")?;
            pipeline::ladder(
                &url,
                arg(&args, 3, 10.0),
                arg(&args, 4, 10),
                arg(&args, 5, 20),
                rates,
            )
            .await?;
        }
        _ => println!(
            "usage: chorus-bench login|me|verify|send|bigchat|chats|admin-stats|ws-idle|ws-fanout|ws-latency|pipeline|upload|presign|files-many [...] (see the source header)"
        ),
    }
    Ok(())
}
