//! AWS Signature V4 query-presigned `GET` URLs exactly as CONTRACT §13.3 fixes
//! them: region `us-east-1`, signed header `host` only, `UNSIGNED-PAYLOAD`, the
//! query parameters in one fixed order with the credential's slashes as `%2F`,
//! and the public base substituted for `http://<endpoint>` after signing. The
//! SDK's presigner adds parameters of its own (`x-id`), hence this small signer.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::sync::Mutex;

type HmacSha256 = Hmac<Sha256>;

const REGION: &str = "us-east-1";

pub struct Presigner {
    access_key: String,
    secret_key: String,
    /// The signed host (the internal endpoint, §13.3).
    host: String,
    /// What replaces `http://<host>` in the URL; `http://<host>` itself when no public URL is set.
    base: String,
    ttl_secs: u64,
    /// The signing key of the current UTC day (four HMACs saved per URL).
    day_key: Mutex<Option<(String, [u8; 32])>>,
}

impl Presigner {
    pub fn new(
        access_key: &str,
        secret_key: &str,
        host: &str,
        public_url: &str,
        ttl_secs: u64,
    ) -> Self {
        let base = if public_url.is_empty() {
            format!("http://{host}")
        } else {
            public_url.trim_end_matches('/').to_string()
        };
        Self {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            host: host.into(),
            base,
            ttl_secs,
            day_key: Mutex::new(None),
        }
    }

    /// A fresh presigned GET URL of `bucket/key`.
    pub fn url(&self, bucket: &str, key: &str) -> String {
        self.url_at(bucket, key, Utc::now())
    }

    pub fn url_at(&self, bucket: &str, key: &str, now: DateTime<Utc>) -> String {
        let mut path = String::with_capacity(bucket.len() + key.len() + 8);
        path.push('/');
        encode_into(&mut path, bucket, true);
        path.push('/');
        encode_into(&mut path, key, true);
        self.presign_path(&path, now)
    }

    /// Presigns an already encoded canonical URI (path-style: `/bucket/key`).
    fn presign_path(&self, path: &str, now: DateTime<Utc>) -> String {
        let date = now.format("%Y%m%d").to_string();
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();

        let mut query = String::with_capacity(256);
        query.push_str("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
        encode_into(&mut query, &self.access_key, false);
        let _ = write!(
            query,
            "%2F{date}%2F{REGION}%2Fs3%2Faws4_request&X-Amz-Date={stamp}\
             &X-Amz-Expires={}&X-Amz-SignedHeaders=host",
            self.ttl_secs
        );

        let canonical_request = format!(
            "GET\n{path}\n{query}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
            self.host
        );
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{stamp}\n{date}/{REGION}/s3/aws4_request\n{}",
            hex(&Sha256::digest(canonical_request.as_bytes()))
        );
        let signature = hmac(&self.signing_key(&date), string_to_sign.as_bytes());
        format!(
            "{}{path}?{query}&X-Amz-Signature={}",
            self.base,
            hex(&signature)
        )
    }

    fn signing_key(&self, date: &str) -> [u8; 32] {
        let mut cached = self.day_key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((day, key)) = cached.as_ref()
            && day == date
        {
            return *key;
        }
        let k_date = hmac(
            format!("AWS4{}", self.secret_key).as_bytes(),
            date.as_bytes(),
        );
        let k_region = hmac(&k_date, REGION.as_bytes());
        let k_service = hmac(&k_region, b"s3");
        let key = hmac(&k_service, b"aws4_request");
        *cached = Some((date.to_string(), key));
        key
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        unreachable!("HMAC accepts keys of any length")
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// URI-encodes `s` as SigV4 wants: unreserved bytes stay, everything else is
/// `%XX` with uppercase hex; `/` stays literal only in paths.
fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(UPPER[(b >> 4) as usize] as char);
            out.push(UPPER[(b & 15) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        match Utc.with_ymd_and_hms(y, m, d, h, mi, s) {
            chrono::LocalResult::Single(t) => t,
            _ => panic!("bad test time"),
        }
    }

    /// AWS's published presigned-URL example (S3 "Authenticating Requests: Using
    /// Query Parameters"): same key, date, expiry and host give its signature.
    #[test]
    fn matches_the_aws_documentation_example() {
        let p = Presigner::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "examplebucket.s3.amazonaws.com",
            "",
            86400,
        );
        // The example is virtual-hosted (no bucket in the path).
        let url = p.presign_path("/test.txt", at(2013, 5, 24, 0, 0, 0));
        assert!(
            url.ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{url}"
        );
    }

    #[test]
    fn has_the_contract_shape() {
        let p = Presigner::new("minioadmin", "secret", "minio:9000", "", 900);
        let url = p.url_at(
            "chorus-stickers",
            "stickers/s01.svg",
            at(2026, 3, 1, 14, 7, 9),
        );
        let prefix = "http://minio:9000/chorus-stickers/stickers/s01.svg?\
            X-Amz-Algorithm=AWS4-HMAC-SHA256\
            &X-Amz-Credential=minioadmin%2F20260301%2Fus-east-1%2Fs3%2Faws4_request\
            &X-Amz-Date=20260301T140709Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
            &X-Amz-Signature=";
        assert!(url.starts_with(prefix), "{url}");
        let signature = &url[prefix.len()..];
        assert_eq!(signature.len(), 64);
        assert!(
            signature
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn public_base_replaces_the_endpoint_after_signing() {
        let t = at(2026, 3, 1, 14, 7, 9);
        let internal = Presigner::new("ak", "sk", "minio:9000", "", 900);
        let public = Presigner::new("ak", "sk", "minio:9000", "https://example.org/minio/", 900);
        let a = internal.url_at("b", "k", t);
        let b = public.url_at("b", "k", t);
        assert_eq!(
            a.replacen("http://minio:9000", "https://example.org/minio", 1),
            b
        );
    }

    #[test]
    fn keys_are_percent_encoded_with_uppercase_hex_and_literal_slashes() {
        let p = Presigner::new("ak", "sk", "h:1", "", 60);
        let url = p.url_at(
            "chorus-uploads",
            "uploads/x y_фото(1).png",
            at(2026, 1, 2, 3, 4, 5),
        );
        assert!(
            url.starts_with(
                "http://h:1/chorus-uploads/uploads/x%20y_%D1%84%D0%BE%D1%82%D0%BE%281%29.png?"
            ),
            "{url}"
        );
    }
}
