//! Media figures: upload throughput and the server's memory while a large file
//! streams through it, the cost of one presigned URL, and `Files.GetMany`.

use crate::{drive, login, report};
use chorus_proto::media::v1 as pb;
use std::time::{Duration, Instant};

pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Samples `pid`'s RSS every 5 ms into a running maximum until aborted.
pub fn sample_peak_rss(
    pid: u32,
    baseline: u64,
) -> (
    std::sync::Arc<std::sync::atomic::AtomicU64>,
    tokio::task::JoinHandle<()>,
) {
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(baseline));
    let sampling = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(rss) = rss_kib(pid) {
                    peak.fetch_max(rss, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    (peak, sampling)
}

async fn token(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    Ok(login(http, url).await?["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// `upload URL PID MB N`: N sequential uploads of MB MiB, streamed in 64 KiB
/// chunks (the client never builds one big body); server RSS sampled every 5 ms.
pub async fn upload(url: &str, pid: u32, mib: usize, n: usize) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let token = token(&http, url).await?;
    let chunk: bytes::Bytes = (0..64 * 1024)
        .map(|i| (i * 31 % 251) as u8)
        .collect::<Vec<_>>()
        .into();
    let chunks = mib * 16;
    let baseline = rss_kib(pid).unwrap_or_default();
    let (peak, sampling) = sample_peak_rss(pid, baseline);
    let mut total = Duration::ZERO;
    for i in 0..n {
        let c = chunk.clone();
        let body = futures_util::stream::iter(
            (0..chunks).map(move |_| Ok::<_, std::io::Error>(c.clone())),
        );
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(body),
            (mib * 1024 * 1024) as u64,
        )
        .file_name(format!("bench-{i}.bin"))
        .mime_str("application/octet-stream")?;
        let start = Instant::now();
        let res = http
            .post(format!("{url}/files"))
            .bearer_auth(&token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await?;
        let status = res.status();
        let body = res.text().await?;
        anyhow::ensure!(status.as_u16() == 201, "upload answered {status}: {body}");
        let took = start.elapsed();
        total += took;
        println!(
            "upload {i}: {mib} MiB in {:.2} s = {:.1} MB/s",
            took.as_secs_f64(),
            (mib * 1024 * 1024) as f64 / 1e6 / took.as_secs_f64()
        );
    }
    sampling.abort();
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "upload: {n} × {mib} MiB, mean {:.1} MB/s; server RSS {:.1} MiB before, peak {:.1} MiB (+{:.1} MiB)",
        (n * mib * 1024 * 1024) as f64 / 1e6 / total.as_secs_f64(),
        baseline as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak.saturating_sub(baseline) as f64 / 1024.0
    );
    Ok(())
}

/// `presign N`: N presigned URLs on one core.
pub fn presign(n: u32) {
    let p = chorus_media::presign::Presigner::new(
        "chorus",
        "chorus-dev-secret",
        "127.0.0.1:9000",
        "",
        900,
    );
    let mut bytes = 0usize;
    let start = Instant::now();
    for i in 0..n {
        let key = format!("uploads/2f0c7a52-3c1e-4b7e-9a53-{i:012}_photo.jpg");
        bytes += p.url("chorus-uploads", &key).len();
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!(
        "presign: {n} URLs, {per:.2} µs each ({} bytes per URL)",
        bytes / n as usize
    );
}

/// `files-many URL GRPC IDS SECONDS CONCURRENCY`: uploads IDS small files, then
/// calls `Files.GetMany` with all of them (as a page of messages does).
pub async fn files_many(
    url: &str,
    grpc: &str,
    ids: usize,
    secs: u64,
    concurrency: usize,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let token = token(&http, url).await?;
    let mut file_ids = Vec::new();
    for i in 0..ids {
        let part = reqwest::multipart::Part::bytes(format!("file {i}").into_bytes())
            .file_name(format!("f{i}.txt"))
            .mime_str("text/plain")?;
        let res = http
            .post(format!("{url}/files"))
            .bearer_auth(&token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await?;
        let body: serde_json::Value = res.json().await?;
        file_ids.push(body["id"].as_i64().unwrap_or_default());
    }
    let client = pb::files_client::FilesClient::connect(grpc.to_string()).await?;
    let n = file_ids.len();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (hist, elapsed) = drive(usize::MAX, concurrency, Some(deadline), move || {
        let mut c = client.clone();
        let ids = file_ids.clone();
        async move {
            let reply = c
                .get_many(pb::GetManyRequest {
                    file_ids: ids,
                    sticker_ids: vec![1, 2, 3],
                })
                .await?
                .into_inner();
            anyhow::ensure!(
                reply.files.len() == n && reply.stickers.len() == 3,
                "short reply"
            );
            Ok(())
        }
    })
    .await?;
    report(
        &format!("Files.GetMany ({ids} files + 3 stickers, {concurrency} concurrent)"),
        &hist,
        elapsed,
    );
    Ok(())
}
