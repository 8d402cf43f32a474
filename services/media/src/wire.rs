//! The media service's public bodies (§12.1, §13.1): the file object an upload
//! answers with, and the sticker object.

use chorus_proto::FileId;
use serde::Serialize;
use utoipa::ToSchema;

/// An uploaded file (`201` of `POST /files`); its `id` is what avatars,
/// attachments and voice messages refer to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadedFile {
    pub id: FileId,
    /// The part's filename as sent, made safe for display.
    #[schema(example = "photo.jpg")]
    pub filename: String,
    /// The media type the part declared, without parameters, lower-cased;
    /// `application/octet-stream` when it declared none (D4). No allow-list.
    #[schema(example = "image/jpeg")]
    pub mime_type: String,
    /// `uploads/<uuid-v4>_<filename>` in the uploads bucket.
    #[schema(example = "uploads/1f0c2a4e-8d7b-4c1e-9a3f-0b6d5e4c3b2a_photo.jpg")]
    pub object_key: String,
}

/// A sticker (`GET /stickers`, ordered by id).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sticker {
    pub id: i64,
    #[schema(example = "thumbs up")]
    pub label: String,
    /// A presigned URL of the image (§13.3), fresh on every response; null
    /// only when the sticker has no object.
    #[schema(required = true)]
    pub url: Option<String>,
}

/// The `multipart/form-data` body of `POST /files`: the first part with a
/// filename is the upload, whatever its field name (the client uses `file`);
/// other parts are ignored.
#[derive(Debug, ToSchema)]
pub struct FileUploadForm {
    /// The file's bytes; its part's `Content-Type` becomes `mime_type`.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}
