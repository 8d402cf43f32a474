//! The service's part of the OpenAPI document lists exactly its routes of
//! CONTRACT §3 (#18–#42 but #34 and #35, which are the message service's).

use std::collections::BTreeSet;
use utoipa::openapi::HttpMethod;

const ROUTES: [(&str, &str); 23] = [
    ("post", "/chats"),
    ("get", "/chats"),
    ("get", "/chats/{id}"),
    ("get", "/chats/by-name/{public_name}"),
    ("patch", "/chats/{id}"),
    ("delete", "/chats/{id}"),
    ("post", "/chats/{id}/avatar"),
    ("post", "/chats/{id}/favorite"),
    ("delete", "/chats/{id}/favorite"),
    ("post", "/chats/{id}/mute"),
    ("delete", "/chats/{id}/mute"),
    ("post", "/chats/{id}/pin"),
    ("delete", "/chats/{id}/pin"),
    ("post", "/chats/{id}/archive"),
    ("delete", "/chats/{id}/archive"),
    ("delete", "/chats/{id}/leave"),
    ("post", "/chats/{id}/members/{userId}/promote"),
    ("post", "/chats/{id}/members/{userId}/demote"),
    ("post", "/chats/{id}/invites"),
    ("get", "/chats/{id}/invites"),
    ("delete", "/invites/{token}"),
    ("get", "/invites/{token}/preview"),
    ("post", "/invites/{token}/join"),
];

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Delete => "delete",
        HttpMethod::Options => "options",
        HttpMethod::Head => "head",
        HttpMethod::Patch => "patch",
        HttpMethod::Trace => "trace",
    }
}

fn documented() -> BTreeSet<(String, String)> {
    let doc = crate::openapi();
    let mut found = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        let operations = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Patch, &item.patch),
        ];
        for (method, op) in operations {
            if op.is_some() {
                found.insert((method_name(&method).to_string(), path.clone()));
            }
        }
    }
    found
}

#[test]
fn the_document_lists_every_route_of_the_contract_with_its_method() {
    let want: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented(), want);
}

#[test]
fn every_operation_is_summarised_tagged_and_secured_unless_public() {
    let doc = crate::openapi();
    let public = ["/chats/by-name/{public_name}", "/invites/{token}/preview"];
    for (path, item) in &doc.paths.paths {
        for op in [&item.get, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
        {
            assert!(
                op.summary.as_deref().is_some_and(|s| !s.is_empty()),
                "{path}"
            );
            assert_eq!(
                op.tags.as_deref(),
                Some(&["chats".to_string()][..]),
                "{path}"
            );
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            assert_eq!(secured, !public.contains(&path.as_str()), "{path}");
        }
    }
}

#[test]
#[allow(
    clippy::print_stdout,
    reason = "the document, to read it with --no-capture"
)]
fn the_document_prints() -> Result<(), serde_json::Error> {
    let text = serde_json::to_string_pretty(&crate::openapi())?;
    // Eyeballed with `cargo nextest run -p chorus-chat --no-capture the_document_prints`.
    println!("{text}");
    assert!(text.contains("\"ChatListItem\""));
    Ok(())
}
