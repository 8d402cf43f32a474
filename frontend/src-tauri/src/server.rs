//! The server the app talks to: the address the person typed, normalized the way
//! the web app's `normalizeServerAddress` does (src/platform/server.ts), and its
//! `GET {address}/health` check before it is kept.

use std::time::Duration;

/// Why an address was refused; the web app shows a text per code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Empty,
    Invalid,
    Scheme,
    Extra,
    Unreachable,
    NotChorus,
    Unhealthy,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Problem::Empty => "empty",
            Problem::Invalid => "invalid",
            Problem::Scheme => "scheme",
            Problem::Extra => "extra",
            Problem::Unreachable => "unreachable",
            Problem::NotChorus => "not_chorus",
            Problem::Unhealthy => "unhealthy",
        }
    }
}

fn local_or_ip(host: &str) -> bool {
    host == "localhost" || host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `chat.example.org` → `https://chat.example.org`; `localhost:8080/` → `http://localhost:8080`.
pub fn normalize(input: &str) -> Result<String, Problem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if text.chars().any(char::is_whitespace) {
        return Err(Problem::Invalid);
    }
    let has_scheme = text.split_once("://").is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    let mut url = url::Url::parse(&if has_scheme {
        text.to_string()
    } else {
        format!("http://{text}")
    })
    .map_err(|_| Problem::Invalid)?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(Problem::Scheme);
    }
    let host = url.host_str().ok_or(Problem::Invalid)?.to_string();
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(Problem::Extra);
    }
    if !has_scheme && !local_or_ip(&host) {
        url.set_scheme("https").map_err(|_| Problem::Invalid)?;
    }
    let origin = url.origin().ascii_serialization();
    Ok(format!("{origin}{}", url.path().trim_end_matches('/')))
}

/// A Chorus server answers `/health` with a JSON report that has a `status`.
pub async fn check_health(address: &str) -> Result<(), Problem> {
    let client = tauri_plugin_http::reqwest::Client::builder()
        .timeout(Duration::from_secs(8))
        .build()
        .map_err(|_| Problem::Unreachable)?;
    let answer = client
        .get(format!("{address}/health"))
        .send()
        .await
        .map_err(|_| Problem::Unreachable)?;
    let status = answer.status();
    let body = answer.bytes().await.map_err(|_| Problem::Unreachable)?;
    judge(status.as_u16(), &body)
}

fn judge(status: u16, body: &[u8]) -> Result<(), Problem> {
    let report: serde_json::Value = serde_json::from_slice(body).map_err(|_| Problem::NotChorus)?;
    if report.get("status").is_none() {
        return Err(Problem::NotChorus);
    }
    match status {
        200 => Ok(()),
        503 => Err(Problem::Unhealthy),
        _ => Err(Problem::NotChorus),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalized() {
        assert_eq!(
            normalize(" chat.example.org/ ").unwrap(),
            "https://chat.example.org"
        );
        assert_eq!(
            normalize("localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            normalize("127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize("http://chat.example.org:8080/chorus/").unwrap(),
            "http://chat.example.org:8080/chorus"
        );
        assert_eq!(
            normalize("HTTPS://Chat.Example.org").unwrap(),
            "https://chat.example.org"
        );
    }

    #[test]
    fn bad_addresses_are_refused() {
        assert_eq!(normalize("  "), Err(Problem::Empty));
        assert_eq!(normalize("ftp://example.org"), Err(Problem::Scheme));
        assert_eq!(normalize("https://u:p@example.org"), Err(Problem::Extra));
        assert_eq!(normalize("https://example.org/?x=1"), Err(Problem::Extra));
        assert_eq!(normalize("exa mple.org"), Err(Problem::Invalid));
        assert_eq!(normalize("http://"), Err(Problem::Invalid));
    }

    #[test]
    fn health_answers_are_judged() {
        assert_eq!(judge(200, br#"{"status":"ok","checks":{}}"#), Ok(()));
        assert_eq!(
            judge(503, br#"{"status":"degraded"}"#),
            Err(Problem::Unhealthy)
        );
        assert_eq!(judge(200, b"<html>"), Err(Problem::NotChorus));
        assert_eq!(judge(404, br#"{"error":"x"}"#), Err(Problem::NotChorus));
    }
}
