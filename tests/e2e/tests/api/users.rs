//! §5, §6: profiles with privacy, search, profile edits, avatars, settings.

use crate::harness::{Server, error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn profile_lookups_apply_the_targets_privacy_to_other_viewers() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (target, target_token, _) = s.user("tgt").await?;
    let (_, viewer_token, _) = s.user("viewer").await?;
    let admin = s.login("alice", "testpass").await?;
    let admin_token = admin["access_token"].as_str().unwrap_or_default();
    let path = format!("/users/{target}");

    let (status, everyone) = s
        .call(Method::GET, &path, Some(&viewer_token), None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(everyone["is_online"], false);
    assert!(
        everyone["last_activity"].is_string(),
        "login set last_activity: {everyone}"
    );
    assert!(everyone.get("last_seen_approx").is_none());
    for key in [
        "id",
        "username",
        "display_name",
        "bio",
        "is_admin",
        "avatar_url",
    ] {
        assert!(everyone.get(key).is_some(), "missing {key}");
    }

    let put = |v: &str| {
        s.call(
            Method::PUT,
            "/settings",
            Some(&target_token),
            Some(json!({"last_seen_visibility": v})),
        )
    };
    assert_eq!(put("approx_only").await?.0, StatusCode::NO_CONTENT);
    let (_, approx) = s
        .call(Method::GET, &path, Some(&viewer_token), None)
        .await?;
    assert_eq!(
        (approx["is_online"].clone(), approx["last_activity"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(approx["last_seen_approx"], "just now");
    let (_, anonymous) = s
        .call(
            Method::GET,
            &format!(
                "/users/by-username/{}",
                everyone["username"].as_str().unwrap_or_default()
            ),
            Some("garbage-token"),
            None,
        )
        .await?;
    assert_eq!(
        anonymous["last_seen_approx"], "just now",
        "by-username ignores the token and applies privacy"
    );

    assert_eq!(put("nobody").await?.0, StatusCode::NO_CONTENT);
    let (status, nobody) = s
        .call(Method::GET, &path, Some(&viewer_token), None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (nobody["is_online"].clone(), nobody["last_activity"].clone()),
        (Value::Null, Value::Null)
    );
    assert!(nobody.get("last_seen_approx").is_none());

    // Self and global admins always see everything.
    let (_, own) = s
        .call(Method::GET, &path, Some(&target_token), None)
        .await?;
    assert_eq!(own["is_online"], false);
    assert!(own["last_activity"].is_string());
    let (_, by_admin) = s.call(Method::GET, &path, Some(admin_token), None).await?;
    assert!(by_admin["last_activity"].is_string());
    assert!(by_admin.get("last_seen_approx").is_none());

    assert_eq!(
        s.call(Method::GET, "/users/999999", Some(&viewer_token), None)
            .await?,
        (StatusCode::NOT_FOUND, error("User not found"))
    );
    assert_eq!(
        s.call(Method::GET, "/users/abc", Some(&viewer_token), None)
            .await?,
        (StatusCode::NOT_FOUND, error("User not found"))
    );
    assert_eq!(
        s.call(Method::GET, "/users/by-username/nobody%20here", None, None)
            .await?,
        (StatusCode::NOT_FOUND, error("User not found"))
    );
    let (status, bob) = s
        .call(Method::GET, "/users/by-username/BOB", None, None)
        .await?;
    assert_eq!(
        (status, bob["username"].clone()),
        (StatusCode::OK, json!("bob"))
    );
    s.stop().await
}

#[tokio::test]
async fn search_matches_substrings_case_insensitively_in_username_order() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("srch").await?;
    let (status, all) = s
        .call(Method::GET, "/users/search", Some(&token), None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = all
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["username"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"chorus_support") && names.contains(&"alice"),
        "{names:?}"
    );
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert!(
        all[0].get("is_online").is_none(),
        "search has no presence keys"
    );

    let (_, found) = s
        .call(Method::GET, "/users/search?q=LIC", Some(&token), None)
        .await?;
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["username"], "alice");
    let (_, by_display) = s
        .call(Method::GET, "/users/search?q=Caro", Some(&token), None)
        .await?;
    assert_eq!(by_display[0]["username"], "carol");
    let (_, wildcard) = s
        .call(Method::GET, "/users/search?q=b_b", Some(&token), None)
        .await?;
    assert_eq!(wildcard[0]["username"], "bob", "_ stays a wildcard");
    let (_, plus) = s
        .call(
            Method::GET,
            "/users/search?q=%27%3B+DROP+TABLE+users%3B--",
            Some(&token),
            None,
        )
        .await?;
    assert_eq!(plus, json!([]));

    for i in 0..52 {
        s.register(&format!("bulk{i:02}")).await?;
    }
    let (_, capped) = s
        .call(Method::GET, "/users/search?q=bulk", Some(&token), None)
        .await?;
    assert_eq!(capped.as_array().map(Vec::len), Some(50));
    assert_eq!(
        s.call(Method::GET, "/users/search?q=x", None, None).await?,
        (
            StatusCode::UNAUTHORIZED,
            error("Missing Authorization header")
        )
    );
    s.stop().await
}

#[tokio::test]
async fn profile_edits_validate_and_store_absent_fields_as_empty() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (id, token, _) = s.user("edit").await?;
    let (other, _, _) = s.user("other").await?;
    let path = format!("/users/{id}");

    assert_eq!(
        s.call(
            Method::PUT,
            &format!("/users/{other}"),
            Some(&token),
            Some(json!({"bio": "x"}))
        )
        .await?,
        (StatusCode::FORBIDDEN, error("Forbidden"))
    );
    let res = s
        .http
        .put(s.url(&path))
        .bearer_auth(&token)
        .body("not json")
        .send()
        .await?;
    assert_eq!(
        (res.status(), res.json::<Value>().await?),
        (StatusCode::BAD_REQUEST, error("Invalid JSON"))
    );
    let bad = "Username must be 3-20 characters: letters, digits, underscores only";
    for name in ["ab", "has-dash", "x".repeat(21).as_str(), "ünï"] {
        assert_eq!(
            s.call(
                Method::PUT,
                &path,
                Some(&token),
                Some(json!({"username": name}))
            )
            .await?,
            (StatusCode::BAD_REQUEST, error(bad))
        );
    }
    assert_eq!(
        s.call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({"username": "ALICE"}))
        )
        .await?,
        (StatusCode::CONFLICT, error("Username already taken"))
    );

    let (status, body) = s
        .call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({"display_name": "Edith"})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["display_name"], "Edith");
    assert_eq!(body["bio"], "", "absent bio is stored as empty");
    assert_eq!(body["id"], id);

    let (status, body) = s
        .call(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({"display_name": "Edith", "bio": "hi", "username": "edith_2"})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"id": id, "username": "edith_2", "display_name": "Edith", "bio": "hi"})
    );
    let (_, me) = s.call(Method::GET, "/me", Some(&token), None).await?;
    assert_eq!(
        (me["username"].clone(), me["bio"].clone()),
        (json!("edith_2"), json!("hi"))
    );
    s.login("edith_2", "password123").await?;
    s.stop().await
}

#[tokio::test]
async fn avatars_answer_as_the_contract_says_without_files() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (id, token, _) = s.user("av").await?;
    assert_eq!(
        s.call(
            Method::GET,
            &format!("/users/{id}/avatar"),
            Some(&token),
            None
        )
        .await?,
        (StatusCode::NOT_FOUND, error("No avatar"))
    );
    assert_eq!(
        s.call(Method::GET, "/users/0/avatar", Some(&token), None)
            .await?,
        (StatusCode::NOT_FOUND, error("No avatar"))
    );
    assert_eq!(
        s.call(
            Method::PUT,
            "/users/me/avatar",
            Some(&token),
            Some(json!({"file_id": "7"}))
        )
        .await?,
        (StatusCode::BAD_REQUEST, error("file_id required"))
    );
    let res = s
        .http
        .put(s.url("/users/me/avatar"))
        .bearer_auth(&token)
        .body("{")
        .send()
        .await?;
    assert_eq!(
        (res.status(), res.json::<Value>().await?),
        (StatusCode::BAD_REQUEST, error("file_id required"))
    );
    assert_eq!(
        s.call(
            Method::PUT,
            "/users/me/avatar",
            Some(&token),
            Some(json!({"file_id": 4242}))
        )
        .await?,
        (StatusCode::NOT_FOUND, error("File not found"))
    );
    s.stop().await
}

#[tokio::test]
async fn settings_default_merge_and_coerce_invalid_values() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (_, token, _) = s.user("set").await?;
    let defaults = json!({"theme": "light", "notifications_enabled": true, "language": "en", "last_seen_visibility": "everyone", "read_receipts_enabled": true});
    assert_eq!(
        s.call(Method::GET, "/settings", Some(&token), None).await?,
        (StatusCode::OK, defaults)
    );

    assert_eq!(
        s.call(
            Method::PUT,
            "/settings",
            Some(&token),
            Some(json!({"theme": "dark", "read_receipts_enabled": false}))
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.call(
            Method::PUT,
            "/settings",
            Some(&token),
            Some(json!({"language": "de"}))
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    let (_, merged) = s.call(Method::GET, "/settings", Some(&token), None).await?;
    assert_eq!(
        merged,
        json!({"theme": "dark", "notifications_enabled": true, "language": "de", "last_seen_visibility": "everyone", "read_receipts_enabled": false})
    );

    assert_eq!(
        s.call(
            Method::PUT,
            "/settings",
            Some(&token),
            Some(json!({"theme": "neon", "language": "fr", "last_seen_visibility": "friends"}))
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    let (_, coerced) = s.call(Method::GET, "/settings", Some(&token), None).await?;
    assert_eq!(
        (
            coerced["theme"].clone(),
            coerced["language"].clone(),
            coerced["last_seen_visibility"].clone()
        ),
        (json!("light"), json!("en"), json!("everyone"))
    );

    let res = s
        .http
        .put(s.url("/settings"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("{\"theme\":\"dark\"}")
        .send()
        .await?;
    assert_eq!(
        (res.status(), res.json::<Value>().await?),
        (StatusCode::BAD_REQUEST, error("Invalid JSON"))
    );
    s.stop().await
}
