//! The media service: uploads streamed to S3, presigned download redirects,
//! stickers, the `Files` gRPC service other services resolve attachments and
//! avatars with, and the clean-up of files nobody may see any more.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod grpc;
pub mod http;
pub mod local_s3;
pub mod peers;
pub mod presign;
pub mod seed;
pub mod sniff;
pub mod state;
pub mod store;
pub mod wire;

pub use app::{App, Deps};
pub use config::MediaConfig;

/// This service's part of the OpenAPI document (its public routes and their
/// types), served at `/openapi.json` when it runs alone.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::routes().split_for_parts().1
}

#[cfg(test)]
mod openapi_tests {
    use utoipa::openapi::HttpMethod;

    /// CONTRACT §3, routes #54–#57.
    const ROUTES: [(&str, HttpMethod); 4] = [
        ("/files", HttpMethod::Post),
        ("/files/{id}/download", HttpMethod::Get),
        ("/stickers", HttpMethod::Get),
        ("/stickers/{id}/image", HttpMethod::Get),
    ];

    #[test]
    fn the_document_lists_every_media_route_with_its_method() -> anyhow::Result<()> {
        let doc = super::openapi();
        assert_eq!(doc.paths.paths.len(), ROUTES.len());
        for (path, method) in ROUTES {
            let item = doc
                .paths
                .get_path_operation(path, method.clone())
                .ok_or_else(|| anyhow::anyhow!("{path} is not documented with its method"))?;
            assert_eq!(item.tags.as_deref(), Some(&["media".to_string()][..]));
            assert!(item.security.is_some(), "{path} needs the bearer scheme");
        }
        let schemas = doc.components.map(|c| c.schemas).unwrap_or_default();
        for name in ["UploadedFile", "Sticker", "FileUploadForm"] {
            assert!(schemas.contains_key(name), "schema {name} missing");
        }
        Ok(())
    }

    #[test]
    fn the_upload_is_multipart_and_redirects_carry_a_location() -> anyhow::Result<()> {
        let doc = serde_json::to_value(super::openapi())?;
        let upload = &doc["paths"]["/files"]["post"];
        assert!(upload["requestBody"]["content"]["multipart/form-data"].is_object());
        for code in ["201", "400", "401", "413", "502"] {
            assert!(upload["responses"][code].is_object(), "POST /files {code}");
        }
        for path in ["/files/{id}/download", "/stickers/{id}/image"] {
            let found = &doc["paths"][path]["get"]["responses"]["302"];
            assert!(found["headers"]["Location"].is_object(), "{path} 302");
        }
        Ok(())
    }

    /// `cargo test -p chorus-media print_the_document -- --ignored --nocapture`
    #[test]
    #[ignore = "prints the document for a look"]
    #[allow(clippy::print_stdout, reason = "its whole point is the printout")]
    fn print_the_document() -> anyhow::Result<()> {
        println!("{}", serde_json::to_string_pretty(&super::openapi())?);
        Ok(())
    }
}
