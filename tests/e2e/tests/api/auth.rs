//! §2, §4: register, login, refresh with rotation and reuse detection, logout, /me, JWKS.

use crate::harness::{Server, error};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap_or_default();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap_or_default()).unwrap_or(Value::Null)
}

fn is_contract_ts(s: &str) -> bool {
    // YYYY-MM-DD HH:MM:SS[.F{1,6}]+00 with no trailing zero in F
    let (main, frac) = match s.strip_suffix("+00") {
        Some(rest) => match rest.split_once('.') {
            Some((m, f)) => (m, Some(f)),
            None => (rest, None),
        },
        None => return false,
    };
    let shape_ok = main.len() == 19
        && main.as_bytes()[10] == b' '
        && main.as_bytes()[4] == b'-'
        && main.as_bytes()[13] == b':';
    let frac_ok = frac.is_none_or(|f| {
        (1..=6).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) && !f.ends_with('0')
    });
    shape_ok && frac_ok
}

#[tokio::test]
async fn register_then_login_then_me_follow_the_contract_field_by_field() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (status, body) = s
        .call(Method::POST, "/auth/register", None, Some(json!({"username": "Zoë_new", "email": "zoe@example.org", "password": "password123"})))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["username"], "Zoë_new");
    let id = body["id"].as_i64().expect("id is an int");
    assert_eq!(body.as_object().map(|o| o.len()), Some(2));

    let login = s.login("zoë_NEW", "password123").await?;
    assert_eq!(login["token_type"], "Bearer");
    assert_eq!(login["expires_in"], 3600);
    assert_eq!(login["user_id"], id);
    let access = login["access_token"].as_str().unwrap_or_default();
    let header = jwt_part(access, 0);
    assert_eq!(header["alg"], "EdDSA");
    assert!(header["kid"].is_string());
    let claims = jwt_part(access, 1);
    assert_eq!(claims["sub"], id.to_string());
    assert_eq!(claims["type"], "access");
    assert_eq!(claims["is_admin"], false);
    assert_eq!(
        claims["exp"].as_i64().unwrap_or(0) - claims["iat"].as_i64().unwrap_or(0),
        3600
    );
    assert!(claims["jti"].is_string() && claims["iss"].is_string() && claims["aud"].is_string());
    let refresh_claims = jwt_part(login["refresh_token"].as_str().unwrap_or_default(), 1);
    assert_eq!(refresh_claims["type"], "refresh");
    assert!(refresh_claims["sid"].is_string());

    let (status, me) = s.call(Method::GET, "/me", Some(access), None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], id);
    assert_eq!(me["username"], "Zoë_new");
    assert_eq!(me["email"], "zoe@example.org");
    assert_eq!(
        me["display_name"], "Zoë_new",
        "display name defaults to the username"
    );
    assert_eq!(me["bio"], Value::Null);
    assert_eq!(me["is_admin"], false);
    assert_eq!(me["avatar_url"], Value::Null);
    assert!(
        is_contract_ts(me["created_at"].as_str().unwrap_or_default()),
        "{}",
        me["created_at"]
    );
    s.stop().await
}

#[tokio::test]
async fn registration_validates_in_the_contract_order() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let cases = [
        (
            json!({"username": "ab", "email": "x", "password": "1"}),
            "Username must be 3–32 characters",
        ),
        (
            json!({"username": "a".repeat(33), "email": "a@b", "password": "password123"}),
            "Username must be 3–32 characters",
        ),
        // 11 two-byte characters are 22 bytes: fine; 17 are 34 bytes: too long.
        (
            json!({"username": "ж".repeat(17), "email": "a@b", "password": "password123"}),
            "Username must be 3–32 characters",
        ),
        (
            json!({"username": "validname", "email": "nope", "password": "1"}),
            "Invalid email",
        ),
        (
            json!({"username": "validname", "email": "", "password": "password123"}),
            "Invalid email",
        ),
        (
            json!({"username": "validname", "email": "a@b", "password": "short"}),
            "Password must be at least 8 characters",
        ),
        (
            json!({"username": "validname", "email": "a@b", "password": "p".repeat(1025)}),
            "Password too long",
        ),
        (
            json!({"email": "a@b", "password": "password123"}),
            "Username must be 3–32 characters",
        ),
    ];
    for (body, text) in cases {
        let (status, got) = s
            .call(Method::POST, "/auth/register", None, Some(body.clone()))
            .await?;
        assert_eq!(
            (status, got),
            (StatusCode::BAD_REQUEST, error(text)),
            "for {body}"
        );
    }
    // Non-string values are coerced to strings before checking.
    let (status, body) = s
        .call(
            Method::POST,
            "/auth/register",
            None,
            Some(json!({"username": 12345, "email": "num@example.org", "password": 123456789})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["username"], "12345");
    s.login("12345", "123456789").await?;

    // Uniqueness is case-insensitive for username and email; nothing is half-written.
    let (status, body) = s
        .call(
            Method::POST,
            "/auth/register",
            None,
            Some(
                json!({"username": "ALICE", "email": "new@example.org", "password": "password123"}),
            ),
        )
        .await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::CONFLICT,
            error("Username or email already taken")
        )
    );
    let (status, body) = s
        .call(Method::POST, "/auth/register", None, Some(json!({"username": "alice_other", "email": "Alice@Example.com", "password": "password123"})))
        .await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::CONFLICT,
            error("Username or email already taken")
        )
    );
    let (status, _) = s
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "alice_other", "password": "password123"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    s.stop().await
}

#[tokio::test]
async fn login_failures_answer_with_the_contract_texts() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let post = |body: Value| s.call(Method::POST, "/auth/login", None, Some(body));
    assert_eq!(
        post(json!({"username": "", "password": "x"})).await?,
        (
            StatusCode::BAD_REQUEST,
            error("username and password required")
        )
    );
    assert_eq!(
        post(json!({"username": "bob"})).await?,
        (
            StatusCode::BAD_REQUEST,
            error("username and password required")
        )
    );
    assert_eq!(
        post(json!({"username": "bob", "password": "p".repeat(1025)})).await?,
        (StatusCode::BAD_REQUEST, error("Password too long"))
    );
    assert_eq!(
        post(json!({"username": "nobody_here", "password": "testpass"})).await?,
        (StatusCode::UNAUTHORIZED, error("Invalid credentials"))
    );
    assert_eq!(
        post(json!({"username": "bob", "password": "wrongpass"})).await?,
        (StatusCode::UNAUTHORIZED, error("Invalid credentials"))
    );
    // The support account exists but can never log in.
    assert_eq!(
        post(json!({"username": "chorus_support", "password": "SYSTEM_ACCOUNT_NO_LOGIN"})).await?,
        (StatusCode::UNAUTHORIZED, error("Invalid credentials"))
    );
    let ok = s.login("BOB", "testpass").await?;
    assert_eq!(
        jwt_part(ok["access_token"].as_str().unwrap_or_default(), 1)["sub"],
        ok["user_id"].to_string()
    );
    let alice = s.login("alice", "testpass").await?;
    assert_eq!(
        jwt_part(alice["access_token"].as_str().unwrap_or_default(), 1)["is_admin"],
        true
    );
    s.stop().await
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_with_retry_after() -> anyhow::Result<()> {
    let s = Server::start().await?;
    for _ in 0..10 {
        let (status, _) = s
            .call(
                Method::POST,
                "/auth/login",
                None,
                Some(json!({"username": "carol", "password": "wrong-one"})),
            )
            .await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let res = s
        .send(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": "carol", "password": "testpass"})),
        )
        .await?;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(res.json::<Value>().await?, error("Too many requests"));
    // Another account is not affected.
    s.login("bob", "testpass").await?;
    s.stop().await
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_session() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, _, first) = s.user("rot").await?;
    let (status, body) = s
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": first})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let second = body["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!second.is_empty() && second != first);
    let access = body["access_token"].as_str().unwrap_or_default();
    assert_eq!(
        s.call(Method::GET, "/me", Some(access), None).await?.0,
        StatusCode::OK
    );
    // The session's end does not move with rotation.
    assert!(
        jwt_part(&second, 1)["exp"].as_i64() <= jwt_part(&first, 1)["exp"].as_i64().map(|e| e + 1)
    );

    let reuse = s
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": first})),
        )
        .await?;
    assert_eq!(
        reuse,
        (
            StatusCode::UNAUTHORIZED,
            error("Invalid or expired refresh token")
        )
    );
    let after = s
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": second})),
        )
        .await?;
    assert_eq!(
        after,
        (
            StatusCode::UNAUTHORIZED,
            error("Invalid or expired refresh token")
        ),
        "the family is revoked"
    );

    assert_eq!(
        s.call(Method::POST, "/auth/refresh", None, Some(json!({})))
            .await?,
        (StatusCode::BAD_REQUEST, error("refresh_token required"))
    );
    assert_eq!(
        s.call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": "garbage"}))
        )
        .await?,
        (
            StatusCode::UNAUTHORIZED,
            error("Invalid or expired refresh token")
        )
    );
    let (_, access, _) = s.user("rot2").await?;
    assert_eq!(
        s.call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": access}))
        )
        .await?,
        (
            StatusCode::UNAUTHORIZED,
            error("Invalid or expired refresh token")
        ),
        "an access token is not a refresh token"
    );
    s.stop().await
}

#[tokio::test]
async fn logout_revokes_the_session_and_is_idempotent() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, _, refresh) = s.user("out").await?;
    assert_eq!(
        s.call(
            Method::POST,
            "/auth/logout",
            None,
            Some(json!({"refresh_token": refresh}))
        )
        .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(
            Method::POST,
            "/auth/logout",
            None,
            Some(json!({"refresh_token": refresh}))
        )
        .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(
            Method::POST,
            "/auth/logout",
            None,
            Some(json!({"refresh_token": "unknown"}))
        )
        .await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        s.call(Method::POST, "/auth/logout", None, Some(json!({})))
            .await?,
        (StatusCode::BAD_REQUEST, error("refresh_token required"))
    );
    let refused = s
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": refresh})),
        )
        .await?;
    assert_eq!(
        refused,
        (
            StatusCode::UNAUTHORIZED,
            error("Invalid or expired refresh token")
        )
    );
    s.stop().await
}

#[tokio::test]
async fn the_jwks_publishes_the_key_that_verifies_tokens() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (status, jwks) = s
        .call(Method::GET, "/.well-known/jwks.json", None, None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    let key = &jwks["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["crv"].as_str(),
            key["alg"].as_str()
        ),
        (Some("OKP"), Some("Ed25519"), Some("EdDSA"))
    );
    let login = s.login("bob", "testpass").await?;
    let token = login["access_token"].as_str().unwrap_or_default();
    assert_eq!(jwt_part(token, 0)["kid"], key["kid"]);
    let decoding =
        jsonwebtoken::DecodingKey::from_ed_components(key["x"].as_str().unwrap_or_default())?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &decoding, &validation)?;
    s.stop().await
}
