//! The auth service's typed bodies read what the old lenient readers read
//! (§1.2, §4–§6): non-object JSON where it was `{}`, refusals where an object
//! is needed, coerced values; and `/openapi.json` describes its routes.

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn raw(
    s: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> anyhow::Result<(StatusCode, Value)> {
    let mut req = s
        .http
        .request(method, s.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await?;
    let status = res.status();
    let text = res.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

#[tokio::test]
async fn non_object_bodies_read_as_empty_where_they_did_and_are_refused_where_an_object_is_needed()
-> anyhow::Result<()> {
    let s = Server::start().await?;
    let bad = |text: &str| (StatusCode::BAD_REQUEST, error(text));
    assert_eq!(
        raw(&s, Method::POST, "/auth/register", None, "[1]").await?,
        bad("Username must be 3\u{2013}32 characters")
    );
    assert_eq!(
        raw(&s, Method::POST, "/auth/login", None, "\"bob\"").await?,
        bad("username and password required")
    );
    assert_eq!(
        raw(&s, Method::POST, "/auth/logout", None, "[]").await?,
        bad("refresh_token required")
    );

    let (id, token, _) = s.user("wire").await?;
    let me = format!("/users/{id}");
    for body in ["[]", "[\"dark\"]", "7", "null"] {
        assert_eq!(
            raw(&s, Method::PUT, "/settings", Some(&token), body).await?,
            bad("Invalid JSON"),
            "PUT /settings {body}"
        );
        assert_eq!(
            raw(&s, Method::PUT, &me, Some(&token), body).await?,
            bad("Invalid JSON"),
            "PUT {me} {body}"
        );
    }
    // The id is checked before the body.
    let other = format!("/users/{}", id + 1);
    assert_eq!(
        raw(&s, Method::PUT, &other, Some(&token), "[").await?,
        (StatusCode::FORBIDDEN, error("Forbidden"))
    );
    for body in ["[4242]", "{\"file_id\": 1.5}", "{\"file_id\": null}"] {
        assert_eq!(
            raw(&s, Method::PUT, "/users/me/avatar", Some(&token), body).await?,
            bad("file_id required"),
            "{body}"
        );
    }
    s.stop().await
}

#[tokio::test]
async fn values_of_other_types_are_coerced_as_before() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let name = format!("co{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (status, created) = s
        .call(
            Method::POST,
            "/auth/register",
            None,
            Some(json!({"username": name, "email": format!("{name}@x.org"), "password": 12345678, "display_name": 42})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let tokens = s.login(&name, "12345678").await?;
    let token = tokens["access_token"].as_str().unwrap_or_default();
    let (_, me) = s.call(Method::GET, "/me", Some(token), None).await?;
    assert_eq!(me["display_name"], "42");
    assert_eq!(me["id"], created["id"]);

    let (status, _) = s
        .call(
            Method::PUT,
            "/settings",
            Some(token),
            Some(json!({"notifications_enabled": "0", "read_receipts_enabled": null, "theme": ["dark"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, settings) = s.call(Method::GET, "/settings", Some(token), None).await?;
    assert_eq!(
        settings,
        json!({"theme": "light", "notifications_enabled": false, "language": "en", "last_seen_visibility": "everyone", "read_receipts_enabled": true})
    );

    // Undecodable path segments are unknown ids, not a plain-text 400.
    assert_eq!(
        s.call(Method::GET, "/users/%FF", Some(token), None).await?,
        (StatusCode::NOT_FOUND, error("User not found"))
    );
    assert_eq!(
        s.call(Method::GET, "/users/%FF/avatar", Some(token), None)
            .await?,
        (StatusCode::NOT_FOUND, error("No avatar"))
    );
    s.stop().await
}

#[tokio::test]
async fn the_openapi_document_describes_every_auth_route() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (status, doc) = s.call(Method::GET, "/openapi.json", None, None).await?;
    assert_eq!(status, StatusCode::OK);
    let routes: [(&str, &[&str]); 12] = [
        ("/auth/register", &["post"]),
        ("/auth/login", &["post"]),
        ("/auth/refresh", &["post"]),
        ("/auth/logout", &["post"]),
        ("/.well-known/jwks.json", &["get"]),
        ("/me", &["get"]),
        ("/users/search", &["get"]),
        ("/users/by-username/{username}", &["get"]),
        ("/users/{id}", &["get", "put"]),
        ("/users/{id}/avatar", &["get"]),
        ("/users/me/avatar", &["put"]),
        ("/settings", &["get", "put"]),
    ];
    for (path, methods) in routes {
        for method in methods {
            assert!(
                doc["paths"][path][method]["responses"].is_object(),
                "{method} {path} is not documented"
            );
        }
    }
    for schema in ["PublicUser", "Profile", "Me", "UserSettings", "Jwks"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
    assert_eq!(
        doc["paths"]["/users/{id}"]["get"]["security"],
        json!([{"bearer": []}])
    );
    s.stop().await
}
